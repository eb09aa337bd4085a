import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from xianfeng.dues import rates
from xianfeng.dues.choices import DuesCategory as C
from xianfeng.dues.models import RateBracket, RateSchedule

BRACKETS = rates.builtin_brackets()
ON = dt.date(2026, 1, 1)


def pure(category, base, fixed=None):
    return rates.amount_from_brackets(BRACKETS, category=category, base=D(base), fixed_amount=fixed)


@pytest.mark.parametrize(
    ("base", "amount"),
    [
        ("0.00", "0.00"),
        ("3000.00", "15.00"),
        ("3000.01", "30.00"),
        ("5000.00", "50.00"),
        ("5000.01", "75.00"),
        ("10000.00", "150.00"),
        ("10000.01", "200.00"),
        ("245000.00", "4900.00"),  # DUES-06 worked example (December of an annual-salary member)
    ],
)
def test_salary_bracket_edges_whole_base_upper_bound_inclusive(base, amount):
    assert pure(C.EMPLOYED, base) == D(amount)
    assert pure(C.ANNUAL_SALARY, base) == D(amount)


@pytest.mark.parametrize(
    ("base", "amount"), [("5000.00", "25.00"), ("5000.01", "50.00"), ("3000.00", "15.00")]
)
def test_retiree_bracket_edges(base, amount):
    assert pure(C.RETIRED, base) == D(amount)


@pytest.mark.parametrize("category", [C.STUDENT, C.UNEMPLOYED, C.RELIEF])
def test_fixed_categories_pay_twenty_fen(category):
    assert pure(category, "0") == D("0.20")
    assert pure(category, "0", D("0.20")) == D("0.20")
    with pytest.raises(ValidationError) as exc:
        pure(category, "0", D("0.50"))
    assert "fixed_amount" in exc.value.message_dict


def test_rural_amount_is_chosen_between_twenty_fen_and_one_yuan():
    assert pure(C.RURAL, "0", D("0.50")) == D("0.50")
    assert pure(C.RURAL, "0", D("1.00")) == D("1.00")
    for bad in (None, D("0.19"), D("1.01")):
        with pytest.raises(ValidationError):
            pure(C.RURAL, "0", bad)


@pytest.mark.parametrize(
    ("base", "amount"),
    [
        ("2999.90", "15.00"),
        ("2999.10", "15.00"),
        ("2999.00", "15.00"),
        ("1234.50", "6.17"),
        ("4321.50", "43.22"),
    ],
)
def test_rounding_is_half_up_to_the_fen(base, amount):
    # 2999.90 * 0.005 = 14.9995 → 15.00; 1234.50 * 0.005 = 6.1725 → 6.17; 4321.50 * 0.01 = 43.215 → 43.22
    assert pure(C.EMPLOYED, base) == D(amount)


MONEY = st.decimals(min_value=D("0"), max_value=D("1000000"), places=2, allow_nan=False, allow_infinity=False)
EDGES = {C.EMPLOYED: [D("3000"), D("5000"), D("10000")], C.RETIRED: [D("5000")]}


def _bracket_of(category, base):
    return sum(1 for edge in EDGES[category] if base > edge)


@given(a=MONEY, b=MONEY, category=st.sampled_from([C.EMPLOYED, C.RETIRED]))
def test_amount_is_never_negative_and_monotonic_within_a_bracket(a, b, category):
    low, high = sorted((a, b))
    assert pure(category, low) >= 0
    if _bracket_of(category, low) == _bracket_of(category, high):
        assert pure(category, low) <= pure(category, high)
        assert pure(category, high) - pure(category, low) <= (high - low) * D("0.02") + D("0.01")


@given(base=MONEY, category=st.sampled_from([C.EMPLOYED, C.RETIRED]))
def test_amount_jumps_only_at_bracket_edges(base, category):
    step = D("0.01")
    if base >= D("1000000"):
        return
    up = pure(category, base + step) - pure(category, base)
    if base in EDGES[category]:
        assert up > D("1")  # the deliberate jump at an edge
    else:
        assert up <= D("0.01")  # 0.01 * 2% rounds to at most one fen


@pytest.mark.django_db
class TestScheduleInDatabase:
    def test_the_migration_loads_the_builtin_schedule_with_its_citation(self):
        schedule = RateSchedule.objects.get(code="2008")
        assert schedule.valid_from == dt.date(2008, 4, 1) and schedule.builtin
        assert "党费规定 arts. 2, 5, 6" in schedule.source
        assert RateBracket.objects.filter(schedule=schedule).count() == len(BRACKETS)

    def test_monthly_amount_uses_the_schedule_in_force_on_the_date(self):
        old = RateSchedule.objects.get(code="2008")
        old.valid_to = dt.date(2026, 12, 31)
        old.save()
        new = RateSchedule.objects.create(code="2027", name="new", valid_from=dt.date(2027, 1, 1), source="x")
        new.brackets.create(scheme="salary", upper_bound=None, rate=D("0.03"))
        assert rates.monthly_amount(category=C.EMPLOYED, base="4000", on=dt.date(2026, 12, 31)) == D("40.00")
        assert rates.monthly_amount(category=C.EMPLOYED, base="4000", on=dt.date(2027, 1, 1)) == D("120.00")
        with pytest.raises(ValidationError):
            rates.monthly_amount(category=C.EMPLOYED, base="4000", on=dt.date(2008, 3, 31))

    @pytest.mark.parametrize("base", ["-0.01", "1000000.01", "100.001", "abc"])
    def test_bad_bases_are_refused_on_the_base_field(self, base):
        with pytest.raises(ValidationError) as exc:
            rates.monthly_amount(category=C.EMPLOYED, base=base, on=ON)
        assert "base" in exc.value.message_dict

    def test_the_largest_plausible_base_is_accepted(self):
        assert rates.monthly_amount(category=C.EMPLOYED, base="1000000.00", on=ON) == D("20000.00")

    def test_soft_ceiling_is_a_warning_by_default(self):
        q = rates.quote(category=C.EMPLOYED, base="60000", on=ON)
        assert (q.amount, q.above_soft_ceiling, q.capped) == (D("1200.00"), True, False)
        q = rates.quote(category=C.EMPLOYED, base="50000", on=ON)
        assert (q.amount, q.above_soft_ceiling, q.capped) == (D("1000.00"), False, False)

    def test_the_cap_setting_caps_and_flags(self, settings):
        settings.XIANFENG_DUES_MONTHLY_CAP = "1000"
        q = rates.quote(category=C.EMPLOYED, base="60000", on=ON)
        assert (q.amount, q.above_soft_ceiling, q.capped) == (D("1000.00"), True, True)
        q = rates.quote(category=C.EMPLOYED, base="50000", on=ON)
        assert (q.amount, q.capped) == (D("1000.00"), False)
