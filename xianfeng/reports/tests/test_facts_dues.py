"""The dues facts: hand-counted, and equal to dues.summaries.dues_totals (the module's definition)
over bases, a mid-year adjustment, an exemption and a member without a base."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xianfeng.dues import services as dues_services
from xianfeng.dues.choices import Hardship
from xianfeng.dues.models import DuesPayment
from xianfeng.dues.summaries import dues_totals
from xianfeng.dues.tests.helpers import m, pay, set_base
from xianfeng.reports import facts
from xianfeng.reports.facts import OK, PARTIAL, Period
from xianfeng.reports.tests.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture
def dues(records):
    w = records.world
    a = set_base(w.member_a, "4000.00")  # 1 % → 40.00 a month
    set_base(w.member_b, "6000.00")  # 1.5 % → 90.00
    d = set_base(w.dang_membership, "4000.00")
    dues_services.dues_base_adjust(
        actor=None, dues_base=a, effective_month=m(7), base=Decimal("8000.00"), reason="岗位调整"
    )  # 120.00 from July
    dues_services.dues_hardship_set(
        actor=None,
        dues_base=d,
        hardship=Hardship.EXEMPTION,
        reason="生活困难",
        approved_by=w.general_branch,
        from_month=m(1),
        to_month=m(3),
    )
    for month in range(1, 4):
        pay(w.member_a, m(month), "40.00")
        pay(w.member_b, m(month), "90.00")
    pay(w.member_b, m(4), "50.00", kind="voluntary_extra")
    return records


def test_hand_counted(dues):
    fs = facts.compute(dues.world.committee, Period.year(YEAR), today=TODAY)
    collected = fs["dues.collected"]
    assert collected.value == Decimal("390.00")
    assert collected.ids == sorted(DuesPayment.objects.filter(kind="regular").values_list("pk", flat=True))
    assert fs["dues.voluntary"].value == Decimal("50.00") and len(fs["dues.voluntary"].ids) == 1
    # a: 6×40 + 6×120 = 960; b: 12×90 = 1080; dang: 9×40 = 360 (exempt Jan–Mar);
    # no base: the newcomer (March–December, 10 months) and the leaver (January–August, 8 months)
    assert fs["dues.expected"].value == Decimal("2400.00")
    assert fs["dues.expected"].status == PARTIAL
    assert "18个“人·月”" in fs["dues.expected"].missing[0]
    assert fs["dues.rate"].value == Decimal("16.3")


def test_equal_to_the_dues_module(dues):
    for org in (dues.world.committee, dues.world.branch_a, dues.world.branch_b):
        fs = facts.compute(org, Period.year(YEAR), today=TODAY)
        totals = dues_totals(org, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1), TODAY).total
        assert fs["dues.expected"].value == totals.expected
        assert fs["dues.collected"].value == totals.collected
        assert fs["dues.voluntary"].value == totals.voluntary
        assert fs["dues.paying_members"].value == totals.members
        assert (fs["dues.rate"].value if fs["dues.rate"].status != "missing" else None) == totals.rate


def test_the_current_year_stops_at_this_month(dues):
    fs = facts.compute(dues.world.committee, Period.year(YEAR), today=dt.date(YEAR, 3, 15))
    totals = dues_totals(
        dues.world.committee, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 1), dt.date(YEAR, 3, 15)
    ).total
    assert fs["dues.expected"].value == totals.expected
    assert fs["dues.collected"].status == OK
