"""Facts of party dues (dues app), with the definitions of dues.summaries.dues_totals (expected,
collected, rate) for the months of the period, cut at the current month.

Collected: regular payments for months of the period by members of the subtree (their ids are the
provenance). Member-months without a dues base are not counted as expected: they make the rate
partial and are listed. No dues base at all for the period: every dues fact is missing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

from django.db.models import Q, Sum

from xianfeng.dues import rules
from xianfeng.dues.choices import PaymentKind
from xianfeng.dues.models import DuesBase, DuesBaseAdjustment, DuesPayment
from xianfeng.dues.selectors import amount_in_month
from xianfeng.dues.summaries import _owed_months, months
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership
from xianfeng.reports.facts import MISSING, OK, PARTIAL, Context, Fact, Spec, fact_from

MONTHS = "统计期间各月（截至本月）"
SPECS: tuple[Spec, ...] = (
    Spec(
        "dues.collected",
        "收缴党费",
        "元",
        f"{MONTHS}本组织及所属党组织党员按月交纳的党费（不含自愿多交和一次性大额党费）之和。",
        "dues.DuesPayment",
    ),
    Spec(
        "dues.expected",
        "应交党费",
        "元",
        f"{MONTHS}党员按当年核定基数和比例应交的党费之和（自接收为预备党员当月起；免交月份不计）。",
        "",
    ),
    Spec(
        "dues.rate",
        "党费收缴率",
        "%",
        "收缴党费 ÷ 应交党费 × 100，保留一位小数；没有核定基数的“人·月”不计入应交，列为缺失。",
        "",
    ),
    Spec(
        "dues.paying_members",
        "应交党费党员",
        "名",
        f"{MONTHS}内至少有一个月应交党费的党员人数。",
        "",
    ),
    Spec(
        "dues.voluntary",
        "自愿多交党费",
        "元",
        f"{MONTHS}党员自愿多交的党费之和。",
        "dues.DuesPayment",
    ),
)


def specs() -> list[Spec]:
    return list(SPECS)


class _Base(NamedTuple):
    pk: int
    membership_id: int
    year: int
    monthly_amount: Decimal
    hardship: str
    hardship_from: dt.date | None
    hardship_to: dt.date | None
    hardship_amount: Decimal | None


class _Adjustment(NamedTuple):
    dues_base_id: int
    effective_month: dt.date
    monthly_amount: Decimal


class _Member(NamedTuple):
    pk: int
    admission_date: dt.date | None
    conversion_date: dt.date | None
    left_date: dt.date | None


@dataclass
class Totals:
    members: int = 0
    expected: Decimal = Decimal("0.00")
    missing_base_months: int = 0


def expected_totals(org: Any, start: dt.date, end: dt.date) -> Totals:
    """Expected dues of the subtree's party members for the months [start, end], as
    dues.summaries.dues_totals defines them (the same members, months owed, bases, adjustments and
    reductions through dues.selectors.amount_in_month), read as plain values: a member-year without
    adjustments or a reduction owes its monthly amount times its months, without a per-month call.
    tests/test_facts_dues.py checks the result equals dues_totals()."""
    window = months(start, end) if end >= start else []
    members_qs = Membership.objects.filter(
        Q(left_date__isnull=True) | Q(left_date__gte=start),
        org__path__startswith=org.path,
        status__in=PARTY_MEMBER_STATUSES,
    )
    members = [
        _Member(*row)
        for row in members_qs.order_by().values_list("pk", "admission_date", "conversion_date", "left_date")
    ]
    ids = members_qs.values("pk")
    bases = {
        (b.membership_id, b.year): b
        for b in (
            _Base(*row)
            for row in DuesBase.objects.filter(membership__in=ids, year__gte=start.year, year__lte=end.year)
            .order_by()
            .values_list(
                "pk",
                "membership_id",
                "year",
                "monthly_amount",
                "hardship",
                "hardship_from",
                "hardship_to",
                "hardship_amount",
            )
        )
    }
    adjustments: dict[int, list[_Adjustment]] = defaultdict(list)
    for row in (
        DuesBaseAdjustment.objects.filter(
            dues_base__membership__in=ids, dues_base__year__gte=start.year, dues_base__year__lte=end.year
        )
        .order_by()
        .values_list("dues_base_id", "effective_month", "monthly_amount")
    ):
        adjustments[row[0]].append(_Adjustment(*row))
    totals = Totals()
    for m in members:
        owed = _owed_months(m, window)
        if not owed:
            continue
        totals.members += 1
        by_year: dict[int, int] = defaultdict(int)
        for month in owed:
            by_year[month.year] += 1
        for year, count in by_year.items():
            base = bases.get((m.pk, year))
            if base is None:
                totals.missing_base_months += count
            elif base.hardship or base.pk in adjustments:
                for month in owed:
                    if month.year == year:
                        totals.expected += amount_in_month(base, adjustments.get(base.pk, []), month)
            else:
                totals.expected += base.monthly_amount * count
    return totals


def collect(ctx: Context) -> Iterable[Fact]:
    start = ctx.period.start.replace(day=1)
    end = ctx.period.end.replace(day=1)
    has_bases = DuesBase.objects.filter(
        membership__org__path__startswith=ctx.org.path, year__gte=start.year, year__lte=end.year
    ).exists()
    if not has_bases or start > ctx.today:
        note = f"{ctx.period.label()}{ctx.org.name}及所属党组织没有核定党费基数，无法统计党费。"
        for s in SPECS:
            yield fact_from(s, MISSING, missing=[note])
        return
    end = min(end, rules.first_of_month(ctx.today))  # a month not yet begun owes nothing
    totals = expected_totals(ctx.org, start, end)
    # the same members as dues_totals: party members of the subtree who had not left before the start
    payments = DuesPayment.objects.filter(
        Q(membership__left_date__isnull=True) | Q(membership__left_date__gte=start),
        membership__org__path__startswith=ctx.org.path,
        membership__status__in=PARTY_MEMBER_STATUSES,
        month_owed__gte=start,
        month_owed__lte=end,
    ).order_by()
    sums = {
        kind: Decimal(str(amount or 0)).quantize(rules.CENT, rounding=ROUND_HALF_UP)
        for kind, amount in payments.values("kind")
        .annotate(amount=Sum("amount"))
        .values_list("kind", "amount")
    }
    collected = sums.get(PaymentKind.REGULAR, Decimal("0.00"))
    voluntary = sums.get(PaymentKind.VOLUNTARY_EXTRA, Decimal("0.00"))
    regular: list[int] = []
    extra: list[int] = []
    for pk, kind in payments.values_list("pk", "kind"):  # one pass over a million rows, not two
        if kind == PaymentKind.REGULAR:
            regular.append(pk)
        elif kind == PaymentKind.VOLUNTARY_EXTRA:
            extra.append(pk)
    gaps = totals.missing_base_months
    notes = [f"{gaps}个“人·月”没有核定党费基数，未计入应交党费，请补充基数。"] if gaps else []
    spec = {s.name: s for s in SPECS}
    yield fact_from(spec["dues.collected"], OK, value=collected, ids=regular)
    yield fact_from(spec["dues.expected"], PARTIAL if gaps else OK, value=totals.expected, missing=notes)
    if totals.expected:
        rate = (collected * 100 / totals.expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        yield fact_from(spec["dues.rate"], PARTIAL if gaps else OK, value=rate, missing=notes)
    else:
        yield fact_from(spec["dues.rate"], MISSING, missing=["统计期间没有应交党费，无法计算收缴率。"])
    yield fact_from(spec["dues.paying_members"], OK, value=totals.members)
    yield fact_from(spec["dues.voluntary"], OK, value=voluntary, ids=extra)
