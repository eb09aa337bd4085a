"""Reminders from findings: in-app notifications, e-mail, and a WeCom / DingTalk group robot.

`remind(today=…)` evaluates every org for the current periods and the ones that ended in the last
month, and for each finding that is due soon, overdue or missed (and each open coded-rule finding)
notifies the people responsible:
- findings about an org (and about its members): the branch and committee administrators granted on
  the nearest org up the tree that has any (a party group's go to its branch's administrators);
- personal findings (post holders, leaders with a contact point): the person's own account, or the
  org's administrators when the person has none.

It is idempotent: a `Notification` is keyed by the finding's identity *and status*
(`Finding.key`), unique per user, so running it twice notifies once, and a finding that moves from
due soon to missed notifies again. E-mail goes through Django's mail (settings.EMAIL_BACKEND), one
digest per user and run; the group robot gets one digest per run, only when something is new.

Settings (read with getattr, so they are optional):
- XIANFENG_WEBHOOK_URL: the robot's webhook address; empty disables the channel;
- XIANFENG_WEBHOOK_KIND: "wecom" (企业微信, default) or "dingtalk" (钉钉);
- XIANFENG_WEBHOOK_SECRET: DingTalk "加签" secret (adds timestamp and sign to the URL);
- XIANFENG_WEBHOOK_TIMEOUT: seconds (default 5).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.compliance.engine import Engine, Finding, OrgRow, Scope, Status
from xianfeng.compliance.models import Notification
from xianfeng.compliance.rules import coded_findings
from xianfeng.core.models import RoleGrant
from xianfeng.core.roles import Role
from xianfeng.orgs.models import Org
from xianfeng.people.models import Person

logger = logging.getLogger(__name__)

NOTIFY_STATUSES = frozenset({Status.DUE_SOON, Status.OVERDUE, Status.MISSED})
RESPONSIBLE_ROLES = (Role.BRANCH_ADMIN, Role.COMMITTEE_ADMIN)
WEBHOOK_LINES = 20
CHUNK = 500


@dataclass
class RemindResult:
    findings: int = 0
    created: int = 0
    emailed: int = 0
    webhook: str = "off"  # off, nothing new, sent, failed: …
    notifications: list[Notification] = field(default_factory=list)


def reminder_findings(today: dt.date, scope: Scope | None = None) -> tuple[list[Finding], dict[int, OrgRow]]:
    """Open findings of the current periods and of the periods that ended within the last month."""
    engine = Engine(
        scope=scope or Scope.everything(),
        start=today - relativedelta(months=1),
        end=today,
        today=today,
        evidence=False,
    )
    found = [f for f in engine.run() if f.status in NOTIFY_STATUSES]
    found += [f for f in coded_findings(scope=engine.scope, today=today, orgs=engine.orgs) if f.is_open]
    return found, engine.orgs


def _responsible(orgs: dict[int, OrgRow]) -> dict[int, list[int]]:
    """Org id → user ids of the administrators nearest up the tree (one query)."""
    by_path: dict[str, list[int]] = defaultdict(list)
    for user_id, path in RoleGrant.objects.filter(
        revoked_at__isnull=True, role__in=RESPONSIBLE_ROLES, user__is_active=True
    ).values_list("user_id", "org__path"):
        by_path[path].append(user_id)
    out: dict[int, list[int]] = {}
    step = Org.steplen
    for org in orgs.values():
        path = org.path
        while path:
            if path in by_path:
                out[org.id] = sorted(set(by_path[path]))
                break
            path = path[:-step]
    return out


def _recipients(found: Sequence[Finding], orgs: dict[int, OrgRow]) -> list[tuple[int, Finding]]:
    admins = _responsible(orgs)
    person_ids = {f.person_id for f in found if f.person_id and f.subject in ("post_holder", "contact_point")}
    accounts = dict(
        Person.objects.filter(pk__in=person_ids, user__isnull=False, user__is_active=True).values_list(
            "pk", "user_id"
        )
    )
    pairs: list[tuple[int, Finding]] = []
    for f in found:
        own = (
            accounts.get(f.person_id)
            if f.subject in ("post_holder", "contact_point") and f.person_id
            else None
        )
        users = [own] if own else admins.get(f.org_id, [])
        pairs.extend((user_id, f) for user_id in users)
    return pairs


def _url(f: Finding) -> str:
    url = reverse("compliance:health", args=[f.org_id])
    year = (f.period_end or f.due or timezone.localdate()).year
    return f"{url}?year={year}"


def _title(f: Finding) -> str:
    return f"[{f.status_label}] {f.title}"[:200]


def _body(f: Finding) -> str:
    lines = [f.org_name + (f" · {f.person_name}" if f.person_name else "")]
    if f.period_label:
        lines.append(
            _("Period: %(period)s; done %(done)s of %(required)s.")
            % {
                "period": f.period_label,
                "done": f.done,
                "required": f.required,
            }
        )
    if f.detail:
        lines.append(f.detail)
    if f.due:
        lines.append(_("Due: %(date)s") % {"date": f.due.isoformat()})
    lines.append(f.citation)
    return "\n".join(lines)


def remind(
    *,
    today: dt.date | None = None,
    email: bool = True,
    webhook: bool = True,
    dry_run: bool = False,
    scope: Scope | None = None,
) -> RemindResult:
    today = today or timezone.localdate()
    found, orgs = reminder_findings(today, scope)
    result = RemindResult(findings=len(found))
    pairs = _recipients(found, orgs)
    wanted = {(user_id, f.key): (user_id, f) for user_id, f in pairs}
    keys = sorted({key for _user, key in wanted})
    existing: set[tuple[int, str]] = set()
    for index in range(0, len(keys), CHUNK):
        existing.update(
            Notification.objects.filter(key__in=keys[index : index + CHUNK]).values_list("user_id", "key")
        )
    new = [
        Notification(user_id=user_id, key=key, title=_title(f), body=_body(f), url=_url(f))
        for (user_id, key), (_u, f) in sorted(wanted.items())
        if (user_id, key) not in existing
    ]
    if dry_run:
        result.created = len(new)
        return result
    with transaction.atomic():
        Notification.objects.bulk_create(new, batch_size=CHUNK)
    result.created = len(new)
    result.notifications = new
    if email and new:
        result.emailed = send_emails(new)
    if webhook:
        result.webhook = send_webhook_digest(
            [f for (_u, f) in (wanted[(n.user_id, n.key)] for n in new)], today
        )
    return result


def send_emails(notifications: Iterable[Notification]) -> int:
    """One digest per user with an e-mail address; marks the notifications e-mailed."""
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for n in notifications:
        by_user[n.user_id].append(n)
    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=by_user).exclude(email="")}
    if not users:
        return 0
    sent = 0
    now = timezone.now()
    with get_connection() as connection:
        for user_id, items in by_user.items():
            user = users.get(user_id)
            if user is None:
                continue
            subject = _("Xianfeng: %(n)s party-building items need attention") % {"n": len(items)}
            body = "\n\n".join(f"{n.title}\n{n.body}\n{n.url}" for n in items)
            message = EmailMessage(
                subject, body, settings.DEFAULT_FROM_EMAIL, [user.email], connection=connection
            )
            try:
                message.send()
            except Exception:  # a mail server problem must not stop the in-app reminders
                logger.exception("reminder e-mail to user %s failed", user_id)
                continue
            sent += 1
            Notification.objects.filter(user_id=user_id, key__in=[n.key for n in items]).update(
                emailed_at=now
            )
    return sent


# --- Group robots ---------------------------------------------------------------------------------


def digest_markdown(found: Sequence[Finding], today: dt.date) -> tuple[str, str]:
    """(title, markdown) of one run's new findings, worst first, at most WEBHOOK_LINES lines."""
    counts = Counter(f.status for f in found)
    title = _("Party-building reminders %(date)s") % {"date": today.isoformat()}
    summary = "，".join(
        f"{Status(s).label} {counts[s]}"
        for s in (Status.MISSED, Status.OVERDUE, Status.DUE_SOON)
        if counts[s]
    )
    lines = [f"### {title}", summary, ""]
    order: dict[str, int] = {Status.MISSED: 0, Status.OVERDUE: 1, Status.DUE_SOON: 2}
    unique = {f.key: f for f in found}
    ranked = sorted(unique.values(), key=lambda f: (order.get(f.status, 3), f.org_name, f.title))
    for f in ranked[:WEBHOOK_LINES]:
        who = f"{f.org_name}{' · ' + f.person_name if f.person_name else ''}"
        period = f" {f.period_label}" if f.period_label else ""
        lines.append(f"- **{f.status_label}** {who}：{f.title}{period}（{f.rule_ref}）")
    if len(ranked) > WEBHOOK_LINES:
        lines.append(_("… and %(n)s more in Xianfeng.") % {"n": len(ranked) - WEBHOOK_LINES})
    return str(title), "\n".join(lines)


def webhook_payload(kind: str, title: str, text: str) -> dict[str, Any]:
    """The robot's message format: WeCom (企业微信) or DingTalk (钉钉) markdown."""
    if kind == "dingtalk":
        return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
    # WeCom limits markdown content to 4,096 bytes.
    content = text.encode("utf-8")[:4000].decode("utf-8", "ignore")
    return {"msgtype": "markdown", "markdown": {"content": content}}


def _signed(url: str, secret: str) -> str:
    """DingTalk 加签: timestamp (ms) and the base64 HMAC-SHA256 of "timestamp\\nsecret"."""
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    separator = "&" if "?" in url else "?"
    return f"{url}{separator}timestamp={timestamp}&sign={sign}"


def post_webhook(payload: dict[str, Any]) -> str:
    """POST one message to the configured robot; returns "sent" or "failed: …" (never raises)."""
    url = getattr(settings, "XIANFENG_WEBHOOK_URL", "")
    if not url:
        return "off"
    kind = getattr(settings, "XIANFENG_WEBHOOK_KIND", "wecom")
    secret = getattr(settings, "XIANFENG_WEBHOOK_SECRET", "")
    if kind == "dingtalk" and secret:
        url = _signed(url, secret)
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    timeout = float(getattr(settings, "XIANFENG_WEBHOOK_TIMEOUT", 5))
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read(65536)
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        logger.warning("webhook failed: %s", exc)
        return f"failed: {exc}"
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        answer = {}
    errcode = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if errcode:
        logger.warning("webhook refused: %s", answer)
        return f"failed: errcode {errcode} {answer.get('errmsg', '')}".strip()
    return "sent"


def send_webhook_digest(found: Sequence[Finding], today: dt.date) -> str:
    if not getattr(settings, "XIANFENG_WEBHOOK_URL", ""):
        return "off"
    if not found:
        return "nothing new"
    title, text = digest_markdown(found, today)
    kind = getattr(settings, "XIANFENG_WEBHOOK_KIND", "wecom")
    return post_webhook(webhook_payload(kind, title, text))
