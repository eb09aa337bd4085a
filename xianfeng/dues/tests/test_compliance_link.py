"""Arrears feed the compliance engine (coded rule DUES-13) and the "due for me" page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.compliance.engine import Status
from xianfeng.compliance.rules import coded_findings
from xianfeng.compliance.selectors import due_for_me, my_dues
from xianfeng.dues.tests.helpers import pay, set_base

pytestmark = pytest.mark.django_db

YEAR = 2025


def m(month: int, year: int = YEAR) -> dt.date:
    return dt.date(year, month, 1)


def dues_findings(world, today):
    return [f for f in coded_findings(scope=world.committee, today=today) if f.rule == "rule/dues_arrears"]


@pytest.fixture
def paid_to_march(world):
    """Both branch A members owe from January 2025; member A has paid January to March."""
    for membership in (world.member_a, world.dang_membership):
        set_base(membership)
    for month in (1, 2, 3):
        pay(world.member_a, m(month))
    return world


def test_two_unpaid_months_say_nothing(paid_to_march):
    found = [f for f in dues_findings(paid_to_march, dt.date(2025, 6, 30)) if f.person_name == "张三"]
    assert found == []  # April and May unpaid; June has not ended


def test_three_unpaid_months_are_due_soon_with_the_sixth_month_as_deadline(paid_to_march):
    (finding,) = [f for f in dues_findings(paid_to_march, dt.date(2025, 7, 1)) if f.person_name == "张三"]
    assert finding.status == Status.DUE_SOON
    assert finding.rule_ref == "DUES-13"
    assert finding.due == dt.date(2025, 10, 1)  # April to September is the sixth month
    assert finding.anchor == "2025-04-01"
    assert "2025-04" in finding.detail


def test_six_unpaid_months_without_a_reason_are_overdue_on_the_day_after(paid_to_march):
    before = [f for f in dues_findings(paid_to_march, dt.date(2025, 9, 30)) if f.person_name == "张三"]
    on = [f for f in dues_findings(paid_to_march, dt.date(2025, 10, 1)) if f.person_name == "张三"]
    assert [f.status for f in before] == [Status.DUE_SOON]
    assert [f.status for f in on] == [Status.OVERDUE]


def test_a_recorded_reason_keeps_six_months_at_a_warning(paid_to_march, world):
    from xianfeng.dues.services import arrears_reason_record

    arrears_reason_record(
        actor=None, membership=world.member_a, from_month=m(5), to_month=m(5), reason="hospital"
    )
    (finding,) = [f for f in dues_findings(world, dt.date(2025, 10, 1)) if f.person_name == "张三"]
    assert finding.status == Status.DUE_SOON
    assert "4 without a recorded reason" in finding.detail


def test_the_branch_admin_sees_the_overdue_member_in_due_for_me(paid_to_march, world):
    result = due_for_me(world.alice, dt.date(2025, 10, 1))
    dues_items = [f for f in result.org_items if f.rule == "rule/dues_arrears"]
    assert {f.person_name for f in dues_items} == {"张三", "王党员"}
    assert {f.status for f in dues_items} == {Status.OVERDUE}
    outsider = due_for_me(world.charlie, dt.date(2025, 10, 1))
    assert not [f for f in outsider.org_items if f.rule == "rule/dues_arrears"]


def test_a_member_sees_their_own_dues(world):
    today = timezone.localdate()
    set_base(world.dang_membership, year=today.year)
    previous = dt.date(today.year, today.month - 1, 1) if today.month > 1 else None
    mine = my_dues(world.dang_membership.person, today)
    assert mine is not None
    assert mine.this_month == Decimal("40.00")
    assert len(mine.unpaid_months) == today.month - 1
    assert mine.owed == Decimal("40.00") * (today.month - 1)
    if previous is not None:
        pay(world.dang_membership, previous, paid_on=today)
        assert previous not in my_dues(world.dang_membership.person, today).unpaid_months


def test_due_page_shows_my_dues(client, world):
    today = timezone.localdate()
    set_base(world.dang_membership, year=today.year)
    client.force_login(world.dang)
    page = client.get(reverse("compliance:due")).content.decode()
    assert "My party dues" in page and "40.00" in page


def test_no_dues_section_without_a_base_or_a_membership(world):
    mine = my_dues(world.member_b.person, timezone.localdate())
    assert mine is not None and not mine.anything  # no base set: nothing can be computed yet
    assert due_for_me(world.alice, timezone.localdate()).dues is None  # alice has no person record
