"""Reads of the organization tree, always restricted to what the user may see, in bounded queries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Coalesce, Substr
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.core.roles import Action
from xianfeng.core.scoping import granted_paths, is_global
from xianfeng.orgs.choices import TERM_REMINDER_MONTHS, OrgStatus
from xianfeng.orgs.models import Org, OrgQuerySet
from xianfeng.people.choices import STATUS_ORDER
from xianfeng.people.models import Membership

STEP = Org.steplen
SEARCH_LIMIT = 100
MAX_ROOTS = 8


def visible_orgs(user: Any) -> OrgQuerySet:
    return Org.objects.restrict(user, Action.VIEW)


def visible_roots(user: Any) -> list[Org]:
    """The top node of each subtree the user may see (a global admin sees the real roots)."""
    if is_global(user, Action.VIEW):
        return list(Org.objects.filter(depth=1))
    return list(Org.objects.filter(path__in=granted_paths(user, Action.VIEW)))


def children_of(org: Org) -> list[Org]:
    return children_by_parent([org])[org.pk]


def children_by_parent(parents: Sequence[Org]) -> dict[int, list[Org]]:
    """The direct children of each of the given orgs, in tree order, in one query."""
    result: dict[int, list[Org]] = {parent.pk: [] for parent in parents}
    if not parents:
        return result
    where = Q()
    for parent in parents:
        where |= Q(path__startswith=parent.path, depth=parent.depth + 1)
    by_path = {parent.path: parent.pk for parent in parents}
    for child in Org.objects.filter(where):
        result[by_path[child.path[:-STEP]]].append(child)
    return result


def _minimal_paths(paths: Iterable[str]) -> list[str]:
    minimal: list[str] = []
    for path in sorted(set(paths)):
        if not any(path.startswith(root) for root in minimal):
            minimal.append(path)
    return minimal


def _common_ancestor(paths: list[str]) -> str:
    """The longest whole-step path prefix shared by all paths ("" when they sit under different roots)."""
    first, last = min(paths), max(paths)  # what these two share, every path between them shares
    size = 0
    while size < min(len(first), len(last)) and first[size] == last[size]:
        size += 1
    return first[: size - size % STEP]


def subtree_member_counts(nodes: Sequence[Org]) -> dict[int, int]:
    """Current members in each node's subtree (party-group members count in their group): one query.

    The database groups memberships by the path prefix at the deepest level shown; the prefixes are
    then summed up to each node here (one row per org at most, never one per member).
    """
    if not nodes:
        return {}
    length = max(node.depth for node in nodes) * STEP
    roots = _minimal_paths(node.path for node in nodes)
    if len(roots) > MAX_ROOTS:  # one LIKE on the common ancestor beats a hundred ORs per row
        roots = [_common_ancestor(roots)]
    where = Q()
    for root in roots:
        where |= Q(org__path__startswith=root) | Q(party_group__path__startswith=root)
    rows = (
        Membership.objects.current()
        .filter(where)
        .annotate(prefix=Substr(Coalesce("party_group__path", "org__path"), 1, length))
        .values("prefix")
        .annotate(n=Count("pk"))
        .values_list("prefix", "n")
    )
    totals: dict[str, int] = {}
    for prefix, n in rows:
        for end in range(STEP, len(prefix) + 1, STEP):
            totals[prefix[:end]] = totals.get(prefix[:end], 0) + n
    return {node.pk: totals.get(node.path, 0) for node in nodes}


def search_orgs(
    user: Any, *, q: str = "", org_type: str = "", term_due: bool = False, today: dt.date | None = None
) -> list[Org]:
    """Visible orgs matching a name, short name or code, a type, or a term due for re-election."""
    qs = visible_orgs(user)
    q = q.strip()
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(short_name__icontains=q) | Q(code__icontains=q))
    if org_type:
        qs = qs.filter(org_type=org_type)
    if term_due:
        qs = qs.filter(status=OrgStatus.ACTIVE, term_end__lte=term_reminder_date(today or _today()))
    return list(qs[:SEARCH_LIMIT])


def ancestor_names(user: Any, orgs: Iterable[Org]) -> dict[str, str]:
    """Display names of the visible ancestors of the given orgs, by path, in one query."""
    paths = {org.path[:end] for org in orgs for end in range(STEP, len(org.path), STEP)}
    if not paths:
        return {}
    found = visible_orgs(user).filter(path__in=paths).only("path", "name", "short_name")
    return {o.path: o.display_name for o in found}


def status_counts(org: Org) -> list[tuple[str, int]]:
    """Current members in the org's subtree by political status, in stage order (zeros omitted)."""
    rows = dict(
        Membership.objects.current()
        .filter(Q(org__path__startswith=org.path) | Q(party_group=org))
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(status, rows[status]) for status in STATUS_ORDER if rows.get(status)]


def org_history(org: Org, limit: int = 50) -> QuerySet[AuditEvent]:
    """Audit rows whose target is this org, newest first (by org, so a changed code keeps its past)."""
    return AuditEvent.objects.filter(org=org, target_type=Org._meta.label_lower).order_by("-time", "-id")[
        :limit
    ]


def _today() -> dt.date:
    return timezone.localdate()


def term_reminder_date(today: dt.date) -> dt.date:
    """Terms ending on or before this day are due (BR-06, 支部条例 art. 22: reminded 6 months ahead)."""
    return today + relativedelta(months=TERM_REMINDER_MONTHS)


@dataclass(frozen=True)
class TermState:
    end: dt.date
    days_left: int
    level: str  # "ok", "due" (≤ 6 months left) or "expired"

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def term_state(org: Org, today: dt.date) -> TermState | None:
    if org.term_end is None or not org.is_active:
        return None
    days = (org.term_end - today).days
    if days < 0:
        level = "expired"
    elif org.term_end <= term_reminder_date(today):
        level = "due"
    else:
        level = "ok"
    return TermState(end=org.term_end, days_left=days, level=level)


def _expiring(user: Any, today: dt.date) -> OrgQuerySet:
    return visible_orgs(user).filter(status=OrgStatus.ACTIVE, term_end__lte=term_reminder_date(today))


def expiring_terms(user: Any, today: dt.date, limit: int = 50) -> list[Org]:
    """Active visible orgs whose term has ended or ends within the reminder window, soonest first."""
    return list(_expiring(user, today).order_by("term_end", "path")[:limit])


def expiring_count(user: Any, today: dt.date) -> int:
    return _expiring(user, today).count()
