"""Attendance: one person's presence, leave, absence or guest status, and taking them off the list."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.activities import rules, selectors
from xianfeng.activities.choices import AttendanceSource, AttendanceStatus
from xianfeng.activities.models import Activity, Attendance
from xianfeng.activities.services._common import _check_scope, _locked, _not_cancelled, _raise, refresh_quorum
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.people.models import Person

# --- attendance ---------------------------------------------------------------------------------


def _attendance_snapshot(row: Attendance | None) -> audit.Snapshot | None:
    if row is None:
        return None
    snap = audit.Snapshot(
        person=row.person_id,
        status=row.status,
        reason=row.reason,
        hours=str(row.hours) if row.hours is not None else None,
        source=row.source,
    )
    return snap


@transaction.atomic
def attendance_set(
    *,
    actor: Any,
    activity: Activity,
    person: Person,
    status: str,
    reason: str = "",
    hours: Decimal | None = None,
) -> Attendance:
    """Record one person's attendance: present, on leave (with reason), absent, or guest (列席).

    Only people who were members of the org on the activity's date attend other than as guests; a
    talk has exactly two parties; hours only for kinds that count study hours.
    """
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    kind = activity.kind
    errors: dict[str, str] = {}
    if not kind.has_attendance:
        _raise({"status": _("A %(kind)s records no attendance.") % {"kind": kind.name}})
    if status not in AttendanceStatus.values:
        _raise({"status": _("Unknown attendance status.")})
    reason = reason.strip()
    if status == AttendanceStatus.LEAVE and not reason:
        errors["reason"] = _("Give the reason for the leave (缺席原因); the meeting record lists it.")
    errors.update(rules.hours_errors(kind, hours))
    if (
        hours is not None
        and "hours" not in errors
        and status not in (AttendanceStatus.PRESENT, AttendanceStatus.GUEST)
    ):
        errors["hours"] = _("Hours are recorded only for people who attended.")
    row = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
    if row is None and kind.is_talk and activity.attendance.count() >= 2:  # type: ignore[attr-defined]
        errors["person"] = _("A talk records exactly two people; this one already has both parties.")
    if status != AttendanceStatus.GUEST and "person" not in errors:
        problem = selectors.eligibility_error(activity, person)
        if problem:
            errors["person"] = problem
    _raise(errors)
    before = _attendance_snapshot(row)
    if row is None:
        row = Attendance(activity=activity, person=person)
    row.status, row.reason, row.hours = status, reason, hours
    if status != AttendanceStatus.PRESENT:
        row.checked_in_at = None
    if row.source != AttendanceSource.QR or status != AttendanceStatus.PRESENT:
        row.source = AttendanceSource.MANUAL
    row.full_clean()
    row.save()
    refresh_quorum(activity)
    audit.record(
        actor=actor,
        action="attendance.set",
        target=activity,
        org=activity.org,
        before=before,
        after=_attendance_snapshot(row),
        target_repr=f"{activity} · {person.name}",
    )
    _check_scope(actor, activity)
    return row


@transaction.atomic
def attendance_remove(*, actor: Any, activity: Activity, person: Person) -> None:
    """Take a person off the list (added by mistake); the removal is audited."""
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    row = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
    if row is None:
        raise ValidationError({"person": _("This person is not on the attendance list.")})
    before = _attendance_snapshot(row)
    row.delete()
    refresh_quorum(activity)
    audit.record(
        actor=actor,
        action="attendance.remove",
        target=activity,
        org=activity.org,
        before=before,
        target_repr=f"{activity} · {person.name}",
    )
    _check_scope(actor, activity)


@transaction.atomic
def attendance_mark_present(*, actor: Any, activity: Activity, hours: Decimal | None = None) -> int:
    """Mark everyone still "expected" present in one step (全部签到), with the kind's study hours.

    The expected list was derived from membership on the activity's date when it was planned, so
    every row is eligible by construction. One audit row per person, written in one statement.
    Returns how many people were marked.
    """
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    kind = activity.kind
    if not kind.has_attendance:
        _raise({"status": _("A %(kind)s records no attendance.") % {"kind": kind.name}})
    _raise(rules.hours_errors(kind, hours))
    rows = list(
        Attendance.objects.select_for_update()
        .filter(activity=activity, status=AttendanceStatus.EXPECTED)
        .select_related("person")
    )
    if not rows:
        return 0
    events = []
    now = timezone.now()
    for row in rows:
        before = _attendance_snapshot(row)
        row.status, row.reason, row.hours, row.source = (
            AttendanceStatus.PRESENT,
            "",
            hours,
            AttendanceSource.MANUAL,
        )
        row.updated = now  # bulk_update does not touch auto_now fields
        events.append(
            audit.build(
                actor=actor,
                action="attendance.set",
                target=activity,
                org=activity.org,
                before=before,
                after=_attendance_snapshot(row),
                target_repr=f"{activity} · {row.person.name}",
            )
        )
    Attendance.objects.bulk_update(rows, ["status", "reason", "hours", "source", "updated"])
    audit.record_many(events)
    refresh_quorum(activity)
    _check_scope(actor, activity)
    return len(rows)
