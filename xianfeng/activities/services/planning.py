"""Planning an activity and changing its title, time, place or people."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xianfeng.activities import rules, selectors
from xianfeng.activities.choices import ActivityStatus
from xianfeng.activities.models import Activity, ActivityKind, Attendance
from xianfeng.activities.services._common import _check_scope, _locked, _not_cancelled, _raise
from xianfeng.activities.services._participants import _people_errors, _sync_expected
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.orgs.models import Org
from xianfeng.people.models import Person

UPDATABLE_FIELDS = ("title", "planned_start", "planned_end", "place", "host", "recorder", "lecturer")
PERSON_FIELDS = ("host", "recorder", "lecturer")


def duplicate_error(
    *, kind: ActivityKind, org: Org, start: dt.datetime, exclude_pk: int | None = None
) -> dict[str, str]:
    """The same meeting (same org, same kind, not cancelled) already recorded on that day."""
    if not rules.is_meeting(kind):
        return {}
    day = rules.local_day(start)
    first, end = rules.day_bounds(day)
    same_day = Activity.objects.filter(org=org, kind=kind).exclude(status=ActivityStatus.CANCELLED)
    same_day = same_day.filter(
        Q(held_start__gte=first, held_start__lt=end)
        | Q(held_start__isnull=True, planned_start__gte=first, planned_start__lt=end)
    )
    if exclude_pk is not None:
        same_day = same_day.exclude(pk=exclude_pk)
    other = same_day.first()
    if other is None:
        return {}
    return {
        "planned_start": _(
            "A %(kind)s of %(org)s is already recorded on %(date)s (“%(title)s”); a meeting is recorded "
            "once. Open that record instead."
        )
        % {"kind": kind.name, "org": org.display_name, "date": day.isoformat(), "title": other.title}
    }


def _talk_errors(kind: ActivityKind, participants: Sequence[Person]) -> dict[str, str]:
    if kind.is_talk and participants and (len(participants) != 2 or participants[0].pk == participants[1].pk):
        return {
            "participants": _("A talk records exactly two people: the one who talks and the one talked to.")
        }
    return {}


@transaction.atomic
def activity_plan(
    *,
    actor: Any,
    org: Org,
    kind: ActivityKind,
    planned_start: dt.datetime,
    title: str = "",
    planned_end: dt.datetime | None = None,
    place: str = "",
    host: Person | None = None,
    recorder: Person | None = None,
    lecturer: Person | None = None,
    participants: Sequence[Person] = (),
) -> Activity:
    """Plan an activity; the people expected follow from the kind's audience on the planned date.

    Participants are added by hand (named audiences); a talk names its two parties (BR-16).
    """
    require(actor, Action.CHANGE, org)
    errors = rules.kind_errors(kind, org)
    if not org.is_active:
        errors["org"] = _("The organization is dissolved; it holds no more activities.")
    if planned_end is not None and planned_end <= planned_start:
        errors["planned_end"] = _("The end must be after the start.")
    errors.update(_people_errors(kind, {"lecturer": lecturer}))
    errors.update(_talk_errors(kind, participants))
    if participants and not kind.has_attendance:
        errors["participants"] = _("A %(kind)s records no attendance.") % {"kind": kind.name}
    activity = Activity(
        kind=kind,
        org=org,
        title=(title or "").strip() or kind.name,
        planned_start=planned_start,
        planned_end=planned_end,
        place=place.strip(),
        host=host if host is not None else (participants[0] if kind.is_talk and participants else None),
        recorder=recorder,
        lecturer=lecturer,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not errors:
        errors.update(duplicate_error(kind=kind, org=org, start=planned_start))
    for person in participants if not errors else ():
        problem = selectors.eligibility_error(activity, person)
        if problem:
            errors["participants"] = problem
            break
    _raise(errors)
    activity.full_clean()
    activity.save()
    _sync_expected(activity, None)
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, person=person) for person in participants], ignore_conflicts=True
    )
    audit.record(
        actor=actor, action="activity.plan", target=activity, org=org, after=audit.snapshot(activity)
    )
    _check_scope(actor, activity)
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, data: dict[str, Any]) -> Activity:
    """Change the title, place, people or (while planned) the time; a new date re-derives who is expected."""
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    unknown = set(data) - set(UPDATABLE_FIELDS)
    _raise({name: _("This field cannot be changed here.") for name in unknown})
    errors: dict[str, str] = {}
    if activity.status == ActivityStatus.HELD and {"planned_start", "planned_end"} & set(data):
        errors["planned_start"] = _("The activity was held; correct the held time with “Record as held”.")
    errors.update(_people_errors(activity.kind, {k: v for k, v in data.items() if k in PERSON_FIELDS}))
    _raise(errors)
    before = audit.snapshot(activity)
    old_day = rules.activity_day(activity)
    for name, value in data.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    if not activity.title:
        activity.title = activity.kind.name
    if activity.planned_end is not None and activity.planned_end <= activity.planned_start:
        errors["planned_end"] = _("The end must be after the start.")
    if not errors and "planned_start" in data:
        errors.update(
            duplicate_error(
                kind=activity.kind, org=activity.org, start=activity.planned_start, exclude_pk=activity.pk
            )
        )
    _raise(errors)
    activity.full_clean()
    activity.save()
    if activity.status == ActivityStatus.PLANNED:
        _sync_expected(activity, old_day)
    after = audit.snapshot(activity)
    if after != before:
        audit.record(
            actor=actor,
            action="activity.update",
            target=activity,
            org=activity.org,
            before=before,
            after=after,
        )
    _check_scope(actor, activity)
    return activity
