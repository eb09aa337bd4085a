"""The info sets of a member's record: each kind's rules, and every write audited (family names and
work units censored)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.core.audit import CENSOR_TOKEN
from xianfeng.core.models import AuditEvent
from xianfeng.lifecycle import services
from xianfeng.lifecycle.info import KINDS
from xianfeng.lifecycle.models import FamilyMember, RewardPunishment, TrainingRecord, TripAbroad
from xianfeng.lifecycle.tests.helpers import TODAY, days_ago
from xianfeng.people.services import member_leave

pytestmark = pytest.mark.django_db

VALID = {
    "rewards": {
        "category": "reward",
        "date": days_ago(30),
        "title": "优秀共产党员",
        "granted_by": "公司党委",
    },
    "trips": {
        "start_date": days_ago(20),
        "end_date": days_ago(10),
        "destination": "新加坡",
        "purpose": "探亲",
        "approved_by": "公司党委",
        "approval_date": days_ago(25),
    },
    "hardship": {"recorded_date": days_ago(5), "category": "illness", "description": "家属重病"},
    "family": {
        "name": "王芳",
        "relation": "spouse",
        "work_unit": "市第一医院 护士",
        "political_status": "masses",
    },
    "training": {
        "start_date": days_ago(3),
        "end_date": days_ago(2),
        "title": "党务干部培训班",
        "hours": Decimal("16"),
        "organiser": "公司党校",
    },
}


def add(world, kind, actor=None, **over):
    return services.info_add(
        actor=actor or world.alice, membership=world.member_a, kind=kind, data={**VALID[kind], **over}
    )


def errors_of(call):
    with pytest.raises(ValidationError) as err:
        call()
    return err.value.message_dict


@pytest.mark.parametrize("kind", list(KINDS))
def test_each_kind_is_added_corrected_and_removed_with_an_audit_row_each(world, kind):
    entry = add(world, kind)
    assert entry.membership == world.member_a
    field, value = next(
        (k, v) for k, v in VALID[kind].items() if isinstance(v, str) and k not in ("category", "relation")
    )
    services.info_update(actor=world.alice, entry=entry, data={field: value + "（更正）"})
    services.info_remove(actor=world.alice, entry=entry)
    assert not KINDS[kind].model.objects.exists()
    actions = list(
        AuditEvent.objects.filter(action__startswith="member_info.")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["member_info.add", "member_info.update", "member_info.remove"]
    assert set(
        AuditEvent.objects.filter(action__startswith="member_info.").values_list("org", flat=True)
    ) == {world.branch_a.pk}


def test_family_names_and_work_units_are_censored_in_the_audit_log(world):
    add(world, "family")
    event = AuditEvent.objects.get(action="member_info.add")
    assert event.after["name"] == CENSOR_TOKEN and event.after["work_unit"] == CENSOR_TOKEN
    assert event.after["relation"] == "spouse"
    assert "王芳" not in event.target_repr + event.message


def test_an_unchanged_correction_writes_no_audit_row(world):
    entry = add(world, "rewards")
    services.info_update(actor=world.alice, entry=entry, data={"title": VALID["rewards"]["title"]})
    assert not AuditEvent.objects.filter(action="member_info.update").exists()


def test_required_fields_and_choices_are_named(world):
    errors = errors_of(lambda: add(world, "rewards", title="", category="medal", date=None))
    assert {"title", "category", "date"} <= set(errors)
    assert not RewardPunishment.objects.exists()


def test_unknown_fields_and_kinds_are_refused(world):
    assert "membership" in errors_of(lambda: add(world, "rewards", membership=world.member_b))
    assert "kind" in errors_of(
        lambda: services.info_add(actor=world.alice, membership=world.member_a, kind="pets", data={})
    )


@pytest.mark.parametrize(("offset", "ok"), [(0, True), (1, False)])
def test_a_reward_is_not_dated_in_the_future(world, offset, ok):
    day = TODAY + dt.timedelta(days=offset)
    if ok:
        assert add(world, "rewards", date=day).date == day
    else:
        assert "date" in errors_of(lambda: add(world, "rewards", date=day))


class TestTrips:
    @pytest.mark.parametrize(("offset", "ok"), [(-1, True), (0, True), (1, False)])
    def test_the_approval_comes_before_departure(self, world, offset, ok):
        start = days_ago(20)

        def call():
            return add(world, "trips", approval_date=start + dt.timedelta(days=offset))

        if ok:
            assert call().start_date == start
        else:
            assert "approval_date" in errors_of(call)
            assert not TripAbroad.objects.exists()

    def test_the_return_is_not_before_departure(self, world):
        assert "end_date" in errors_of(lambda: add(world, "trips", end_date=days_ago(21)))
        assert add(world, "trips", end_date=days_ago(20)).end_date == days_ago(20)

    def test_a_planned_trip_has_no_return_yet(self, world):
        planned = add(
            world, "trips", start_date=TODAY + dt.timedelta(days=30), end_date=None, approval_date=TODAY
        )
        assert planned.end_date is None
        assert "end_date" in errors_of(lambda: add(world, "trips", end_date=TODAY + dt.timedelta(days=1)))


class TestTraining:
    @pytest.mark.parametrize(("hours", "ok"), [("0", False), ("0.5", True), ("48", True), ("48.5", False)])
    def test_hours_are_positive_and_at_most_24_a_day(self, world, hours, ok):
        def call():
            return add(world, "training", hours=Decimal(hours))

        if ok:
            assert call().hours == Decimal(hours)
        else:
            assert "hours" in errors_of(call)
            assert not TrainingRecord.objects.exists()

    def test_a_training_does_not_end_before_it_starts_nor_in_the_future(self, world):
        assert "end_date" in errors_of(lambda: add(world, "training", end_date=days_ago(4)))
        assert "end_date" in errors_of(lambda: add(world, "training", end_date=TODAY + dt.timedelta(days=1)))


def test_a_hardship_is_not_resolved_before_it_was_recorded(world):
    assert "resolved_date" in errors_of(lambda: add(world, "hardship", resolved_date=days_ago(6)))
    assert add(world, "hardship", resolved_date=days_ago(5)).resolved_date == days_ago(5)


def test_readers_and_outsiders_cannot_write(world):
    for user in (world.bob, world.charlie):
        with pytest.raises(PermissionDenied):
            add(world, "family", actor=user)
    entry = add(world, "family")
    for user in (world.bob, world.charlie):
        with pytest.raises(PermissionDenied):
            services.info_remove(actor=user, entry=entry)
    assert FamilyMember.objects.count() == 1


def test_the_record_of_a_member_who_left_is_history(world):
    entry = add(world, "rewards")
    member_leave(actor=None, membership=world.member_a, reason="death", date=TODAY)
    assert "membership" in errors_of(lambda: add(world, "rewards"))
    assert "membership" in errors_of(lambda: services.info_remove(actor=world.alice, entry=entry))
