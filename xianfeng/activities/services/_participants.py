"""Private helpers shared by planning and recording: the expected rows and the people an activity names."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from xianfeng.activities import rules, selectors
from xianfeng.activities.choices import AttendanceStatus
from xianfeng.activities.models import Activity, ActivityKind, Attendance
from xianfeng.people.models import Person


def _sync_expected(activity: Activity, old_day: dt.date | None) -> None:
    """Expected rows from the kind's audience on the activity's date; when the date moved, rows still
    only "expected" that the old date produced and the new one does not are removed."""
    kind, org = activity.kind, activity.org
    day = rules.activity_day(activity)
    wanted = set(selectors.audience_ids(kind=kind, org=org, day=day))
    if old_day is not None and old_day != day:
        stale = set(selectors.audience_ids(kind=kind, org=org, day=old_day)) - wanted
        Attendance.objects.filter(
            activity=activity, person_id__in=stale, status=AttendanceStatus.EXPECTED
        ).delete()
    have = set(Attendance.objects.filter(activity=activity).values_list("person_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, person_id=pk) for pk in sorted(wanted - have)],
        ignore_conflicts=True,
    )


def _people_errors(kind: ActivityKind, people: dict[str, Person | None]) -> dict[str, str]:
    if people.get("lecturer") is not None and not kind.has_lecturer:
        return {"lecturer": _("A %(kind)s has no lecturer; only lectures record one.") % {"kind": kind.name}}
    return {}
