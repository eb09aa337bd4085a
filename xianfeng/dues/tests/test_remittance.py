"""Remittance ratios (set by the superior committee, DUES-15 L) and recorded remittances."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.dues import rules, services
from xianfeng.dues.models import Remittance, RemittanceRatio
from xianfeng.dues.tests.helpers import YEAR, m

JANUARY, MARCH = m(1), m(3)


def set_ratio(org, value, actor=None, valid_from=JANUARY, note=""):
    return services.remittance_ratio_set(actor=actor, org=org, valid_from=valid_from, ratio=value, note=note)


def record(org, start=JANUARY, end=MARCH, amount="100.00", actor=None, remitted_on=None, **kw):
    return services.remittance_record(
        actor=actor,
        org=org,
        period_start=start,
        period_end=end,
        amount=amount,
        remitted_on=remitted_on or dt.date(YEAR, 4, 15),
        **kw,
    )


def written():
    return (
        RemittanceRatio.objects.count(),
        Remittance.objects.count(),
        AuditEvent.objects.filter(action__startswith="dues.remittance").count(),
    )


class TestToRatio:
    @pytest.mark.parametrize(
        ("value", "expected"),
        [
            ("0", D("0")),
            ("0.0001", D("0.0001")),
            (D("0.05"), D("0.05")),
            (0.05, D("0.05")),
            ("0.9999", D("0.9999")),
            ("1", D("1")),
            (1, D("1")),
        ],
    )
    def test_shares_from_0_to_1_with_four_decimals(self, value, expected):
        assert rules.to_ratio(value, "share") == expected

    @pytest.mark.parametrize(
        "value",
        ["-0.0001", "-0.01", "1.0001", "0.00001", "0.12345", "abc", "", None, "NaN", "Infinity", "5%"],
    )
    def test_anything_else_is_refused_naming_the_field(self, value):
        with pytest.raises(ValidationError) as exc:
            rules.to_ratio(value, "share")
        assert list(exc.value.message_dict) == ["share"]

    def test_the_message_explains_the_share(self):
        with pytest.raises(ValidationError) as exc:
            rules.to_ratio("2", "share")
        assert "(0.05 is 5 percent)" in exc.value.message_dict["share"][0]


class TestRatioSet:
    def test_the_superior_committee_sets_it_and_it_is_audited(self, world):
        obj = set_ratio(world.general_branch, "0.05", actor=world.boss, note=" 党委会 2025-01 ")
        assert (obj.org, obj.valid_from, obj.ratio, obj.note) == (
            world.general_branch,
            m(1),
            D("0.05"),
            "党委会 2025-01",
        )
        event = AuditEvent.objects.get(action="dues.remittance_ratio_set")
        assert (event.actor, event.org, event.before) == (world.boss, world.general_branch, None)
        assert event.after["ratio"] == "0.0500" and event.after["valid_from"] == "2025-01-01"

    def test_a_root_sets_its_own(self, world):
        assert set_ratio(world.committee, "0.05", actor=world.boss).org == world.committee

    @pytest.mark.parametrize(
        ("who", "org"),
        [
            ("alice", "branch_a"),  # a branch admin cannot set her own branch's ratio
            ("alice", "general_branch"),
            ("charlie", "branch_a"),
            ("bob", "branch_a"),
            ("dang", "branch_a"),
        ],
    )
    def test_others_are_refused_and_nothing_is_written(self, world, who, org):
        before = written()
        with pytest.raises(PermissionDenied):
            set_ratio(getattr(world, org), "0.05", actor=getattr(world, who))
        assert written() == before

    @pytest.mark.parametrize("value", ["0", "1", "0.0001", "0.9999", "1.0000", "0.10000"])
    def test_accepted_values(self, world, value):
        obj = set_ratio(world.branch_a, value, actor=world.boss)
        obj.refresh_from_db()
        assert obj.ratio == D(value)

    @pytest.mark.parametrize("value", ["-0.01", "1.0001", "0.12345", "abc", "", None, "NaN"])
    def test_refused_values_name_the_ratio_and_write_nothing(self, world, value):
        before = written()
        with pytest.raises(ValidationError) as exc:
            set_ratio(world.branch_a, value, actor=world.boss)
        assert list(exc.value.message_dict) == ["ratio"]
        assert written() == before

    def test_valid_from_is_a_first_of_month(self, world):
        with pytest.raises(ValidationError) as exc:
            set_ratio(world.branch_a, "0.05", actor=world.boss, valid_from=dt.date(YEAR, 1, 2))
        assert "valid_from" in exc.value.message_dict

    def test_the_same_start_updates_with_before_and_after_and_another_start_adds(self, world):
        first = set_ratio(world.branch_a, "0.05", actor=world.boss)
        second = set_ratio(world.branch_a, "0.1", actor=world.boss, note="revised")
        assert second.pk == first.pk and RemittanceRatio.objects.get().ratio == D("0.1000")
        update = AuditEvent.objects.filter(action="dues.remittance_ratio_set").order_by("pk").last()
        assert (update.before["ratio"], update.after["ratio"]) == ("0.0500", "0.1000")
        assert (update.before["note"], update.after["note"]) == ("", "revised")
        set_ratio(world.branch_a, "0.2", actor=world.boss, valid_from=m(7))
        assert list(RemittanceRatio.objects.order_by("valid_from").values_list("valid_from", "ratio")) == [
            (m(1), D("0.1000")),
            (m(7), D("0.2000")),
        ]
        assert AuditEvent.objects.filter(action="dues.remittance_ratio_set").count() == 3


class TestRecord:
    def test_a_branch_records_its_remittance_and_it_is_audited(self, world):
        obj = record(world.branch_a, actor=world.alice, reference=" 转账 0001 ", note=" Q1 ")
        assert (obj.period_start, obj.period_end, obj.amount) == (m(1), m(3), D("100.00"))
        assert (obj.reference, obj.note) == ("转账 0001", "Q1")
        event = AuditEvent.objects.get(action="dues.remittance_record")
        assert (event.actor, event.org, event.before) == (world.alice, world.branch_a, None)
        assert event.after["amount"] == "100.00" and event.after["period_end"] == "2025-03-01"

    @pytest.mark.parametrize(
        ("who", "org"), [("charlie", "branch_a"), ("bob", "branch_a"), ("alice", "general_branch")]
    )
    def test_outsiders_are_refused(self, world, who, org):
        before = written()
        with pytest.raises(PermissionDenied):
            record(getattr(world, org), actor=getattr(world, who))
        assert written() == before

    def test_the_committee_records_for_anyone_below(self, world):
        assert record(world.branch_b, actor=world.boss).org == world.branch_b

    @pytest.mark.parametrize(
        ("start", "end", "ok"),
        [
            (m(10, YEAR - 1), m(12, YEAR - 1), True),  # the quarter before
            (m(12, YEAR - 1), m(1), False),  # shares January
            (m(2), m(2), False),  # inside
            (m(3), m(5), False),  # shares March
            (m(1, YEAR - 1), m(12), False),  # around it
            (m(4), m(6), True),  # the quarter after
        ],
    )
    def test_runs_of_one_org_never_overlap(self, world, start, end, ok):
        record(world.branch_a, m(1), m(3))
        before = written()
        if ok:
            assert record(world.branch_a, start, end, actor=world.alice).pk
            assert written()[1:] == (before[1] + 1, before[2] + 1)
        else:
            with pytest.raises(ValidationError) as exc:
                record(world.branch_a, start, end, actor=world.alice)
            assert list(exc.value.message_dict) == ["period_start"]
            assert written() == before

    def test_another_org_may_remit_the_same_months(self, world):
        record(world.branch_a)
        assert record(world.branch_b).pk

    @pytest.mark.parametrize(
        ("start", "end", "ok"), [(m(3), m(2), False), (m(3), m(3), True), (m(3), m(4), True)]
    )
    def test_the_period_does_not_end_before_it_starts(self, world, start, end, ok):
        if ok:
            assert record(world.branch_a, start, end).pk
        else:
            with pytest.raises(ValidationError) as exc:
                record(world.branch_a, start, end)
            assert list(exc.value.message_dict) == ["period_end"]

    @pytest.mark.parametrize(
        ("amount", "ok"), [("0", False), ("0.00", False), ("-1.00", False), ("0.01", True)]
    )
    def test_the_amount_is_above_zero(self, world, amount, ok):
        if ok:
            assert record(world.branch_a, amount=amount).amount == D(amount)
        else:
            with pytest.raises(ValidationError) as exc:
                record(world.branch_a, amount=amount)
            assert list(exc.value.message_dict) == ["amount"]
            assert written() == (0, 0, 0)

    @pytest.mark.parametrize("amount", ["abc", "1.001", None])
    def test_the_amount_is_money(self, world, amount):
        with pytest.raises(ValidationError) as exc:
            record(world.branch_a, amount=amount)
        assert "amount" in exc.value.message_dict

    @pytest.mark.parametrize(("days", "ok"), [(-1, True), (0, True), (1, False)])
    def test_the_remittance_date_is_not_in_the_future(self, world, days, ok):
        day = timezone.localdate() + dt.timedelta(days=days)
        if ok:
            assert record(world.branch_a, remitted_on=day).remitted_on == day
        else:
            with pytest.raises(ValidationError) as exc:
                record(world.branch_a, remitted_on=day)
            assert list(exc.value.message_dict) == ["remitted_on"]
            assert written() == (0, 0, 0)

    @pytest.mark.parametrize(
        ("start", "end", "field"),
        [(dt.date(YEAR, 1, 2), m(3), "period_start"), (m(1), dt.date(YEAR, 3, 31), "period_end")],
    )
    def test_months_are_first_days(self, world, start, end, field):
        with pytest.raises(ValidationError) as exc:
            record(world.branch_a, start, end)
        assert field in exc.value.message_dict

    def test_all_errors_are_reported_together(self, world):
        with pytest.raises(ValidationError) as exc:
            record(
                world.branch_a,
                m(3),
                m(1),
                amount="0",
                remitted_on=timezone.localdate() + dt.timedelta(days=1),
            )
        assert set(exc.value.message_dict) == {"period_end", "amount", "remitted_on"}
