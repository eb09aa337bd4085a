"""Rules of activity records that are fixed in code: pure functions shared by services, forms and the API.

Every message names the rule it enforces, so a refused input says why.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.activities.choices import Audience, Metric, Quorum

if TYPE_CHECKING:
    from xianfeng.activities.models import Activity, ActivityKind
    from xianfeng.orgs.models import Org

Errors = dict[str, str]

# Quorum rules counted on voting (full) members only: 支部条例 art. 11 and 细则 art. 20 speak of members
# with voting rights; 选举条例 of voters. Probationary members have no vote (党章 art. 7; BR-07).
VOTING_QUORUMS = frozenset({Quorum.BRANCH_GENERAL_MEETING, Quorum.ADMISSION_MEETING, Quorum.ELECTION})
# Audiences that are party members; anyone else present at such a meeting attends as a guest (列席).
PARTY_AUDIENCES = frozenset(
    {Audience.PARTY_MEMBERS, Audience.VOTING_MEMBERS, Audience.COMMITTEE, Audience.GROUP_MEMBERS}
)
MAX_HOURS = Decimal("24")

# Attachments: extension -> (content type, check of the first bytes / the zip's parts).
ATTACHMENT_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
_OOXML_PART = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
DEFAULT_ATTACHMENT_MAX_BYTES = 20 * 1024 * 1024


def setting_int(name: str, default: int) -> int:
    """An integer setting (settings.py reads it from the environment); `default` if it is absent."""
    return int(getattr(settings, name, default))


def checkin_before() -> dt.timedelta:
    return dt.timedelta(minutes=setting_int("XIANFENG_CHECKIN_BEFORE_MINUTES", 30))


def checkin_after() -> dt.timedelta:
    return dt.timedelta(minutes=setting_int("XIANFENG_CHECKIN_AFTER_MINUTES", 30))


def attachment_max_bytes() -> int:
    return setting_int("XIANFENG_ATTACHMENT_MAX_BYTES", DEFAULT_ATTACHMENT_MAX_BYTES)


def local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def day_bounds(day: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a calendar day in the current time zone (Asia/Shanghai)."""
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def activity_day(activity: Activity) -> dt.date:
    """The date whose membership decides who is expected: the held date once held, else the plan's."""
    return local_day(activity.held_start or activity.planned_start)


def is_meeting(kind: ActivityKind) -> bool:
    """Meetings of an org's own members happen once a day at most; talks and named activities
    (visits, trainings, volunteer service) may repeat on a day."""
    return not kind.is_talk and kind.audience != Audience.NAMED


def kind_errors(kind: ActivityKind, org: Org) -> Errors:
    if not kind.active:
        return {"kind": _("This activity kind is no longer in use.")}
    if kind.org_types and org.org_type not in kind.org_types:
        return {
            "kind": _("A “%(kind)s” is not held by a %(type)s; the kind is for: %(types)s.")
            % {
                "kind": kind.name,
                "type": org.get_org_type_display(),
                "types": ", ".join(str(_type_label(t)) for t in kind.org_types),
            }
        }
    return {}


def _type_label(value: str) -> str:
    from xianfeng.orgs.choices import OrgType

    try:
        return str(OrgType(value).label)
    except ValueError:
        return value


def metrics_errors(kind: ActivityKind, metrics: dict[str, Any]) -> tuple[dict[str, Any], Errors]:
    """Metrics limited to the kind's own list, each a number of 0 or more."""
    clean: dict[str, Any] = {}
    for key, raw in metrics.items():
        if raw in (None, ""):
            continue
        if key not in kind.metrics:
            allowed = ", ".join(str(_metric_label(m)) for m in kind.metrics) or _("none")
            return {}, {
                "metrics": _("“%(metric)s” is not recorded for a %(kind)s; it records: %(allowed)s.")
                % {"metric": _metric_label(key), "kind": kind.name, "allowed": allowed}
            }
        try:
            value = Decimal(str(raw))
        except InvalidOperation:
            value = Decimal(-1)
        if not value.is_finite() or value < 0:
            return {}, {
                "metrics": _("“%(metric)s” must be a number of 0 or more.") % {"metric": _metric_label(key)}
            }
        clean[key] = int(value) if value == value.to_integral_value() else float(value)
    return clean, {}


def _metric_label(value: str) -> str:
    try:
        return str(Metric(value).label)
    except ValueError:
        return value


def hours_errors(kind: ActivityKind, hours: Decimal | None) -> Errors:
    if hours is None:
        return {}
    if not kind.has_hours:
        return {"hours": _("A %(kind)s does not count study hours.") % {"kind": kind.name}}
    if hours < 0 or hours > MAX_HOURS:
        return {"hours": _("Hours must be between 0 and 24.")}
    return {}


@dataclass(frozen=True)
class CheckedUpload:
    name: str  # the file's own name, without any client path, at most 200 characters
    size: int
    content_type: str


def checked_upload(upload: Any) -> CheckedUpload:
    """An uploaded file that passes `attachment_errors`, or a ValidationError on "file". Used for
    every kept document (activity attachments, development materials)."""
    from django.core.exceptions import ValidationError

    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    size = upload.size or 0
    upload.seek(0)
    head = upload.read(16)

    def read_all() -> bytes:
        upload.seek(0)
        data: bytes = upload.read()
        return data

    content_type, errors = attachment_errors(name, size, head, read_all)
    if errors:
        raise ValidationError(errors)
    upload.seek(0)
    return CheckedUpload(name[:200], size, content_type)


def attachment_errors(name: str, size: int, head: bytes, read_all: Any) -> tuple[str, Errors]:
    """(content type, errors) for an upload: allowed extension, size limit, and content that matches
    the extension (magic bytes; for Office files, a zip holding the part the format needs)."""
    ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if ext not in ATTACHMENT_TYPES:
        return "", {
            "file": _(
                "Only PDF, Word (.docx), Excel (.xlsx), PowerPoint (.pptx), JPEG and PNG files may be attached."
            )
        }
    limit = attachment_max_bytes()
    if size > limit:
        return "", {
            "file": _("The file is larger than the limit of %(mb)s MB.") % {"mb": limit // (1024 * 1024)}
        }
    if size == 0:
        return "", {"file": _("The file is empty.")}
    if not _content_matches(ext, head, read_all):
        return "", {
            "file": _("The file's content is not a %(ext)s file; rename it correctly or convert it.")
            % {"ext": ext.upper()}
        }
    return ATTACHMENT_TYPES[ext], {}


def _content_matches(ext: str, head: bytes, read_all: Any) -> bool:
    if ext == "pdf":
        return head.startswith(b"%PDF-")
    if ext in ("jpg", "jpeg"):
        return head.startswith(b"\xff\xd8\xff")
    if ext == "png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if not head.startswith(b"PK\x03\x04"):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(read_all())) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(_OOXML_PART[ext]) for n in names)
