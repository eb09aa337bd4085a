import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.dues import services
from xianfeng.dues.choices import Hardship
from xianfeng.dues.selectors import arrears
from xianfeng.dues.tests.helpers import YEAR, m, pay, set_base
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member


def row_of(world, membership, as_of, scope=None):
    rows = arrears(scope_orgs_or_user=scope or [world.committee], as_of=as_of)
    return next(r for r in rows if r.membership.pk == membership.pk)


@pytest.fixture
def based(world):
    set_base(world.member_a)
    return world


@pytest.mark.parametrize(
    ("as_of", "count", "warning"), [(dt.date(YEAR, 3, 31), 2, False), (dt.date(YEAR, 4, 1), 3, True)]
)
def test_warning_at_three_ended_months(based, as_of, count, warning):
    row = row_of(based, based.member_a, as_of)
    assert (row.consecutive_unpaid, row.warning, row.finding) == (count, warning, None)
    assert row.unpaid_months[0] == m(1)


def test_the_warning_threshold_is_a_setting(based, settings):
    settings.XIANFENG_DUES_WARN_MONTHS = 2
    assert row_of(based, based.member_a, dt.date(YEAR, 3, 1)).warning


@pytest.mark.parametrize(("as_of", "finding"), [(dt.date(YEAR, 6, 30), False), (dt.date(YEAR, 7, 1), True)])
def test_self_departure_finding_at_six_consecutive_months(based, as_of, finding):
    row = row_of(based, based.member_a, as_of)
    assert (row.finding is not None) == finding
    if finding:
        assert row.finding.code == "DUES-13"
        assert "党费规定 art. 13" in row.finding.source and "党章 art. 9" in row.finding.source


def test_a_payment_breaks_the_run(based):
    pay(based.member_a, m(3))
    row = row_of(based, based.member_a, dt.date(YEAR, 9, 1))
    assert row.unpaid_months == [m(1), m(2), m(4), m(5), m(6), m(7), m(8)]
    assert row.consecutive_unpaid == 5 and row.finding is None and row.warning


def test_voluntary_extra_does_not_pay_a_month(based):
    pay(based.member_a, m(3), amount="50.00", kind="voluntary_extra")
    assert row_of(based, based.member_a, dt.date(YEAR, 7, 1)).finding is not None


def test_a_recorded_reason_suspends_the_six_month_rule(based):
    services.arrears_reason_record(
        actor=based.alice, membership=based.member_a, from_month=m(1), to_month=m(6), reason="posted abroad"
    )
    row = row_of(based, based.member_a, dt.date(YEAR, 7, 1))
    assert row.consecutive_unpaid == 6 and row.warning and row.finding is None
    # six more unexcused months after the reason ends raise the finding again
    row = row_of(based, based.member_a, dt.date(YEAR + 1, 1, 1))
    assert row.unexcused_consecutive == 6 and row.finding is not None


def test_a_reason_in_the_middle_breaks_the_unexcused_run(based):
    services.arrears_reason_record(
        actor=based.alice, membership=based.member_a, from_month=m(3), to_month=m(3), reason="hospital"
    )
    row = row_of(based, based.member_a, dt.date(YEAR, 8, 1))
    assert row.consecutive_unpaid == 7 and row.unexcused_consecutive == 4 and row.finding is None


def test_exempt_months_are_not_owed(based):
    base = based.member_a.dues_bases.get()
    services.dues_hardship_set(
        actor=based.boss,
        dues_base=base,
        hardship=Hardship.EXEMPTION,
        reason="hardship",
        approved_by=based.committee,
        from_month=m(1),
        to_month=m(4),
    )
    row = row_of(based, based.member_a, dt.date(YEAR, 7, 1))
    assert row.unpaid_months == [m(5), m(6)]


@pytest.mark.parametrize(("as_of", "finding"), [(dt.date(YEAR, 8, 31), False), (dt.date(YEAR, 9, 1), True)])
def test_probationary_member_owes_from_the_acceptance_month(world, as_of, finding):
    member = make_member(
        world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=dt.date(YEAR, 3, 20)
    )
    set_base(member)
    row = row_of(world, member, as_of)
    assert row.unpaid_months[0] == m(3)
    assert (row.finding is not None) == finding


def test_members_without_a_base_are_reported_not_counted(world):
    row = row_of(world, world.member_b, dt.date(YEAR, 12, 1))
    assert row.missing_base and row.unpaid_months == [] and not row.warning


def test_left_members_and_non_members_are_not_listed(world):
    candidate = make_member(world.branch_a, status=PoliticalStatus.CANDIDATE)
    ids = {r.membership.pk for r in arrears(scope_orgs_or_user=[world.committee], as_of=dt.date(YEAR, 7, 1))}
    assert candidate.pk not in ids and world.member_a.pk in ids


def test_scope_by_user_and_by_orgs(world):
    as_of = dt.date(YEAR, 7, 1)
    alice = {r.membership.pk for r in arrears(scope_orgs_or_user=world.alice, as_of=as_of)}
    assert alice == {world.member_a.pk, world.dang_membership.pk}
    branch_b = {r.membership.pk for r in arrears(scope_orgs_or_user=[world.branch_b], as_of=as_of)}
    assert branch_b == {world.member_b.pk}
    assert arrears(scope_orgs_or_user=[], as_of=as_of) == []


def test_queries_do_not_grow_with_the_members(world, django_assert_max_num_queries):
    as_of = dt.date(YEAR, 8, 1)
    for member in (world.member_a, world.member_b):
        set_base(member)
        pay(member, m(2))
    world.boss.__dict__.pop("_xianfeng_grants", None)
    # grants, own rows, memberships, bases, payment counts, the open members' payments, reasons, the
    # members that report something
    with django_assert_max_num_queries(8) as few:
        arrears(scope_orgs_or_user=world.boss, as_of=as_of)
    for _ in range(8):
        member = make_member(world.branch_a)
        set_base(member)
        pay(member, m(3))
        services.arrears_reason_record(
            actor=None, membership=member, from_month=m(4), to_month=m(4), reason="x"
        )
    world.boss.__dict__.pop("_xianfeng_grants", None)
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = arrears(scope_orgs_or_user=world.boss, as_of=as_of)
    assert len(rows) == 11


def test_a_member_who_paid_every_month_reports_nothing(based):
    for month in range(1, 7):
        pay(based.member_a, m(month))
    row = row_of(based, based.member_a, dt.date(YEAR, 7, 1))
    assert (row.unpaid_months, row.consecutive_unpaid, row.warning) == ([], 0, False)
    assert row_of(based, based.member_a, dt.date(YEAR, 8, 1)).unpaid_months == [m(7)]  # a month later


def test_a_payment_recorded_before_the_first_owed_month_does_not_hide_an_unpaid_one(world):
    """The count of payments covers the months owed only when none lies before them (the services
    refuse such payments; older data may hold one)."""
    from xianfeng.dues.models import DuesPayment

    probationer = make_member(world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=m(3))
    set_base(probationer)
    early = pay(probationer, m(3))
    DuesPayment.objects.filter(pk=early.pk).update(month_owed=m(2))  # as if recorded before acceptance
    pay(probationer, m(4))
    row = row_of(world, probationer, dt.date(YEAR, 5, 1))  # owed: March and April; paid: February, April
    assert row.unpaid_months == [m(3)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paid_months=st.sets(st.integers(1, 9)), as_of_month=st.integers(2, 10))
def test_the_unpaid_months_are_exactly_the_owed_months_without_a_payment(based, paid_months, as_of_month):
    from xianfeng.dues.models import DuesPayment

    DuesPayment.objects.all().delete()
    for month in paid_months:
        pay(based.member_a, m(month))
    row = row_of(based, based.member_a, dt.date(YEAR, as_of_month, 1))
    ended = range(1, as_of_month)
    assert row.unpaid_months == [m(i) for i in ended if i not in paid_months]
    trailing = 0
    for i in reversed(ended):
        if i in paid_months:
            break
        trailing += 1
    assert row.consecutive_unpaid == trailing
