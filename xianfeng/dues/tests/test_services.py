import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.dues import services
from xianfeng.dues.choices import DuesCategory, Hardship, PaymentKind
from xianfeng.dues.models import ArrearsReason, DuesBase, DuesBaseAdjustment, DuesPayment
from xianfeng.dues.selectors import expected_amount
from xianfeng.dues.tests.helpers import YEAR, m, pay, set_base
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member


def _nothing_written():
    return (
        DuesBase.objects.count(),
        DuesPayment.objects.count(),
        ArrearsReason.objects.count(),
        AuditEvent.objects.filter(action__startswith="dues.").count(),
    )


class TestAccess:
    def test_alice_sets_a_base_in_her_branch_and_it_is_audited(self, world):
        base = set_base(world.member_a, actor=world.alice)
        assert base.monthly_amount == D("40.00") and base.schedule.code == "2008"
        event = AuditEvent.objects.get(action="dues.base_set")
        assert event.actor == world.alice and event.org == world.branch_a
        assert event.after["base"] == "********"  # the base (income) is censored

    def test_alice_records_a_payment_with_herself_as_collector(self, world):
        set_base(world.member_a)
        payment = pay(world.member_a, m(3), actor=world.alice, paid_by_proxy="张三的妻子")
        assert payment.collector == world.alice and payment.paid_by_proxy == "张三的妻子"
        assert AuditEvent.objects.filter(action="dues.payment_record", actor=world.alice).count() == 1

    @pytest.mark.parametrize("who", ["charlie", "bob", "dang"])
    def test_outsiders_and_read_only_users_are_refused_and_nothing_is_written(self, world, who):
        set_base(world.member_a)
        before = _nothing_written()
        actor = getattr(world, who)
        with pytest.raises(PermissionDenied):
            set_base(world.member_a, year=YEAR + 1, actor=actor)
        with pytest.raises(PermissionDenied):
            pay(world.member_a, m(3), actor=actor)
        with pytest.raises(PermissionDenied):
            services.arrears_reason_record(
                actor=actor, membership=world.member_a, from_month=m(1), to_month=m(2), reason="x"
            )
        assert _nothing_written() == before

    def test_boss_acts_anywhere_below_the_committee(self, world):
        set_base(world.member_b, actor=world.boss)
        assert pay(world.member_b, m(1), actor=world.boss).amount == D("40.00")


class TestBase:
    @pytest.mark.parametrize("base", ["-1.00", "1000000.01"])
    def test_bad_bases_write_nothing(self, world, base):
        before = _nothing_written()
        with pytest.raises(ValidationError) as exc:
            set_base(world.member_a, base=base, actor=world.alice)
        assert "base" in exc.value.message_dict
        assert _nothing_written() == before

    def test_fixed_category_stores_the_fixed_amount(self, world):
        base = set_base(world.member_a, base="0", category=DuesCategory.STUDENT)
        assert base.monthly_amount == D("0.20") and base.fixed_amount == D("0.20")
        with pytest.raises(ValidationError):
            set_base(world.member_a, category=DuesCategory.EMPLOYED, fixed_amount=D("1.00"), year=YEAR + 1)

    def test_january_reset_replaces_the_base_until_payments_exist(self, world):
        set_base(world.member_a, base="4000.00")
        assert set_base(world.member_a, base="6000.00").monthly_amount == D("90.00")
        pay(world.member_a, m(1), amount="90.00")
        with pytest.raises(ValidationError) as exc:
            set_base(world.member_a, base="7000.00")
        assert "DUES-04" in str(exc.value)

    def test_over_the_soft_ceiling_is_flagged_not_capped(self, world):
        base = set_base(world.member_a, base="60000.00")
        assert (base.monthly_amount, base.above_soft_ceiling, base.capped) == (D("1200.00"), True, False)

    def test_mid_year_adjustment_is_explicit_audited_and_applies_from_its_month(self, world):
        base = set_base(world.member_a, base="4000.00")
        adj = services.dues_base_adjust(
            actor=world.alice, dues_base=base, effective_month=m(7), base=D("6000.00"), reason="promotion"
        )
        assert adj.monthly_amount == D("90.00")
        assert AuditEvent.objects.filter(action="dues.base_adjust").count() == 1
        assert expected_amount(world.member_a, m(6)) == D("40.00")
        assert expected_amount(world.member_a, m(7)) == D("90.00")
        for month, reason in ((m(1), "x"), (m(3, YEAR + 1), "x"), (m(8), " ")):
            with pytest.raises(ValidationError):
                services.dues_base_adjust(
                    actor=world.alice, dues_base=base, effective_month=month, base=D("1"), reason=reason
                )
        assert DuesBaseAdjustment.objects.count() == 1

    def test_hardship_exemption_and_reduction(self, world):
        base = set_base(world.member_a, base="4000.00")
        with pytest.raises(ValidationError) as exc:  # the branch cannot approve its own case
            services.dues_hardship_set(
                actor=world.alice,
                dues_base=base,
                hardship=Hardship.EXEMPTION,
                reason="illness",
                approved_by=world.branch_a,
                from_month=m(3),
                to_month=m(5),
            )
        assert "approved_by" in exc.value.message_dict
        services.dues_hardship_set(
            actor=world.alice,
            dues_base=base,
            hardship=Hardship.REDUCTION,
            reason="illness",
            approved_by=world.committee,
            from_month=m(3),
            to_month=m(5),
            reduced_amount=D("10.00"),
        )
        assert expected_amount(world.member_a, m(4)) == D("10.00")
        assert expected_amount(world.member_a, m(6)) == D("40.00")
        assert pay(world.member_a, m(4), amount="10.00").amount == D("10.00")


class TestPayment:
    def test_amount_must_equal_the_monthly_amount(self, world):
        set_base(world.member_a)
        with pytest.raises(ValidationError) as exc:
            pay(world.member_a, m(2), amount="39.99")
        assert "40.00" in exc.value.message_dict["amount"][0]

    def test_second_regular_payment_is_refused_but_voluntary_extra_is_allowed(self, world):
        set_base(world.member_a)
        pay(world.member_a, m(2), actor=world.alice)
        before = _nothing_written()
        with pytest.raises(ValidationError) as exc:
            pay(world.member_a, m(2), actor=world.alice)
        assert "month_owed" in exc.value.message_dict
        assert _nothing_written() == before
        extra = pay(world.member_a, m(2), amount="100.00", kind=PaymentKind.VOLUNTARY_EXTRA)
        assert not extra.to_centre

    def test_large_one_off_goes_to_the_centre_and_must_exceed_1000(self, world):
        set_base(world.member_a)
        assert pay(world.member_a, m(2), amount="5000.00", kind=PaymentKind.LARGE_ONE_OFF).to_centre
        with pytest.raises(ValidationError):
            pay(world.member_a, m(2), amount="1000.00", kind=PaymentKind.LARGE_ONE_OFF)

    def test_no_base_no_regular_payment(self, world):
        with pytest.raises(ValidationError) as exc:
            pay(world.member_a, m(2))
        assert "DUES-04" in exc.value.message_dict["month_owed"][0]

    def test_paid_on_cannot_be_in_the_future(self, world):
        set_base(world.member_a)
        with pytest.raises(ValidationError) as exc:
            pay(world.member_a, m(2), paid_on=timezone.localdate() + dt.timedelta(days=30))
        assert "paid_on" in exc.value.message_dict

    def test_month_owed_is_a_first_of_month(self, world):
        set_base(world.member_a)
        with pytest.raises(ValidationError):
            pay(world.member_a, dt.date(YEAR, 2, 2))

    @pytest.mark.parametrize(
        ("owed", "paid_on", "ok"),
        [
            (m(1), dt.date(YEAR, 7, 31), True),  # 6 months back: allowed
            (m(1), dt.date(YEAR, 8, 1), False),  # 7 months back: refused
            (m(12, YEAR - 1), dt.date(YEAR, 6, 15), True),  # across the year end: 6 back
            (m(12, YEAR - 1), dt.date(YEAR, 7, 1), False),
            (m(9), dt.date(YEAR, 7, 5), True),  # in advance within the quarter (quarterly payment)
            (m(10), dt.date(YEAR, 9, 30), False),  # next quarter: refused
        ],
    )
    def test_back_payment_limit_is_six_months_before_the_month_of_payment(self, world, owed, paid_on, ok):
        set_base(world.member_a, year=YEAR - 1)
        set_base(world.member_a)
        if ok:
            assert pay(world.member_a, owed, paid_on=paid_on).pk
        else:
            with pytest.raises(ValidationError) as exc:
                pay(world.member_a, owed, paid_on=paid_on)
            assert "DUES-12" in exc.value.message_dict["month_owed"][0]

    def test_probationary_member_pays_from_the_acceptance_month(self, world):
        member = make_member(
            world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=dt.date(YEAR, 3, 20)
        )
        set_base(member)
        before = _nothing_written()
        with pytest.raises(ValidationError) as exc:
            pay(member, m(2), actor=world.alice)
        assert "DUES-10" in exc.value.message_dict["month_owed"][0]
        assert _nothing_written() == before
        assert pay(member, m(3), actor=world.alice).month_owed == m(3)

    def test_applicants_do_not_pay(self, world):
        member = make_member(world.branch_a, status=PoliticalStatus.CANDIDATE)
        with pytest.raises(ValidationError) as exc:
            pay(member, m(3))
        assert "membership" in exc.value.message_dict


def test_arrears_reason_is_validated_and_audited(world):
    with pytest.raises(ValidationError):
        services.arrears_reason_record(
            actor=world.alice, membership=world.member_a, from_month=m(3), to_month=m(2), reason="x"
        )
    with pytest.raises(ValidationError):
        services.arrears_reason_record(
            actor=world.alice, membership=world.member_a, from_month=m(1), to_month=m(2), reason=" "
        )
    services.arrears_reason_record(
        actor=world.alice, membership=world.member_a, from_month=m(1), to_month=m(2), reason="abroad"
    )
    assert AuditEvent.objects.filter(action="dues.arrears_reason").count() == 1
