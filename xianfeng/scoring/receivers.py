"""Receivers connected in ScoringConfig.ready(): records changing in other modules, and supervision's
assessment work orders. They only schedule work after the commit, so the other module's write costs
no extra query and never fails because of scoring."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.scoring.choices import CLOSED_STATES, PERSON_SUBJECTS, EntrySource, EntryStatus, SubjectType
from xianfeng.scoring.models import Entry, Item, Period, Scheme
from xianfeng.scoring.recompute import on_record_changed

log = logging.getLogger(__name__)
A_WORK_ORDER = "scoring.entry_create"


def _memberships_of_people(person_ids: list[int]) -> list[int]:
    from xianfeng.people.models import Membership

    return list(Membership.objects.filter(person_id__in=person_ids).values_list("pk", flat=True))


def _activity_day(activity_id: int) -> dt.date | None:
    from xianfeng.activities.models import Activity

    activity = Activity.objects.filter(pk=activity_id).only("held_start", "planned_start").first()
    if activity is None:
        return None
    moment = activity.held_start or activity.planned_start
    return timezone.localtime(moment).date() if moment else None


def _safely(run: Callable[[], None]) -> Callable[[], None]:
    """Derived data must never fail the records module's write: log and go on (compute rebuilds)."""

    def wrapped() -> None:
        try:
            run()
        except Exception:  # see the docstring
            log.exception("scoring: recomputing automatic entries failed")

    return wrapped


def _any_person_scheme() -> bool:
    """One cheap query before any other: with no active scheme of people, a record change costs that."""
    return Scheme.objects.filter(status="active", subject_type__in=PERSON_SUBJECTS).exists()


def attendance_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    person_id, activity_id = instance.person_id, instance.activity_id

    def run() -> None:
        if _any_person_scheme():
            on_record_changed(_memberships_of_people([person_id]), _activity_day(activity_id))

    transaction.on_commit(_safely(run))


def activity_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("created"):
        return  # a new activity has no attendance yet
    activity_id = instance.pk

    def run() -> None:
        from xianfeng.activities.models import Attendance

        if not _any_person_scheme():
            return
        people = list(Attendance.objects.filter(activity_id=activity_id).values_list("person_id", flat=True))
        if people:
            on_record_changed(_memberships_of_people(people), _activity_day(activity_id))

    transaction.on_commit(_safely(run))


def dues_payment_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    membership_id, month = instance.membership_id, instance.month_owed

    def run() -> None:
        if _any_person_scheme():
            on_record_changed([membership_id], month)

    transaction.on_commit(_safely(run))


def work_order_assessed(sender: Any, order: Any, actor: Any = None, **kwargs: Any) -> Entry | None:
    """An assessment (考核) work order: a deduction for the recipient org in the open period of every
    active branch-assessment scheme above it that has a `work_order` item, with the order as evidence.

    The order was decided by its own process in supervision, so the entry is recorded approved, with
    the issuer as the one who entered it. Runs inside the issuing transaction: the deduction and the
    order stand or fall together. A closed period is left alone (reopen it, audited, to add it)."""
    recipient = order.recipient_org
    issued_on = order.issued_on
    if recipient is None or issued_on is None:
        return None
    ancestors = [recipient.path[:i] for i in range(4, len(recipient.path) + 1, 4)]
    items = Item.objects.filter(
        source=EntrySource.WORK_ORDER,
        dimension__scheme__status="active",
        dimension__scheme__subject_type=SubjectType.BRANCH,
        dimension__scheme__org__path__in=ancestors,
        dimension__scheme__year=issued_on.year,
    ).select_related("dimension__scheme__org")
    created = None
    marker = f"考核工单 #{order.pk}"
    for item in items:
        period = Period.objects.filter(
            scheme=item.dimension.scheme, start__lte=issued_on, end__gte=issued_on
        ).first()
        if period is None or period.state in CLOSED_STATES:
            log.warning("scoring: work order %s falls in a closed or missing period; no deduction", order.pk)
            continue
        if Entry.objects.filter(
            period=period, item=item, subject_org=recipient, note__startswith=marker
        ).exists():
            continue  # the signal was sent twice for the same order
        entry = Entry.objects.create(
            period=period,
            dimension=item.dimension,
            item=item,
            org=recipient,
            subject_org=recipient,
            points=item.points_min,
            source=EntrySource.WORK_ORDER,
            status=EntryStatus.APPROVED,
            note=f"{marker}：{order.reason}"[:2000],
            evidence=[{"type": "work_order", "ids": [order.pk], "date": issued_on.isoformat()}],
            entered_by=actor if actor is not None and actor.is_authenticated else None,
            approved_at=timezone.now(),
        )
        audit.record(
            actor=actor, action=A_WORK_ORDER, target=entry, org=recipient, after=audit.snapshot(entry)
        )
        created = entry
    return created
