"""Automatic entries derived from records (attendance, absence, late dues, missed obligations, assessment
work orders), with the records as evidence, and their recomputation when a record changes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pytest

from xianfeng.activities import services as activity_services
from xianfeng.activities.tests.test_services_plan import at, plan
from xianfeng.dues.tests.helpers import pay, set_base
from xianfeng.orgs.models import Org
from xianfeng.scoring import closing, recompute
from xianfeng.scoring.choices import EntrySource
from xianfeng.scoring.models import Entry, Result
from xianfeng.scoring.receivers import work_order_assessed
from xianfeng.scoring.tests.helpers import YEAR, branch_scheme, member_scheme

pytestmark = pytest.mark.django_db


def held_meeting(world, day, present=(), absent=()):
    meeting = plan(world, start=at(day, 14, 30))
    for membership in present:
        activity_services.attendance_set(
            actor=world.alice, activity=meeting, person=membership.person, status="present"
        )
    for membership in absent:
        activity_services.attendance_set(
            actor=world.alice, activity=meeting, person=membership.person, status="absent"
        )
    activity_services.activity_record_held(actor=world.alice, activity=meeting, held_start=at(day, 14, 30))
    return meeting


def auto(membership, source):
    return Entry.objects.filter(membership=membership, source=source).first()


class TestFromRecords:
    def test_attendance_and_absence_become_entries_with_the_meetings_as_evidence(self, world):
        scheme = member_scheme(world)
        m1 = held_meeting(
            world, dt.date(YEAR, 3, 5), present=[world.member_a], absent=[world.dang_membership]
        )
        m2 = held_meeting(world, dt.date(YEAR, 4, 9), present=[world.member_a, world.dang_membership])
        period = scheme.periods.get()
        recompute.recompute_period(period)
        present = auto(world.member_a, EntrySource.ATTENDANCE)
        assert present.count == 2 and present.points == Decimal("1.0")
        assert sorted(present.evidence[0]["ids"]) == sorted([m1.pk, m2.pk])
        absence = auto(world.dang_membership, EntrySource.ABSENCE)
        assert absence.count == 1 and absence.points == -2 and absence.evidence[0]["ids"] == [m1.pk]

    def test_late_dues_are_a_deduction_by_month_owed(self, world):
        scheme = member_scheme(world)
        set_base(world.member_a, year=YEAR)
        pay(world.member_a, dt.date(YEAR, 1, 1), paid_on=dt.date(YEAR, 1, 20))  # in time
        late = pay(world.member_a, dt.date(YEAR, 2, 1), paid_on=dt.date(YEAR, 4, 2))
        recompute.recompute_period(scheme.periods.get())
        entry = auto(world.member_a, EntrySource.DUES_LATE)
        assert entry.count == 1 and entry.points == -1 and entry.evidence[0]["ids"] == [late.pk]

    def test_records_change_and_the_entries_follow_after_the_commit(
        self, world, django_capture_on_commit_callbacks
    ):
        member_scheme(world)
        with django_capture_on_commit_callbacks(execute=True):
            meeting = held_meeting(world, dt.date(YEAR, 3, 5), present=[world.member_a])
        assert auto(world.member_a, EntrySource.ATTENDANCE).count == 1
        with django_capture_on_commit_callbacks(execute=True):
            activity_services.attendance_set(
                actor=world.alice, activity=meeting, person=world.member_a.person, status="absent"
            )
        assert auto(world.member_a, EntrySource.ATTENDANCE) is None
        assert auto(world.member_a, EntrySource.ABSENCE).count == 1

    def test_a_transactions_changes_are_recomputed_once_after_its_commit(
        self, world, django_capture_on_commit_callbacks
    ):
        member_scheme(world)
        set_base(world.member_a, year=YEAR)
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            held_meeting(world, dt.date(YEAR, 3, 5), present=[world.member_a], absent=[world.dang_membership])
            pay(world.member_a, dt.date(YEAR, 2, 1), paid_on=dt.date(YEAR, 4, 2))
        assert auto(world.member_a, EntrySource.ATTENDANCE).count == 1
        assert auto(world.dang_membership, EntrySource.ABSENCE).count == 1
        assert auto(world.member_a, EntrySource.DUES_LATE).count == 1
        from xianfeng.scoring import receivers

        scheduled = [
            c for c in callbacks if c is getattr(receivers._batch, "run", None) or "wrapped" in repr(c)
        ]
        assert len(scheduled) == 1  # one run for the meeting's rows, the activity and the payment

    def test_a_rolled_back_transaction_leaves_no_batch_behind(
        self, world, django_capture_on_commit_callbacks
    ):
        from django.db import transaction

        member_scheme(world)
        meeting = plan(world, start=at(dt.date(YEAR, 3, 5), 14, 30))
        with pytest.raises(RuntimeError), transaction.atomic():
            activity_services.attendance_set(
                actor=world.alice, activity=meeting, person=world.member_a.person, status="present"
            )
            raise RuntimeError
        with django_capture_on_commit_callbacks(execute=True):
            activity_services.activity_record_held(
                actor=world.alice, activity=meeting, held_start=at(dt.date(YEAR, 3, 5), 14, 30)
            )
            activity_services.attendance_set(
                actor=world.alice, activity=meeting, person=world.dang_membership.person, status="present"
            )
        assert auto(world.dang_membership, EntrySource.ATTENDANCE).count == 1
        assert auto(world.member_a, EntrySource.ATTENDANCE) is None  # its row was rolled back

    def test_a_locked_period_is_never_recomputed(self, world):
        scheme = member_scheme(world)
        period = scheme.periods.get()
        closing.period_compute(actor=world.boss, period=period)
        closing.period_lock(actor=world.boss, period=period)
        held_meeting(world, dt.date(YEAR, 3, 5), present=[world.member_a])
        assert recompute.recompute_period(period) == 0
        assert not Entry.objects.filter(source=EntrySource.ATTENDANCE).exists()

    def test_compute_rebuilds_from_records_and_the_cap_applies(self, world):
        scheme = member_scheme(world)
        for month in range(1, 11):
            held_meeting(world, dt.date(YEAR, month, 3), absent=[world.member_a])
        closing.period_compute(actor=world.boss, period=scheme.periods.get())
        result = Result.objects.get(membership=world.member_a)
        assert auto(world.member_a, EntrySource.ABSENCE).points == -20
        assert result.dimensions["basic"] == "-12.00"  # the absence item is capped at 12 a year
        assert result.total == Decimal("48.00")

    def test_missed_obligations_count_against_a_branch(self, world):
        scheme = branch_scheme(world)
        period = scheme.periods.order_by("start").first()
        recompute.recompute_period(period, today=dt.date(YEAR, 11, 1))
        missed = Entry.objects.filter(subject_org=world.branch_a, source=EntrySource.OBLIGATION).first()
        assert missed is not None and missed.count >= 1 and missed.points == -missed.count
        assert missed.evidence[0]["type"] == "finding"


@dataclass
class StandInOrder:
    """What supervision's WorkOrder offers the receiver (at least)."""

    pk: int
    recipient_org: Org
    reason: str
    issued_on: dt.date


class TestAssessmentWorkOrders:
    def test_a_work_order_is_a_deduction_with_the_order_as_evidence(self, world):
        scheme = branch_scheme(world)
        order = StandInOrder(41, world.branch_a, "第二季度三会一课记录不全", dt.date(YEAR, 5, 12))
        entry = work_order_assessed(sender=None, order=order, actor=world.boss)
        assert entry is not None
        assert entry.period.label == f"{YEAR}年第2季度" and entry.points == -2
        assert entry.evidence == [{"type": "work_order", "ids": [41], "date": f"{YEAR}-05-12"}]
        assert entry.dimension.scheme == scheme and entry.status == "approved"

    def test_the_signal_reaches_the_receiver_once_per_order(self, world):
        from xianfeng.supervision.signals import work_order_assessed as signal

        branch_scheme(world)
        order = StandInOrder(7, world.branch_b, "整改逾期", dt.date(YEAR, 8, 1))
        signal.send(sender=StandInOrder, order=order, actor=world.boss)
        signal.send(sender=StandInOrder, order=order, actor=world.boss)
        assert Entry.objects.filter(source=EntrySource.WORK_ORDER, subject_org=world.branch_b).count() == 1

    def test_no_active_scheme_means_no_entry(self, world):
        branch_scheme(world, active=False)
        order = StandInOrder(8, world.branch_a, "x", dt.date(YEAR, 8, 1))
        assert work_order_assessed(sender=None, order=order, actor=None) is None
