"""Members acting for themselves: QR check-in at the meeting and leave requests before it.

The meeting page shows a QR code of /activities/checkin/<code>/<token>/ (token = Activity.checkin_token).
A logged-in member who opens it inside the window (XIANFENG_CHECKIN_BEFORE_MINUTES before the planned
start to XIANFENG_CHECKIN_AFTER_MINUTES after it, both ends included) and who is on the list, or was a
member of the org on that date, is marked present once. Anything else is refused with a message and
nothing is written. Every check-in and leave request is audited.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from xianfeng.activities import rules, selectors
from xianfeng.activities.choices import ActivityStatus, AttendanceSource, AttendanceStatus
from xianfeng.activities.models import Activity, Attendance
from xianfeng.activities.services._common import refresh_quorum
from xianfeng.core import audit
from xianfeng.people.models import Person


@dataclass(frozen=True)
class Window:
    opens: dt.datetime
    closes: dt.datetime

    def contains(self, moment: dt.datetime) -> bool:
        return self.opens <= moment <= self.closes


def window(activity: Activity) -> Window:
    return Window(
        activity.planned_start - rules.checkin_before(), activity.planned_start + rules.checkin_after()
    )


@dataclass(frozen=True)
class CheckinResult:
    attendance: Attendance
    already: bool  # a second scan: nothing new was written


def _time(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i")


def _error(field: str, message: str, code: str) -> ValidationError:
    """An error naming its field, with a code the API passes on (too_early, not_member, …)."""
    return ValidationError({field: ValidationError(message, code=code)})


def token_matches(activity: Activity, token: str) -> bool:
    return secrets.compare_digest(activity.checkin_token.encode(), (token or "").encode())


def _person(actor: Any) -> Person:
    person = Person.objects.filter(user=actor).first() if getattr(actor, "is_authenticated", False) else None
    if person is None:
        raise _error(
            "person",
            _("Your account is not linked to a member record; ask your branch administrator."),
            "not_linked",
        )
    return person


def checkin_problem(activity: Activity, token: str, now: dt.datetime) -> ValidationError | None:
    """Why a scan cannot be accepted (wrong token, cancelled, no attendance, outside the window)."""
    if not token_matches(activity, token):
        return _error("token", _("This check-in code is not valid for this activity."), "token")
    if activity.status == ActivityStatus.CANCELLED:
        return _error("activity", _("This activity was cancelled."), "cancelled")
    if not activity.kind.has_attendance:
        return _error("activity", _("This activity records no attendance."), "no_attendance")
    span = window(activity)
    if now < span.opens:
        return _error("now", _("Check-in opens at %(time)s.") % {"time": _time(span.opens)}, "too_early")
    if now > span.closes:
        message = _("Check-in closed at %(time)s; ask the recorder to mark your attendance.")
        return _error("now", message % {"time": _time(span.closes)}, "too_late")
    return None


@transaction.atomic
def checkin(*, actor: Any, activity: Activity, token: str, now: dt.datetime | None = None) -> CheckinResult:
    """Mark the scanning member present (source=qr, checked_in_at=now), once."""
    now = now or timezone.now()
    activity = (
        Activity.objects.select_for_update(of=("self",)).select_related("kind", "org").get(pk=activity.pk)
    )
    problem = checkin_problem(activity, token, now)
    if problem is not None:
        raise problem
    person = _person(actor)
    row = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
    if row is not None and row.status in (AttendanceStatus.PRESENT, AttendanceStatus.GUEST):
        return CheckinResult(row, already=True)
    if row is None:
        problem_text = selectors.eligibility_error(activity, person)
        if problem_text:
            raise _error("person", problem_text, "not_member")
        row = Attendance(activity=activity, person=person)
    before = audit.Snapshot(status=row.status, reason=row.reason) if row.pk else None
    row.status, row.reason = AttendanceStatus.PRESENT, ""
    row.source, row.checked_in_at = AttendanceSource.QR, now
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:  # a simultaneous second scan created the row first
        return CheckinResult(Attendance.objects.get(activity=activity, person=person), already=True)
    refresh_quorum(activity)
    audit.record(
        actor=actor,
        action="attendance.checkin",
        target=activity,
        org=activity.org,
        before=before,
        after=audit.Snapshot(status=row.status, checked_in_at=str(now)),
        target_repr=f"{activity} · {person.name}"[:200],
    )
    return CheckinResult(row, already=False)


@transaction.atomic
def leave_request(
    *, actor: Any, activity: Activity, reason: str, now: dt.datetime | None = None
) -> Attendance:
    """A member asks for leave from a meeting they are expected at, with a reason, before it starts."""
    now = now or timezone.now()
    activity = (
        Activity.objects.select_for_update(of=("self",)).select_related("kind", "org").get(pk=activity.pk)
    )
    person = _person(actor)
    errors: dict[str, str] = {}
    if activity.status != ActivityStatus.PLANNED:
        errors["activity"] = _("Leave can be requested only for a planned activity.")
    elif not activity.kind.has_attendance:
        errors["activity"] = _("This activity records no attendance.")
    elif now >= activity.planned_start:
        errors["reason"] = _("The meeting has started; leave can be requested only before the start.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for your leave; the meeting record lists it.")
    row = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
    if not errors and row is not None and row.status in (AttendanceStatus.PRESENT, AttendanceStatus.GUEST):
        errors["reason"] = _("You are already checked in.")
    if not errors and row is None:
        problem = selectors.eligibility_error(activity, person)
        if problem:
            errors["person"] = problem
    if errors:
        raise ValidationError(errors)
    before = audit.Snapshot(status=row.status, reason=row.reason) if row is not None else None
    if row is None:
        row = Attendance(activity=activity, person=person)
    row.status, row.reason, row.source = (
        AttendanceStatus.LEAVE,
        reason.strip()[:200],
        AttendanceSource.LEAVE_REQUEST,
    )
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action="attendance.leave_request",
        target=activity,
        org=activity.org,
        before=before,
        after=audit.Snapshot(status=row.status, reason=row.reason),
        target_repr=f"{activity} · {person.name}"[:200],
        message=row.reason,
    )
    return row
