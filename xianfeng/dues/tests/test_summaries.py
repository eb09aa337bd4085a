"""Dues totals of a subtree over a run of months, the ratio in force and what is due upward
(DUES-15). Amounts by hand from DUES-02: a 4000-yuan base pays 40.00 a month."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from xianfeng.dues import rules, services
from xianfeng.dues.choices import Hardship, PaymentKind
from xianfeng.dues.collection import collection_sheet
from xianfeng.dues.models import DuesPayment
from xianfeng.dues.summaries import dues_totals, quarter_months, ratio_on
from xianfeng.dues.tests.helpers import YEAR, m, pay, set_base
from xianfeng.dues.tests.test_collection import (
    SLOW,
    adjust,
    build,
    hardship,
    in_savepoint,
    into_group,
    leave,
    member_spec,
    probationer,
)
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member

AFTER_THE_YEAR = dt.date(YEAR + 1, 2, 1)
JANUARY, DECEMBER = m(1), m(12)


def totals(root, start=JANUARY, end=DECEMBER, today=AFTER_THE_YEAR):
    return dues_totals(root, start, end, today)


def ratio(org, valid_from, value):
    return services.remittance_ratio_set(actor=None, org=org, valid_from=valid_from, ratio=value)


def remit(org, start, end, amount):
    return services.remittance_record(
        actor=None, org=org, period_start=start, period_end=end, amount=D(amount), remitted_on=end
    )


def row_of(t, org):
    rows = [r for r in t.rows if r.org == org and not r.own]
    assert len(rows) == 1
    return rows[0]


class TestRows:
    def test_a_row_per_child_and_one_for_the_roots_own_members(self, world):
        own = make_member(world.committee, name="党委委员")
        for member in (own, world.member_a, world.member_b):
            set_base(member)
        t = totals(world.committee)
        assert [(r.org, r.own, r.members) for r in t.rows] == [
            (world.committee, True, 1),
            (world.general_branch, False, 3),  # A's two members and B's; dang has no base but is counted
        ]
        assert t.rows[0].expected == D("480.00") and t.rows[1].expected == D("960.00")
        assert t.rows[1].missing_base_months == 12  # dang: a whole year without a base
        assert (t.total.members, t.total.expected) == (4, D("1440.00"))

    def test_no_own_row_when_the_root_has_no_members_of_its_own(self, world):
        t = totals(world.general_branch)
        assert [(r.org, r.members) for r in t.rows] == [(world.branch_a, 2), (world.branch_b, 1)]

    def test_a_branch_breaks_down_by_party_group(self, world):
        grouped = into_group(world.member_a, world.group_a1)
        set_base(grouped)
        pay(grouped, m(1))
        t = totals(world.branch_a)
        assert [(r.org, r.own, r.members) for r in t.rows] == [
            (world.branch_a, True, 1),  # dang, in no group
            (world.group_a1, False, 1),
        ]
        assert row_of(t, world.group_a1).collected == D("40.00")
        # one level up the group member is under branch A, and branch B stays apart
        up = totals(world.general_branch)
        assert row_of(up, world.branch_a).members == 2 and row_of(up, world.branch_a).collected == D("40.00")
        assert row_of(up, world.branch_b).collected == 0

    def test_a_sibling_subtree_is_not_counted(self, world):
        set_base(world.member_b)
        pay(world.member_b, m(1))
        t = totals(world.branch_a)
        assert t.total.members == 2 and t.total.collected == 0


class TestAmounts:
    @pytest.fixture
    def paying(self, world):
        """Member A: 40.00 a month, paid January and February, 100 voluntary, 2000 to the centre."""
        set_base(world.member_a)
        pay(world.member_a, m(1))
        pay(world.member_a, m(2))
        pay(world.member_a, m(2), amount="100.00", kind=PaymentKind.VOLUNTARY_EXTRA)
        pay(world.member_a, m(3), amount="2000.00", kind=PaymentKind.LARGE_ONE_OFF)
        pay(world.member_a, m(4), amount="40.00")  # outside a January–March window
        return world

    def test_expected_collected_voluntary_and_large(self, paying):
        t = totals(paying.branch_a, m(1), m(3))
        r = row_of(totals(paying.general_branch, m(1), m(3)), paying.branch_a)
        for x in (t.total, r):
            assert (x.expected, x.collected, x.voluntary, x.large) == (
                D("120.00"),
                D("80.00"),
                D("100.00"),
                D("2000.00"),
            )
            assert (x.owed_months, x.paid_months, x.missing_base_months) == (3, 2, 3)  # dang: no base
            assert x.rate == D("66.7")

    def test_the_total_is_the_sum_of_the_rows(self, paying):
        own = make_member(paying.committee)
        for member in (own, paying.member_b):
            set_base(member)
            pay(member, m(5))
        t = totals(paying.committee)
        assert [r.org for r in t.rows] == [paying.committee, paying.general_branch]
        for name in ("members", "owed_months", "paid_months", "missing_base_months"):
            assert getattr(t.total, name) == sum(getattr(r, name) for r in t.rows)
        for name in ("expected", "collected", "voluntary", "large"):
            assert getattr(t.total, name) == sum((getattr(r, name) for r in t.rows), D("0.00"))
        assert t.total.collected == D("200.00") and t.total.expected == D("1440.00")

    def test_a_year_without_a_base_is_reported_not_counted_as_zero(self, world):
        set_base(world.member_a)  # 2025 only
        t = totals(world.branch_a, m(11, YEAR - 1), m(2))
        assert (t.total.owed_months, t.total.missing_base_months) == (2, 2 + 4)  # A: Nov, Dec; dang: all
        assert t.total.expected == D("80.00")

    @pytest.mark.parametrize(
        ("kind", "amount", "owed_months", "expected"),
        [(Hardship.EXEMPTION, None, 2, D("80.00")), (Hardship.REDUCTION, "12.50", 4, D("105.00"))],
    )
    def test_exempt_months_owe_nothing_and_reduced_months_the_reduction(
        self, world, kind, amount, owed_months, expected
    ):
        hardship(set_base(world.member_a), kind, m(2), m(3), amount=amount)
        t = totals(world.branch_a, m(1), m(4))
        assert (t.total.owed_months, t.total.expected) == (owed_months, expected)

    def test_an_adjustment_counts_from_its_month(self, world):
        adjust(set_base(world.member_a), m(3), "6000.00")  # 90.00 from March
        assert totals(world.branch_a, m(1), m(4)).total.expected == D("260.00")  # 40 + 40 + 90 + 90

    def test_rate_is_none_when_nothing_is_expected(self, world):
        t = totals(world.branch_b)
        assert (t.total.expected, t.total.rate, t.rows[0].rate) == (0, None, None)
        hardship(set_base(world.member_b), Hardship.EXEMPTION, m(1), m(12))
        assert totals(world.branch_b).total.rate is None

    def test_rate_rounds_half_up(self, world):
        # 1.00 paid of 80.00 expected in January: 1.25 % → 1.3 %
        set_base(world.member_a, base="200.00")
        set_base(world.dang_membership, base="3900.00")
        set_base(make_member(world.branch_a), base="4000.00")
        pay(world.member_a, m(1), amount="1.00")
        assert totals(world.branch_a, m(1), m(1)).total.rate == D("1.3")


class TestWindow:
    @pytest.mark.parametrize(
        ("today", "end", "months"),
        [
            (dt.date(YEAR, 1, 1), m(1), 1),  # the current month is counted from its first day
            (dt.date(YEAR, 3, 31), m(3), 3),
            (dt.date(YEAR, 4, 1), m(4), 4),
            (dt.date(YEAR, 12, 31), m(12), 12),
            (dt.date(YEAR + 1, 1, 1), m(12), 12),
        ],
    )
    def test_the_window_is_cut_at_the_current_month(self, world, today, end, months):
        set_base(world.member_a)
        t = totals(world.branch_a, today=today)
        assert (t.start, t.end) == (m(1), end)
        assert (t.total.owed_months, t.total.expected) == (months, D("40.00") * months)

    def test_a_window_not_yet_begun_counts_nothing(self, world):
        set_base(world.member_a)
        t = totals(world.branch_a, m(6), m(9), today=dt.date(YEAR, 5, 31))
        assert (t.total.members, t.total.expected, t.total.missing_base_months, t.total.rate) == (
            0,
            0,
            0,
            None,
        )

    @pytest.mark.parametrize(
        ("accepted", "counted", "owed"),
        [(dt.date(YEAR, 6, 1), True, 1), (dt.date(YEAR, 6, 30), True, 1), (dt.date(YEAR, 7, 1), False, 0)],
    )
    def test_members_accepted_after_the_window_are_not_counted(self, world, accepted, counted, owed):
        member = probationer(world.branch_b, accepted)
        set_base(member)
        set_base(world.member_b)
        t = totals(world.branch_b, m(1), m(6))
        assert t.total.members == (2 if counted else 1)
        assert t.total.owed_months == 6 + owed

    @pytest.mark.parametrize(
        ("left", "counted", "owed"),
        [
            (dt.date(YEAR - 1, 12, 31), False, 0),  # left before the window
            (dt.date(YEAR, 1, 1), True, 1),
            (dt.date(YEAR, 3, 15), True, 3),  # left in March: owes January to March
        ],
    )
    def test_members_who_left_count_up_to_the_month_they_left(self, world, left, counted, owed):
        set_base(world.member_b)
        leave(world.member_b, left)
        t = totals(world.branch_b, m(1), m(6))
        assert (t.total.members, t.total.owed_months) == (int(counted), owed)

    def test_months_are_given_as_first_days(self, world):
        with pytest.raises(ValidationError) as exc:
            dues_totals(world.branch_a, dt.date(YEAR, 1, 2), m(3), AFTER_THE_YEAR)
        assert "start" in exc.value.message_dict
        with pytest.raises(ValidationError) as exc:
            dues_totals(world.branch_a, m(1), dt.date(YEAR, 3, 31), AFTER_THE_YEAR)
        assert "end" in exc.value.message_dict

    @pytest.mark.parametrize(
        ("quarter", "first", "last"), [(1, m(1), m(3)), (2, m(4), m(6)), (4, m(10), m(12))]
    )
    def test_quarter_months(self, quarter, first, last):
        assert quarter_months(YEAR, quarter) == (first, last)


class TestRemittanceDue:
    @pytest.fixture
    def shared(self, world):
        """January: 40.00 regular + 0.10 voluntary (shared by the ratio) and 1500.00 to the centre."""
        set_base(world.member_a)
        pay(world.member_a, m(1))
        pay(world.member_a, m(1), amount="0.10", kind=PaymentKind.VOLUNTARY_EXTRA)
        pay(world.member_a, m(1), amount="1500.00", kind=PaymentKind.LARGE_ONE_OFF)
        return world

    @pytest.mark.parametrize(
        ("value", "due"),
        [
            (None, D("1500.00")),  # no ratio: only the large payments, which go up whole
            ("0", D("1500.00")),
            ("0.05", D("1502.01")),  # 40.10 × 0.05 = 2.005 → 2.01 (half-up)
            ("1", D("1540.10")),
        ],
    )
    def test_due_is_the_rounded_share_of_collected_and_voluntary_plus_large(self, shared, value, due):
        if value is not None:
            ratio(shared.general_branch, m(1), value)
        t = totals(shared.general_branch, m(1), m(3))
        assert t.ratio == (None if value is None else D(value))
        assert (t.total.collected, t.total.voluntary, t.total.large) == (D("40.00"), D("0.10"), D("1500.00"))
        assert t.remittance_due == due
        assert (t.remitted, t.remittance_outstanding) == (0, due)

    @pytest.mark.parametrize(
        ("start", "end", "expected"),
        [
            (m(1), m(6), D("0.05")),
            (m(1), m(7), D("0.10")),  # the ratio in force at the window's end
            (m(7), m(12), D("0.10")),
            (m(11, YEAR - 1), m(12, YEAR - 1), None),  # before any ratio
        ],
    )
    def test_the_ratio_in_force_at_the_window_end(self, world, start, end, expected):
        ratio(world.general_branch, m(7), "0.10")  # recorded first, valid later
        ratio(world.general_branch, m(1), "0.05")
        ratio(world.branch_a, m(1), "0.5")  # another org's ratio is not used
        assert totals(world.general_branch, start, end).ratio == expected

    @pytest.mark.parametrize(("month", "expected"), [(m(6), D("0.05")), (m(7), D("0.10")), (m(8), D("0.10"))])
    def test_ratio_on(self, world, month, expected):
        ratio(world.general_branch, m(1), "0.05")
        ratio(world.general_branch, m(7), "0.10")
        assert ratio_on(world.general_branch, month) == expected
        assert ratio_on(world.general_branch, m(12, YEAR - 1)) is None

    def test_the_ratio_follows_the_cut_window_end(self, world):
        ratio(world.general_branch, m(1), "0.05")
        ratio(world.general_branch, m(7), "0.10")
        t = totals(world.general_branch, m(1), m(12), today=dt.date(YEAR, 6, 30))
        assert (t.end, t.ratio) == (m(6), D("0.05"))

    def test_remitted_and_outstanding(self, shared):
        ratio(shared.general_branch, m(1), "0.05")
        remit(shared.general_branch, m(1), m(3), "1000.00")
        remit(shared.general_branch, m(4), m(5), "2.00")
        remit(shared.general_branch, m(6), m(7), "5.00")  # runs past the window's end: not in it
        remit(shared.general_branch, m(12, YEAR - 1), m(12, YEAR - 1), "7.00")  # before the window
        remit(shared.branch_a, m(1), m(3), "9.00")  # another org's remittance
        t = totals(shared.general_branch, m(1), m(6))
        assert t.remitted == D("1002.00")
        assert t.remittance_outstanding == D("500.01")  # 1502.01 − 1002.00
        remit(shared.general_branch, m(8), m(9), "600.00")
        over = totals(shared.general_branch, m(1), m(9))
        assert over.remitted == D("1607.00") and over.remittance_outstanding == 0  # never negative


def _grow(world, n):
    """n members (B's one, the rest in A, every other one in the party group) with a base, an
    adjustment, a payment and an extra each, a ratio and a remittance."""
    while len(members := list(world.branch_a.memberships.all())) + 1 < n:
        make_member(world.branch_a)
    members.append(world.member_b)
    for i, member in enumerate(members):
        if i % 2 and member.org == world.branch_a:
            member = into_group(member, world.group_a1)
        base = set_base(member)
        adjust(base, m(4), "6000.00")
        pay(member, m(2))
        pay(member, m(2), amount="3.00", kind=PaymentKind.VOLUNTARY_EXTRA)
    ratio(world.general_branch, m(1), "0.05")
    remit(world.general_branch, m(1), m(3), "1.00")


@pytest.mark.parametrize("n", [3, 10])
def test_seven_queries_whatever_the_number_of_members(world, n, django_assert_num_queries):
    _grow(world, n)
    with django_assert_num_queries(7):  # children, members, bases, adjustments, payments, ratio, remittances
        t = totals(world.general_branch, m(1), m(6))
        shown = [(r.org.name, r.members, r.expected, r.rate) for r in t.rows]
        due = (t.remittance_due, t.remitted, t.remittance_outstanding)
    assert t.total.members == n and len(shown) == 2
    assert t.total.expected == n * (3 * D("40.00") + 3 * D("90.00"))
    assert due[1] == D("1.00")


@SLOW
@given(
    specs=st.lists(member_spec, max_size=4),
    root=st.sampled_from(["committee", "general_branch", "branch_a"]),
    start=st.integers(-1, 11),
    length=st.integers(0, 12),
    today=st.dates(dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 1, 31)),
)
def test_totals_are_the_sum_of_the_monthly_sheets(world, specs, root, start, length, today):
    """Two readers of the same definitions: the totals over a window equal the sums of the monthly
    collection sheets over the months counted, row by row."""

    def example():
        build(world, specs)
        org = getattr(world, root)
        january = rules.month_index(m(1))
        first = rules.month_from_index(january + start)  # December of last year to December
        last = rules.month_from_index(january + min(start + length, 11))
        t = dues_totals(org, first, last, today)
        cut = min(last, today.replace(day=1))
        assert t.end == cut
        sheets = []
        month = first
        while month <= cut:
            sheets.append(collection_sheet(org, month, today))
            month = (month + dt.timedelta(days=31)).replace(day=1)

        def where(r):
            placed = (r.membership.party_group or r.membership.org).path
            return next((x for x in t.rows if not x.own and placed.startswith(x.org.path)), None) or next(
                x for x in t.rows if x.own
            )

        for x in [*t.rows, t.total]:
            rows = [r for s in sheets for r in s.rows if x is t.total or where(r) is x]
            assert x.expected == sum(
                (r.expected or 0 for r in rows if r.status in ("paid", "unpaid", "due")), 0
            )
            assert x.collected == sum((r.payment.amount for r in rows if r.payment), 0)
            assert x.voluntary + x.large == sum((r.extra_total for r in rows), 0)
            assert x.paid_months == sum(1 for r in rows if r.status == "paid")
            assert x.owed_months == sum(1 for r in rows if r.status in ("paid", "unpaid", "due"))
            assert x.missing_base_months == sum(1 for r in rows if r.status == "no_base")
            assert x.members == len({r.membership.pk for r in rows})
            assert x.rate is None or D("0.0") <= x.rate <= D("100.0")
        # and, independently, the collected total is what the payments table holds for the window
        regular = DuesPayment.objects.regular().filter(
            month_owed__gte=first, month_owed__lte=cut, membership__org__path__startswith=org.path
        )
        assert t.total.collected == sum((p.amount for p in regular), D("0.00"))
        assert t.remittance_due == t.total.large  # no ratio configured in these worlds
        if any(s.rows for s in sheets):
            assert t.total.members > 0

    in_savepoint(example)


def test_a_full_member_is_counted_from_acceptance_not_conversion(world):
    """DUES-10: dues start when the branch meeting accepts the member as probationary."""
    member = make_member(world.branch_b, status=PoliticalStatus.FULL, admission_date=dt.date(YEAR - 1, 3, 10))
    assert member.conversion_date == dt.date(YEAR, 3, 10)
    set_base(member)
    t = totals(world.branch_b, m(1), m(3))
    assert (t.total.owed_months, t.total.missing_base_months) == (3, 3)  # member B has no base yet
    set_base(world.member_b)
    t = totals(world.branch_b, m(1), m(3))
    assert (t.total.owed_months, t.total.missing_base_months) == (6, 0)


def test_totals_are_whole_cents_on_every_database(world):
    """SQLite sums decimals as floats (20553.840000000000 was shown on a page): totals stay in cents."""
    set_base(world.member_a, base="3215.00")  # 1% of 3215 = 32.15
    for month in range(1, 11):
        pay(world.member_a, m(month), amount="32.15")
    collected = totals(world.branch_a).total.collected
    assert collected == D("321.50")
    assert collected.as_tuple().exponent == -2
