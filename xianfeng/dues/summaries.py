"""Totals of dues for an org's subtree over a run of months: per child org, collection rate, and
what the org should remit to the level above (DUES-15).

Definitions (decisions, tested):
- The window is [start, end] in months, cut at the current month (a month not yet begun owes nothing).
- Expected: for every party member of the subtree and every month of the window they owe (from the
  acceptance month, DUES-10, to the month they left), the month's amount from the year's base, its
  adjustments and any reduction; exempt months owe nothing. Members counted under the child org of
  their current membership (payments follow the member, not the org they were in); a member of the
  root itself who is in one of its party groups is counted under that group (so a branch's totals
  break down by party group), other members of the root in the root's own row.
- A month of a year without a base is not counted as zero: it is reported as `missing_base_months`.
- Collected: regular payments for months of the window. Voluntary and large one-off payments are
  reported apart and by the month they were recorded for; large one-off payments go entirely to the
  centre (DUES-05), so they are remitted in full.
- Remittance due: (collected + voluntary) × the org's ratio in force at the window's end, plus the
  large one-off payments, rounded half-up to 0.01 yuan. No ratio configured → `ratio` is None and
  only the large payments are due.

Queries: children (1), members (1), bases (1), adjustments (1), payment aggregates (1), ratio (1),
remittances (1): seven, whatever the number of members.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from xianfeng.dues import rules
from xianfeng.dues.choices import PaymentKind
from xianfeng.dues.models import DuesBase, DuesBaseAdjustment, DuesPayment, Remittance, RemittanceRatio
from xianfeng.dues.selectors import amount_in_month, dues_start
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership

ZERO = Decimal("0.00")


@dataclass
class TotalsRow:
    org: Org
    own: bool = False  # the root's own members (not a child's subtree)
    members: int = 0
    owed_months: int = 0
    paid_months: int = 0
    missing_base_months: int = 0
    expected: Decimal = ZERO
    collected: Decimal = ZERO
    voluntary: Decimal = ZERO
    large: Decimal = ZERO

    @property
    def rate(self) -> Decimal | None:
        """Collected ÷ expected, as a percentage with one decimal; None when nothing is expected."""
        if not self.expected:
            return None
        return (self.collected * 100 / self.expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def add(self, other: TotalsRow) -> None:
        for name in ("members", "owed_months", "paid_months", "missing_base_months"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("expected", "collected", "voluntary", "large"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass
class Totals:
    root: Org
    start: dt.date
    end: dt.date  # the last month counted (cut at the current month)
    rows: list[TotalsRow]
    total: TotalsRow
    ratio: Decimal | None
    remittances: list[Remittance] = field(default_factory=list)

    @property
    def remittance_due(self) -> Decimal:
        shared = (self.total.collected + self.total.voluntary) * (self.ratio or 0)
        return shared.quantize(rules.CENT, rounding=ROUND_HALF_UP) + self.total.large

    @property
    def remitted(self) -> Decimal:
        return sum((r.amount for r in self.remittances), ZERO)

    @property
    def remittance_outstanding(self) -> Decimal:
        return max(self.remittance_due - self.remitted, ZERO)


def months(start: dt.date, end: dt.date) -> list[dt.date]:
    return [rules.month_from_index(i) for i in range(rules.month_index(start), rules.month_index(end) + 1)]


def quarter_months(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = dt.date(year, 3 * (quarter - 1) + 1, 1)
    return first, dt.date(year, 3 * quarter, 1)


def ratio_on(org: Org, month: dt.date) -> Decimal | None:
    row = RemittanceRatio.objects.filter(org=org, valid_from__lte=month).order_by("-valid_from").first()
    return row.ratio if row else None


def _owed_months(m: Any, window: list[dt.date]) -> list[dt.date]:
    start = dues_start(m)
    left = rules.first_of_month(m.left_date) if m.left_date else None
    return [mo for mo in window if (start is None or mo >= start) and (left is None or mo <= left)]


def dues_totals(root: Org, start: dt.date, end: dt.date, today: dt.date) -> Totals:
    rules.validate_month(start, "start")
    rules.validate_month(end, "end")
    requested_end = end
    end = min(end, rules.first_of_month(today))
    window = months(start, end) if end >= start else []
    children = list(root.get_children().order_by("path"))
    rows: dict[str, TotalsRow] = {c.path: TotalsRow(org=c) for c in children}
    own = TotalsRow(org=root, own=True)
    step = len(root.path) + Org.steplen

    def row_for(path: str) -> TotalsRow:
        return rows.get(path[:step], own) if len(path) >= step else own

    subtree = Membership.objects.filter(
        org__path__startswith=root.path, status__in=PARTY_MEMBER_STATUSES
    ).filter(Q(left_date__isnull=True) | Q(left_date__gte=start))
    members = list(
        subtree.only(
            "pk", "org__path", "party_group__path", "admission_date", "conversion_date", "left_date"
        ).select_related("org", "party_group")
    )
    ids = subtree.values("pk")
    bases = {
        (b.membership_id, b.year): b
        for b in DuesBase.objects.filter(membership__in=ids, year__gte=start.year, year__lte=end.year)
    }
    adjustments: dict[int, list[DuesBaseAdjustment]] = defaultdict(list)
    for adj in DuesBaseAdjustment.objects.filter(
        dues_base__membership__in=ids, dues_base__year__gte=start.year, dues_base__year__lte=end.year
    ):
        adjustments[adj.dues_base_id].append(adj)
    paid: dict[tuple[int, str], tuple[Decimal, int]] = {}
    for mid, kind, amount, count in (
        DuesPayment.objects.filter(membership__in=ids, month_owed__gte=start, month_owed__lte=end)
        .values("membership_id", "kind")
        .annotate(amount=Sum("amount"), count=Count("pk"))
        .order_by()
        .values_list("membership_id", "kind", "amount", "count")
    ):
        # SQLite sums decimals as floats: back to cents before adding them up
        paid[(mid, kind)] = (Decimal(str(amount)).quantize(rules.CENT, rounding=ROUND_HALF_UP), count)
    for m in members:
        owed = _owed_months(m, window)
        if not owed:
            continue  # accepted after the window: not a payer in it
        row = row_for(m.party_group.path if m.party_group is not None else m.org.path)
        row.members += 1
        for month in owed:
            base = bases.get((m.pk, month.year))
            if base is None:
                row.missing_base_months += 1
                continue
            amount = amount_in_month(base, adjustments[base.pk], month)
            if amount:
                row.owed_months += 1
                row.expected += amount
        amount, count = paid.get((m.pk, PaymentKind.REGULAR), (ZERO, 0))
        row.collected += amount
        row.paid_months += count
        row.voluntary += paid.get((m.pk, PaymentKind.VOLUNTARY_EXTRA), (ZERO, 0))[0]
        row.large += paid.get((m.pk, PaymentKind.LARGE_ONE_OFF), (ZERO, 0))[0]
    ordered = ([own] if own.members else []) + [rows[c.path] for c in children]
    total = TotalsRow(org=root)
    for row in ordered:
        total.add(row)
    remittances = list(
        Remittance.objects.filter(org=root, period_start__gte=start, period_end__lte=requested_end)
    )
    return Totals(
        root=root,
        start=start,
        end=end,
        rows=ordered,
        total=total,
        ratio=ratio_on(root, max(end, start)),
        remittances=remittances,
    )
