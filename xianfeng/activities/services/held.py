"""Recording an activity as held (or correcting the record), and cancelling a planned one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.activities import rules
from xianfeng.activities.choices import ActivityStatus, AttendanceStatus
from xianfeng.activities.models import Activity
from xianfeng.activities.services._common import _check_scope, _locked, _not_cancelled, _raise, refresh_quorum
from xianfeng.activities.services._participants import _people_errors, _sync_expected
from xianfeng.activities.services.planning import duplicate_error
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.people.models import Person


@transaction.atomic
def activity_record_held(
    *,
    actor: Any,
    activity: Activity,
    held_start: dt.datetime,
    held_end: dt.datetime | None = None,
    host: Person | None = None,
    recorder: Person | None = None,
    lecturer: Person | None = None,
    minutes: str = "",
    metrics: dict[str, Any] | None = None,
    place: str | None = None,
) -> Activity:
    """Record that the activity took place (or correct the record): time, people, minutes, metrics.

    Refused for a time in the future. The quorum verdict is computed from the attendance.
    """
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    kind = activity.kind
    now = timezone.now()
    errors: dict[str, str] = {}
    if held_start > now:
        errors["held_start"] = _("An activity cannot be recorded as held at a time in the future.")
    if held_end is not None and held_end > now:
        errors["held_end"] = _("An activity cannot be recorded as held at a time in the future.")
    elif held_end is not None and held_end <= held_start:
        errors["held_end"] = _("The end must be after the start.")
    errors.update(_people_errors(kind, {"lecturer": lecturer}))
    clean_metrics, metric_errors = rules.metrics_errors(kind, metrics or {})
    errors.update(metric_errors)
    if kind.is_talk and activity.attendance.exclude(status=AttendanceStatus.GUEST).count() != 2:  # type: ignore[attr-defined]
        errors["participants"] = _(
            "A talk records exactly two people: add the one who talks and the one talked to first."
        )
    if not errors:
        dup = duplicate_error(kind=kind, org=activity.org, start=held_start, exclude_pk=activity.pk)
        errors.update({"held_start": dup["planned_start"]} if dup else {})
    _raise(errors)
    before = audit.snapshot(activity)
    old_day = rules.activity_day(activity)
    activity.status = ActivityStatus.HELD
    activity.held_start, activity.held_end = held_start, held_end
    activity.host, activity.recorder, activity.lecturer = host, recorder, lecturer
    activity.minutes = minutes.strip()
    activity.metrics = clean_metrics
    if place is not None:
        activity.place = place.strip()
    activity.full_clean()
    activity.save()
    _sync_expected(activity, old_day)
    if kind.is_talk:  # a talk that took place had both parties present
        activity.attendance.filter(status=AttendanceStatus.EXPECTED).update(  # type: ignore[attr-defined]
            status=AttendanceStatus.PRESENT
        )
    refresh_quorum(activity)
    audit.record(
        actor=actor,
        action="activity.record_held",
        target=activity,
        org=activity.org,
        before=before,
        after=audit.snapshot(activity),
    )
    _check_scope(actor, activity)
    return activity


@transaction.atomic
def activity_cancel(*, actor: Any, activity: Activity, reason: str) -> Activity:
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    errors: dict[str, str] = {}
    if activity.status == ActivityStatus.HELD:
        errors["status"] = _("The activity was held and cannot be cancelled; correct the record instead.")
    elif activity.status == ActivityStatus.CANCELLED:
        errors["status"] = _("The activity is already cancelled.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for cancelling; members are told.")
    _raise(errors)
    before = audit.snapshot(activity)
    activity.status, activity.cancel_reason = ActivityStatus.CANCELLED, reason.strip()
    activity.save(update_fields=["status", "cancel_reason", "updated"])
    audit.record(
        actor=actor,
        action="activity.cancel",
        target=activity,
        org=activity.org,
        before=before,
        after=audit.snapshot(activity),
        message=reason.strip(),
    )
    _check_scope(actor, activity)
    return activity
