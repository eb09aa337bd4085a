"""Receivers connected in ScoringConfig.ready(): records changing in other modules, and supervision's
assessment work orders. They only schedule work after the commit, so the other module's write costs
no extra query and never fails because of scoring."""

from __future__ import annotations

import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.scoring.choices import CLOSED_STATES, PERSON_SUBJECTS, EntrySource, EntryStatus, SubjectType
from xianfeng.scoring.models import Entry, Item, Period, Scheme
from xianfeng.scoring.recompute import on_record_changed

log = logging.getLogger(__name__)
A_WORK_ORDER = "scoring.entry_create"


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


@dataclass
class _Changes:
    """What changed in one transaction, recomputed once after its commit: a meeting's 30 attendance
    rows, or a demo's thousands, are one recompute per period, not one per row."""

    attendance: set[tuple[int, int]] = field(default_factory=set)  # (person, activity)
    activities: set[int] = field(default_factory=set)
    payments: set[tuple[int, dt.date]] = field(default_factory=set)  # (membership, month)


_batch = threading.local()


def _changes() -> _Changes:
    """The current transaction's batch, with its after-commit run scheduled once. A batch whose run is
    no longer pending (it ran, or the transaction rolled back) is replaced by a new one."""
    current: _Changes | None = getattr(_batch, "changes", None)
    run = getattr(_batch, "run", None)
    pending = run is not None and any(
        callback[1] is run for callback in transaction.get_connection().run_on_commit
    )
    if current is None or not pending:
        current = _Changes()
        run = _safely(functools.partial(_recompute, current))
        _batch.changes, _batch.run = current, run
        transaction.on_commit(run)
    return current


def _recompute(changes: _Changes) -> None:
    from xianfeng.activities.models import Attendance
    from xianfeng.people.models import Membership

    if getattr(_batch, "changes", None) is changes:
        _batch.changes = _batch.run = None
    if not _any_person_scheme():
        return
    attendance = set(changes.attendance)
    if changes.activities:
        attendance.update(
            (person, activity)
            for person, activity in Attendance.objects.filter(activity_id__in=changes.activities).values_list(
                "person_id", "activity_id"
            )
        )
    by_day: dict[dt.date, set[int]] = {}
    if attendance:
        days = _activity_days({activity for _person, activity in attendance})
        people = {person for person, _activity in attendance}
        membership_of = dict(Membership.objects.filter(person_id__in=people).values_list("person_id", "pk"))
        for person, activity in attendance:
            day, membership = days.get(activity), membership_of.get(person)
            if day is not None and membership is not None:
                by_day.setdefault(day, set()).add(membership)
    for membership, month in changes.payments:
        by_day.setdefault(month, set()).add(membership)
    for day, memberships in sorted(by_day.items()):
        on_record_changed(memberships, day)


def _activity_days(activity_ids: set[int]) -> dict[int, dt.date]:
    from xianfeng.activities.models import Activity

    out = {}
    for pk, held, planned in Activity.objects.filter(pk__in=activity_ids).values_list(
        "pk", "held_start", "planned_start"
    ):
        moment = held or planned
        if moment:
            out[pk] = timezone.localtime(moment).date()
    return out


def attendance_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _changes().attendance.add((instance.person_id, instance.activity_id))


def activity_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    if kwargs.get("created"):
        return  # a new activity has no attendance yet
    _changes().activities.add(instance.pk)


def dues_payment_changed(sender: Any, instance: Any, **kwargs: Any) -> None:
    _changes().payments.add((instance.membership_id, instance.month_owed))


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
