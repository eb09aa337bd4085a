"""The collection sheet (one org subtree, one month) and a member's year: who is on them, what each
month's status is, and the totals. Amounts are worked out by hand from DUES-02: a 4000-yuan base
pays 1 % = 40.00, a 6000-yuan base 1.5 % = 90.00."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.dues import services
from xianfeng.dues.choices import Hardship, PaymentKind
from xianfeng.dues.collection import MonthStatus, collection_sheet, member_year
from xianfeng.dues.models import DuesPayment
from xianfeng.dues.selectors import arrears, expected_amount
from xianfeng.dues.tests.helpers import YEAR, m, pay, set_base
from xianfeng.people import services as people_services
from xianfeng.people.choices import LeaveReason, PoliticalStatus
from xianfeng.testing import make_member

S = MonthStatus
MARCH = m(3)
DURING_MARCH = dt.date(YEAR, 3, 15)
LAST_OF_MARCH = dt.date(YEAR, 3, 31)
FIRST_OF_APRIL = dt.date(YEAR, 4, 1)


def probationer(org, accepted, **kw):
    return make_member(org, status=PoliticalStatus.PROBATIONARY, admission_date=accepted, **kw)


def leave(membership, day):
    return people_services.member_leave(
        actor=None, membership=membership, reason=LeaveReason.TRANSFER_OUT, date=day
    )


def into_group(membership, group):
    return people_services.membership_update(
        actor=None, membership=membership, data={"party_group": group}, reason="party group set up"
    )


def hardship(base, kind, start, end, amount=None):
    return services.dues_hardship_set(
        actor=None,
        dues_base=base,
        hardship=kind,
        reason="long illness",
        approved_by=base.membership.org.get_root(),
        from_month=start,
        to_month=end,
        reduced_amount=None if amount is None else D(amount),
    )


def adjust(base, month, new_base):
    return services.dues_base_adjust(
        actor=None, dues_base=base, effective_month=month, base=D(new_base), reason="promotion"
    )


def sheet(org, month=MARCH, today=DURING_MARCH):
    return collection_sheet(org, month, today)


def row(sheet_, membership):
    rows = [r for r in sheet_.rows if r.membership.pk == membership.pk]
    assert len(rows) == 1, f"{membership} is on the sheet {len(rows)} times"
    return rows[0]


def ids(sheet_):
    return {r.membership.pk for r in sheet_.rows}


class TestWhoIsOnTheSheet:
    @pytest.mark.parametrize(
        ("accepted", "on_march_sheet"),
        [
            (dt.date(YEAR, 3, 1), True),
            (LAST_OF_MARCH, True),  # DUES-10: dues start the day the branch meeting accepts them
            (FIRST_OF_APRIL, False),
        ],
    )
    def test_a_probationer_is_on_the_sheet_from_the_month_of_acceptance(
        self, world, accepted, on_march_sheet
    ):
        member = probationer(world.branch_a, accepted)
        set_base(member)
        march = sheet(world.branch_a, today=FIRST_OF_APRIL)
        assert (member.pk in ids(march)) is on_march_sheet
        if on_march_sheet:
            assert (row(march, member).expected, row(march, member).status) == (D("40.00"), S.UNPAID)
        april = sheet(world.branch_a, month=m(4), today=dt.date(YEAR, 5, 1))
        assert (row(april, member).expected, row(april, member).status) == (D("40.00"), S.UNPAID)

    @pytest.mark.parametrize(
        ("converted", "on_march_sheet"), [(LAST_OF_MARCH, True), (FIRST_OF_APRIL, False)]
    )
    def test_without_an_admission_date_dues_start_at_conversion(self, world, converted, on_march_sheet):
        member = make_member(world.branch_b, admission_date=converted.replace(year=YEAR - 1))
        member = people_services.membership_update(
            actor=None, membership=member, data={"admission_date": None}, reason="legacy record"
        )
        assert (member.admission_date, member.conversion_date) == (None, converted)
        set_base(member)
        march = sheet(world.branch_b, today=FIRST_OF_APRIL)
        assert (member.pk in ids(march)) is on_march_sheet
        assert row(sheet(world.branch_b, month=m(4)), member).expected == D("40.00")
        assert member_year(member, YEAR, FIRST_OF_APRIL).months[2].status == (
            S.UNPAID if on_march_sheet else S.NOT_OWED
        )

    @pytest.mark.parametrize(
        ("left", "on_march_sheet"),
        [
            (dt.date(YEAR, 2, 28), False),  # left before March began
            (dt.date(YEAR, 3, 1), True),
            (dt.date(YEAR, 3, 15), True),  # left mid-month: still owes March
            (LAST_OF_MARCH, True),
        ],
    )
    def test_a_member_who_left_is_on_the_sheets_up_to_the_month_they_left(self, world, left, on_march_sheet):
        set_base(world.member_a)
        leave(world.member_a, left)
        march = sheet(world.branch_a, today=FIRST_OF_APRIL)
        assert (world.member_a.pk in ids(march)) is on_march_sheet
        if on_march_sheet:
            assert row(march, world.member_a).status == S.UNPAID
            assert march.expected_total == D("40.00")  # the other member of A has no base
        assert world.member_a.pk not in ids(sheet(world.branch_a, month=m(4), today=dt.date(YEAR, 5, 1)))

    @pytest.mark.parametrize(
        "status", [PoliticalStatus.APPLICANT, PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE]
    )
    def test_people_who_are_not_yet_party_members_are_never_on_it(self, world, status):
        person = make_member(world.branch_a, status=status, admission_date=dt.date(2020, 1, 1))
        assert person.pk not in ids(sheet(world.branch_a))
        assert person.pk not in ids(sheet(world.committee))

    def test_party_group_members_are_on_the_branch_sheet_and_a_sibling_branch_is_not(self, world):
        grouped = into_group(make_member(world.branch_a, name="组员"), world.group_a1)
        branch_a = sheet(world.branch_a)
        assert ids(branch_a) == {world.member_a.pk, world.dang_membership.pk, grouped.pk}
        assert row(branch_a, grouped).membership.party_group == world.group_a1
        assert ids(sheet(world.branch_b)) == {world.member_b.pk}
        assert ids(sheet(world.general_branch)) == ids(branch_a) | {world.member_b.pk}

    def test_rows_are_ordered_by_org_then_name(self, world):
        make_member(world.branch_a, name="阿一")
        names = [(r.membership.org.path, r.membership.person.name) for r in sheet(world.general_branch).rows]
        assert names == sorted(names)

    def test_the_month_is_given_as_its_first_day(self, world):
        with pytest.raises(ValidationError) as exc:
            collection_sheet(world.branch_a, dt.date(YEAR, 3, 2), DURING_MARCH)
        assert "month" in exc.value.message_dict


class TestStatus:
    @pytest.mark.parametrize(
        ("today", "status"),
        [
            (dt.date(YEAR, 2, 28), S.DUE),  # a month ahead: due, not unpaid
            (dt.date(YEAR, 3, 1), S.DUE),
            (LAST_OF_MARCH, S.DUE),  # the month's last day: still under way
            (FIRST_OF_APRIL, S.UNPAID),  # the day after: it has ended unpaid
        ],
    )
    def test_an_open_month_is_due_until_it_has_ended(self, world, today, status):
        set_base(world.member_a)
        r = row(sheet(world.branch_a, today=today), world.member_a)
        assert (r.status, r.expected, r.payment) == (status, D("40.00"), None)

    @pytest.mark.parametrize("today", [DURING_MARCH, FIRST_OF_APRIL, dt.date(YEAR + 1, 1, 1)])
    def test_a_paid_month_is_paid_whatever_the_day(self, world, today):
        set_base(world.member_a)
        payment = pay(world.member_a, MARCH, actor=world.alice)
        r = row(sheet(world.branch_a, today=today), world.member_a)
        assert (r.status, r.payment, r.payment.collector) == (S.PAID, payment, world.alice)

    def test_no_base_for_the_year_is_reported_not_counted_as_zero(self, world):
        set_base(world.member_a, year=YEAR - 1)  # last year's base does not carry over (DUES-04)
        r = row(sheet(world.branch_a, today=FIRST_OF_APRIL), world.member_a)
        assert (r.status, r.base, r.expected) == (S.NO_BASE, None, None)
        s = sheet(world.branch_a, today=FIRST_OF_APRIL)
        assert s.no_base_count == 2 and s.expected_total == 0 and s.rate is None

    @pytest.mark.parametrize(
        ("month", "status", "expected"),
        [
            (m(2), S.UNPAID, D("40.00")),
            (m(3), S.EXEMPT, D("0.00")),  # first exempt month
            (m(5), S.EXEMPT, D("0.00")),  # last exempt month
            (m(6), S.UNPAID, D("40.00")),
        ],
    )
    def test_an_approved_exemption_covers_its_months_only(self, world, month, status, expected):
        hardship(set_base(world.member_a), Hardship.EXEMPTION, m(3), m(5))
        s = sheet(world.branch_a, month=month, today=dt.date(YEAR, 12, 1))
        r = row(s, world.member_a)
        assert (r.status, r.expected) == (status, expected)
        assert s.expected_total == expected  # an exempt member owes nothing; the others have no base
        assert s.open_count == (1 if status == S.UNPAID else 0)

    @pytest.mark.parametrize(
        ("month", "expected"),
        [(m(2), D("40.00")), (m(3), D("12.50")), (m(5), D("12.50")), (m(6), D("40.00"))],
    )
    def test_a_reduction_owes_the_reduced_amount_in_its_months(self, world, month, expected):
        hardship(set_base(world.member_a), Hardship.REDUCTION, m(3), m(5), amount="12.50")
        s = sheet(world.branch_a, month=month, today=dt.date(YEAR, 12, 1))
        assert (row(s, world.member_a).status, row(s, world.member_a).expected) == (S.UNPAID, expected)
        assert s.expected_total == expected

    @pytest.mark.parametrize(
        ("month", "expected"), [(m(3), D("40.00")), (m(4), D("90.00")), (m(12), D("90.00"))]
    )
    def test_an_adjustment_applies_from_its_month(self, world, month, expected):
        adjust(set_base(world.member_a), m(4), "6000.00")  # 6000 × 1.5 % = 90.00
        assert row(sheet(world.branch_a, month=month), world.member_a).expected == expected

    def test_the_latest_adjustment_in_force_wins(self, world):
        base = set_base(world.member_a)
        adjust(base, m(6), "2000.00")  # 0.5 % = 10.00
        adjust(base, m(4), "6000.00")  # recorded later, effective earlier
        got = [row(sheet(world.branch_a, month=m(n)), world.member_a).expected for n in (3, 4, 5, 6, 7)]
        assert got == [D("40.00"), D("90.00"), D("90.00"), D("10.00"), D("10.00")]


class TestTotals:
    @pytest.fixture
    def four(self, world):
        """Branch A in March: one paid, one unpaid, one exempt, one without a base."""
        paid, unpaid, exempt, no_base = (
            world.member_a,
            world.dang_membership,
            *(make_member(world.branch_a) for _ in range(2)),
        )
        for member in (paid, unpaid, exempt):
            set_base(member)
        hardship(exempt.dues_bases.get(), Hardship.EXEMPTION, MARCH, MARCH)
        pay(paid, MARCH)
        return paid, unpaid, exempt, no_base

    def test_totals_count_regular_dues_of_owing_members(self, world, four):
        s = sheet(world.branch_a, today=FIRST_OF_APRIL)
        assert [row(s, x).status for x in four] == [S.PAID, S.UNPAID, S.EXEMPT, S.NO_BASE]
        assert s.owing_count == 2  # paid and unpaid: not the exempt member nor the one without a base
        assert (s.paid_count, s.open_count, s.no_base_count) == (1, 1, 1)
        assert (s.expected_total, s.collected_total, s.rate) == (D("80.00"), D("40.00"), D("50.0"))

    def test_voluntary_and_large_payments_are_listed_apart_and_not_collected(self, world, four):
        paid, unpaid, *_ = four
        extra = pay(paid, MARCH, amount="100.00", kind=PaymentKind.VOLUNTARY_EXTRA)
        large = pay(unpaid, MARCH, amount="5000.00", kind=PaymentKind.LARGE_ONE_OFF)
        pay(paid, m(4), amount="30.00", kind=PaymentKind.VOLUNTARY_EXTRA)  # another month: not here
        s = sheet(world.branch_a, today=FIRST_OF_APRIL)
        assert row(s, paid).extras == [extra] and row(s, paid).extra_total == D("100.00")
        assert row(s, unpaid).extras == [large] and row(s, unpaid).payment is None
        assert row(s, unpaid).status == S.UNPAID  # a large one-off payment does not pay the month
        assert s.extra_total == D("5100.00")
        assert (s.collected_total, s.rate) == (D("40.00"), D("50.0"))

    def test_rate_is_none_when_nothing_is_expected(self, world):
        assert sheet(world.branch_b).rate is None  # member B has no base
        hardship(set_base(world.member_b), Hardship.EXEMPTION, MARCH, MARCH)
        s = sheet(world.branch_b)
        assert (s.expected_total, s.rate, row(s, world.member_b).status) == (0, None, S.EXEMPT)

    def test_rate_is_a_percentage_with_one_decimal_rounded_half_up(self, world):
        # 1.00 paid of 1.00 + 40.00 + 39.00 = 80.00 expected: 1.25 % → 1.3 % (四舍五入)
        small, *others = world.member_a, world.dang_membership, make_member(world.branch_a)
        set_base(small, base="200.00")  # 0.5 % = 1.00
        set_base(others[0], base="4000.00")  # 40.00
        set_base(others[1], base="3900.00")  # 1 % = 39.00
        pay(small, MARCH, amount="1.00")
        s = sheet(world.branch_a)
        assert (s.expected_total, s.collected_total, s.rate) == (D("80.00"), D("1.00"), D("1.3"))
        pay(others[1], MARCH, amount="39.00")  # 40 / 80 = 50 %
        assert sheet(world.branch_a).rate == D("50.0")
        pay(others[0], MARCH)
        assert sheet(world.branch_a).rate == D("100.0")


def _build_branch(world, n):
    """n members of branch A (some in the party group) with a base, an adjustment, a payment with its
    collector, and an extra each: everything the sheet reads."""
    while len(members := list(world.branch_a.memberships.all())) < n:
        make_member(world.branch_a)
    for i, member in enumerate(members):
        if i % 2:
            into_group(member, world.group_a1)
        base = set_base(member)
        adjust(base, m(2), "6000.00")
        pay(member, MARCH, amount="90.00", actor=world.alice)
        pay(member, MARCH, amount="5.00", kind=PaymentKind.VOLUNTARY_EXTRA)


def _read_like_a_template(s):
    return [
        (
            r.membership.person.name,
            r.membership.org.name,
            r.membership.party_group and r.membership.party_group.name,
            r.status,
            r.expected,
            r.payment and r.payment.collector and r.payment.collector.username,
            r.extra_total,
        )
        for r in s.rows
    ] + [s.expected_total, s.collected_total, s.rate]


@pytest.mark.parametrize("n", [2, 10])
def test_the_sheet_reads_a_constant_number_of_queries_whatever_the_number_of_members(
    world, n, django_assert_num_queries
):
    _build_branch(world, n)
    with django_assert_num_queries(4):  # values of memberships, bases, adjustments, payments
        s = sheet(world.branch_a)
    with django_assert_num_queries(3):  # the rows' memberships (with people and orgs), bases, payments
        shown = _read_like_a_template(s)
    assert len(s.rows) == n and s.collected_total == 90 * n and shown[-1] == D("100.0")


class TestMemberYear:
    @pytest.fixture
    def year(self, world):
        """Accepted 20 March; July on a higher base; exempt in September and October."""
        member = probationer(world.branch_a, dt.date(YEAR, 3, 20))
        base = set_base(member)
        adjust(base, m(7), "6000.00")
        hardship(base, Hardship.EXEMPTION, m(9), m(10))
        pay(member, m(3))
        pay(member, m(4))
        pay(member, m(5), amount="100.00", kind=PaymentKind.VOLUNTARY_EXTRA)
        pay(member, m(8), amount="90.00")
        return member

    def test_twelve_months_with_their_status_and_amount(self, year):
        y = member_year(year, YEAR, dt.date(YEAR, 8, 15))
        assert [mo.month for mo in y.months] == [m(n) for n in range(1, 13)]
        assert [(mo.status, mo.expected) for mo in y.months] == [
            (S.NOT_OWED, D("40.00")),  # before acceptance
            (S.NOT_OWED, D("40.00")),
            (S.PAID, D("40.00")),  # the acceptance month is owed (DUES-10)
            (S.PAID, D("40.00")),
            (S.UNPAID, D("40.00")),  # only a voluntary extra: the month is still open
            (S.UNPAID, D("40.00")),
            (S.UNPAID, D("90.00")),  # adjusted
            (S.PAID, D("90.00")),  # the current month, already paid
            (S.EXEMPT, D("0.00")),
            (S.EXEMPT, D("0.00")),
            (S.DUE, D("90.00")),
            (S.DUE, D("90.00")),
        ]
        assert [len(mo.extras) for mo in y.months] == [0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]
        assert (y.paid_total, y.extra_total) == (D("170.00"), D("100.00"))
        assert y.unpaid_months == [m(5), m(6), m(7)]
        assert y.owed_total == D("170.00")  # 40 + 40 + 90

    @pytest.mark.parametrize(
        ("today", "unpaid"),
        [(dt.date(YEAR, 6, 30), [m(5)]), (dt.date(YEAR, 7, 1), [m(5), m(6)])],
    )
    def test_a_month_is_owed_once_it_has_ended(self, year, today, unpaid):
        y = member_year(year, YEAR, today)
        assert y.unpaid_months == unpaid and y.owed_total == 40 * len(unpaid)
        assert y.months[5].status == (S.UNPAID if m(6) in unpaid else S.DUE)

    def test_after_the_year_every_owed_month_is_paid_exempt_or_unpaid(self, year):
        y = member_year(year, YEAR, dt.date(YEAR + 1, 3, 1))
        assert y.unpaid_months == [m(5), m(6), m(7), m(11), m(12)]
        assert y.owed_total == D("350.00")  # 40 + 40 + 90 + 90 + 90

    def test_months_after_leaving_are_not_owed(self, world):
        set_base(world.member_a)
        left = leave(world.member_a, dt.date(YEAR, 8, 10))
        y = member_year(left, YEAR, dt.date(YEAR + 1, 1, 1))
        assert [mo.status for mo in y.months[7:]] == [S.UNPAID] + [S.NOT_OWED] * 4
        assert y.unpaid_months == [m(n) for n in range(1, 9)] and y.owed_total == D("320.00")

    def test_a_year_without_a_base(self, world):
        set_base(world.member_a, year=YEAR - 1)
        y = member_year(world.member_a, YEAR, dt.date(YEAR + 1, 1, 1))
        assert y.base is None and {(mo.status, mo.expected) for mo in y.months} == {(S.NO_BASE, None)}
        assert (y.paid_total, y.owed_total, y.unpaid_months) == (0, 0, [])

    @pytest.mark.parametrize("payments", [0, 6])
    def test_three_queries_whatever_the_payments(self, world, payments, django_assert_num_queries):
        adjust(set_base(world.member_a), m(5), "6000.00")
        for n in range(1, payments + 1):
            pay(world.member_a, m(n), amount="40.00" if n < 5 else "90.00", actor=world.alice)
        with django_assert_num_queries(3):  # base, its adjustments, payments
            y = member_year(world.member_a, YEAR, dt.date(YEAR, 12, 1))
            collectors = [mo.payment.collector.username for mo in y.months if mo.payment]
        assert collectors == ["alice"] * payments


# Properties over random members, bases and payments -------------------------------------------------

SLOW = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
PLACES = ["branch_a", "group_a1", "branch_b", "general_branch"]
member_spec = st.fixed_dictionaries(
    {
        "place": st.sampled_from(PLACES),
        "accepted": st.one_of(st.none(), st.dates(dt.date(YEAR - 1, 11, 1), dt.date(YEAR, 10, 31))),
        "left": st.one_of(st.none(), st.integers(0, 400)),  # days after acceptance
        "base": st.sampled_from([None, "2500.00", "4000.00", "6000.00", "12000.00"]),
        "adjust": st.one_of(
            st.none(), st.tuples(st.integers(2, 12), st.sampled_from(["3900.00", "8000.00"]))
        ),
        "hardship": st.one_of(
            st.none(),
            st.tuples(
                st.sampled_from([Hardship.EXEMPTION, Hardship.REDUCTION]),
                st.integers(1, 12),
                st.integers(0, 3),
            ),
        ),
        "paid": st.sets(st.integers(1, 12)),
        "extras": st.sets(st.integers(1, 12), max_size=2),
    }
)


class _Rollback(Exception):
    pass


def in_savepoint(fn):
    """Run one example inside a savepoint that is always rolled back."""
    try:
        with transaction.atomic():
            fn()
            raise _Rollback
    except _Rollback:
        pass


def build(world, specs):
    """Members as the services would record them: payments only for owed months, at their amount."""
    members = []
    for spec in specs:
        org = world.branch_a if spec["place"] == "group_a1" else getattr(world, spec["place"])
        if spec["accepted"] is None:
            member = make_member(org, admission_date=dt.date(2015, 5, 1))
        else:
            member = probationer(org, spec["accepted"])
        if spec["place"] == "group_a1":
            member = into_group(member, world.group_a1)
        accepted = member.admission_date
        if spec["left"] is not None and accepted + dt.timedelta(days=spec["left"]) <= dt.date(YEAR, 12, 31):
            member = leave(member, max(accepted + dt.timedelta(days=spec["left"]), dt.date(YEAR - 1, 12, 1)))
        members.append(member)
        if spec["base"] is None:
            continue
        base = set_base(member, base=spec["base"])
        if spec["adjust"]:
            adjust(base, m(spec["adjust"][0]), spec["adjust"][1])
        if spec["hardship"]:
            kind, start, length = spec["hardship"]
            hardship(base, kind, m(start), m(min(start + length, 12)), amount="1.00")
        start = max(m(1), accepted.replace(day=1))
        stop = member.left_date.replace(day=1) if member.left_date else m(12)
        for n in sorted(spec["paid"] | spec["extras"]):
            amount = expected_amount(member, m(n))
            if not start <= m(n) <= stop:
                continue
            if n in spec["paid"] and amount:
                pay(member, m(n), amount=str(amount))
            if n in spec["extras"]:
                pay(member, m(n), amount="20.00", kind=PaymentKind.VOLUNTARY_EXTRA)
    return members


@SLOW
@given(
    specs=st.lists(member_spec, max_size=4),
    root=st.sampled_from(["committee", "general_branch", "branch_a", "branch_b"]),
    month=st.integers(1, 12),
    today=st.dates(dt.date(YEAR, 1, 1), dt.date(YEAR + 1, 1, 31)),
)
def test_sheet_properties(world, specs, root, month, today):
    def example():
        members = build(world, specs)
        org = getattr(world, root)
        s = collection_sheet(org, m(month), today)
        next_month = (m(month) + dt.timedelta(days=31)).replace(day=1)
        regular = DuesPayment.objects.regular().filter(
            month_owed=m(month), membership__org__path__startswith=org.path
        )
        assert s.collected_total == sum((p.amount for p in regular), D("0.00"))
        extras = DuesPayment.objects.exclude(kind=PaymentKind.REGULAR).filter(
            month_owed=m(month), membership__org__path__startswith=org.path
        )
        assert s.extra_total == sum((p.amount for p in extras), D("0.00"))
        # payments are made at the amount owed and only for owed months, so no month is overpaid
        assert s.collected_total <= s.expected_total
        assert s.rate is None or D("0.0") <= s.rate <= D("100.0")
        assert s.paid_count + s.open_count + s.no_base_count + len(
            [r for r in s.rows if r.status == S.EXEMPT]
        ) == len(s.rows)
        assert S.NOT_OWED not in {r.status for r in s.rows}
        for r in s.rows:
            assert r.membership.org.path.startswith(org.path)
            assert (r.status == S.NO_BASE) == (r.expected is None)
            assert (r.status == S.EXEMPT) == (r.expected == 0)
            assert (r.status == S.UNPAID) == bool(r.expected and not r.payment and today >= next_month)
        # each row agrees with the member's year, and a member off the sheet owes nothing that month
        for member in members:
            if not member.org.path.startswith(org.path):
                continue
            mo = member_year(member, YEAR, today).months[month - 1]
            on = [r for r in s.rows if r.membership.pk == member.pk]
            if on:
                assert (on[0].status, on[0].expected, on[0].payment) == (mo.status, mo.expected, mo.payment)
            else:
                assert mo.status == S.NOT_OWED and mo.payment is None

    in_savepoint(example)


@SLOW
@given(specs=st.lists(member_spec, min_size=1, max_size=3))
def test_member_year_agrees_with_the_arrears_scan(world, specs):
    """Two independent readers of the same rules: after the year has ended, the months member_year
    reports unpaid are the months the arrears scan reports unpaid (for current members whose first
    base is this year's)."""

    def example():
        members = build(world, specs)
        as_of = dt.date(YEAR + 1, 1, 1)
        scan = {r.membership.pk: r for r in arrears(scope_orgs_or_user=[world.committee], as_of=as_of)}
        for member in members:
            y = member_year(member, YEAR, as_of)
            assert y.paid_total + y.owed_total == sum(
                (mo.expected for mo in y.months if mo.status in (S.PAID, S.UNPAID)), D("0.00")
            )
            assert y.extra_total == D("20.00") * sum(len(mo.extras) for mo in y.months)
            if y.base is not None and member.left_date is None:
                assert y.unpaid_months == scan[member.pk].unpaid_months

    in_savepoint(example)
