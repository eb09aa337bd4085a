"""Suspension (MEM-02): the two grounds at their limits, restoration, removal after 2 years through
member_leave (left of own accord)."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.core.models import AuditEvent
from xianfeng.lifecycle import rules, services
from xianfeng.lifecycle.choices import SuspensionReason, SuspensionState
from xianfeng.lifecycle.models import Suspension
from xianfeng.lifecycle.selectors import suspension_rows
from xianfeng.lifecycle.tests.helpers import TODAY, days_ago, suspend
from xianfeng.people.choices import LeaveReason, PoliticalStatus
from xianfeng.people.models import Membership
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db


def errors_of(call):
    with pytest.raises(ValidationError) as err:
        call()
    return err.value.message_dict


class TestStart:
    @pytest.mark.parametrize("reason", [SuspensionReason.ABROAD, SuspensionReason.LOST_CONTACT])
    @pytest.mark.parametrize(("offset", "ok"), [(-1, False), (0, True), (1, True)])
    def test_each_ground_from_its_earliest_day(self, world, reason, offset, ok):
        since = TODAY - relativedelta(years=6)
        earliest = rules.earliest_suspension(reason, since)
        start = earliest + dt.timedelta(days=offset)

        def call():
            return suspend(world.member_a, actor=world.alice, reason=reason, since=since, start_date=start)

        if ok:
            assert call().start_date == start
        else:
            errors = errors_of(call)
            assert "start_date" in errors and "MEM-02" in errors["start_date"][0]
            assert not Suspension.objects.exists()

    def test_exactly_five_years_abroad_is_not_more_than_five(self, world):
        since = dt.date(2018, 3, 1)
        assert "start_date" in errors_of(
            lambda: suspend(
                world.member_a, reason=SuspensionReason.ABROAD, since=since, start_date=dt.date(2023, 3, 1)
            )
        )
        assert suspend(
            world.member_a, reason=SuspensionReason.ABROAD, since=since, start_date=dt.date(2023, 3, 2)
        ).start_date == dt.date(2023, 3, 2)

    def test_bad_input_names_each_field_and_writes_nothing(self, world):
        errors = errors_of(
            lambda: services.suspension_start(
                actor=world.alice,
                membership=world.member_a,
                start_date=TODAY + dt.timedelta(days=1),
                reason="bored",
                since=TODAY,
                note="",
            )
        )
        assert {"start_date", "reason", "note"} <= set(errors)
        assert (
            not Suspension.objects.exists()
            and not AuditEvent.objects.filter(action="suspension.start").exists()
        )

    def test_one_open_suspension_and_only_for_party_members(self, world):
        suspend(world.member_a)
        assert "membership" in errors_of(lambda: suspend(world.member_a))
        activist = make_member(world.branch_a, status=PoliticalStatus.ACTIVIST)
        assert "membership" in errors_of(lambda: suspend(activist))

    def test_it_is_audited_on_the_members_org(self, world):
        suspension = suspend(world.member_a, actor=world.alice)
        event = AuditEvent.objects.get(action="suspension.start")
        assert (event.org, event.target_id, event.actor) == (
            world.branch_a,
            str(suspension.code),
            world.alice,
        )

    def test_readers_and_outsiders_cannot_suspend(self, world):
        for user in (world.bob, world.charlie):
            with pytest.raises(PermissionDenied):
                suspend(world.member_a, actor=user)


class TestRestore:
    def test_restoration_ends_the_suspension(self, world):
        suspension = suspend(world.member_a, start_date=days_ago(30))
        services.suspension_restore(
            actor=world.alice, suspension=suspension, restored_date=TODAY, note="恢复联系"
        )
        suspension.refresh_from_db()
        assert not suspension.is_open and suspension.restored_note == "恢复联系"
        (row,) = suspension_rows(world.branch_a, TODAY, open_only=False)
        assert row.state == SuspensionState.RESTORED
        assert suspension_rows(world.branch_a, TODAY) == []

    @pytest.mark.parametrize(("offset", "ok"), [(-1, False), (0, True)])
    def test_restoration_is_not_before_the_suspension(self, world, offset, ok):
        suspension = suspend(world.member_a, start_date=days_ago(30))
        day = days_ago(30) + dt.timedelta(days=offset)

        def call():
            return services.suspension_restore(
                actor=world.alice, suspension=suspension, restored_date=day, note="x"
            )

        if ok:
            assert call().restored_date == day
        else:
            assert "restored_date" in errors_of(call)

    def test_restoration_needs_a_note_and_an_open_suspension(self, world):
        suspension = suspend(world.member_a, start_date=days_ago(30))
        assert "note" in errors_of(
            lambda: services.suspension_restore(
                actor=world.alice, suspension=suspension, restored_date=TODAY, note=" "
            )
        )
        services.suspension_restore(actor=world.alice, suspension=suspension, restored_date=TODAY, note="x")
        assert "status" in errors_of(
            lambda: services.suspension_restore(
                actor=world.alice, suspension=suspension, restored_date=TODAY, note="x"
            )
        )


class TestRemoval:
    def two_years_ago(self, offset=0):
        return TODAY - relativedelta(years=2) + dt.timedelta(days=offset)

    @pytest.mark.parametrize(
        ("offset", "state"), [(1, SuspensionState.SUSPENDED), (0, SuspensionState.DUE_REMOVAL)]
    )
    def test_after_two_years_the_member_is_listed_for_removal_first(self, world, offset, state):
        young = suspend(world.dang_membership, start_date=days_ago(10))
        old = suspend(world.member_a, start_date=self.two_years_ago(offset))
        rows = suspension_rows(world.branch_a, TODAY)
        assert {r.suspension.pk: r.state for r in rows}[old.pk] == state
        if state == SuspensionState.DUE_REMOVAL:
            assert rows[0].suspension == old
        else:
            assert [r.suspension for r in rows] == [old, young]  # oldest first

    @pytest.mark.parametrize(("offset", "ok"), [(1, False), (0, True)])
    def test_removal_on_or_after_the_second_anniversary(self, world, offset, ok):
        suspension = suspend(world.member_a, start_date=self.two_years_ago(offset))

        def call():
            return services.suspension_remove(actor=world.alice, suspension=suspension, date=TODAY)

        if not ok:
            assert "date" in errors_of(call)
            assert Membership.objects.get(pk=world.member_a.pk).is_current
            return
        call()
        membership = Membership.objects.get(pk=world.member_a.pk)
        assert (membership.left_date, membership.left_reason) == (TODAY, LeaveReason.SELF_DEPARTURE)
        suspension.refresh_from_db()
        assert suspension.removed_date == TODAY
        assert set(AuditEvent.objects.values_list("action", flat=True)) >= {
            "suspension.remove",
            "membership.leave",
        }

    def test_removal_date_cannot_be_in_the_future(self, world):
        suspension = suspend(world.member_a, start_date=self.two_years_ago(-5))
        assert "date" in errors_of(
            lambda: services.suspension_remove(
                actor=world.alice, suspension=suspension, date=TODAY + dt.timedelta(days=1)
            )
        )

    def test_a_restored_suspension_cannot_lead_to_removal(self, world):
        suspension = suspend(world.member_a, start_date=self.two_years_ago(-5))
        services.suspension_restore(actor=world.alice, suspension=suspension, restored_date=TODAY, note="x")
        assert "status" in errors_of(
            lambda: services.suspension_remove(actor=world.alice, suspension=suspension, date=TODAY)
        )
