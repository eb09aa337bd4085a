"""Per member and per month of a run of months: expected, paid, status (reconciliation, publication).

Members, statuses and amounts follow `collection_sheet` month by month (the same party members of
the subtree, the same `month_status`), read in four queries for the whole run: members, the
years' bases, their adjustments, the months' payments. A month after the current one counts only
when it is paid in advance (DUES-12); otherwise it is FUTURE and owes nothing yet.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q

from xianfeng.dues import rules
from xianfeng.dues.choices import PaymentKind
from xianfeng.dues.collection import MonthStatus, last_day, month_status
from xianfeng.dues.exports._book import FUTURE
from xianfeng.dues.models import DuesBase, DuesBaseAdjustment, DuesPayment
from xianfeng.dues.selectors import amount_in_month
from xianfeng.dues.summaries import months as month_range
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership, MembershipQuerySet

ZERO = Decimal("0.00")
OWING = (MonthStatus.PAID, MonthStatus.UNPAID, MonthStatus.DUE)


@dataclass
class GridCell:
    month: dt.date
    status: str
    expected: Decimal | None = None
    paid: Decimal | None = None
    extra: Decimal = ZERO

    @property
    def owing(self) -> bool:
        return self.status in OWING


@dataclass
class GridRow:
    membership: Membership
    cells: list[GridCell] = field(default_factory=list)

    @property
    def expected(self) -> Decimal:
        return sum((c.expected or ZERO for c in self.cells if c.owing), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((c.paid or ZERO for c in self.cells), ZERO)

    @property
    def extra(self) -> Decimal:
        return sum((c.extra for c in self.cells), ZERO)

    @property
    def difference(self) -> Decimal:
        return self.expected - self.paid

    @property
    def unpaid_months(self) -> list[dt.date]:
        return [c.month for c in self.cells if c.status == MonthStatus.UNPAID]


@dataclass
class Grid:
    org: Org
    months: list[dt.date]
    rows: list[GridRow]

    def paid_in(self, index: int) -> Decimal:
        return sum((r.cells[index].paid or ZERO for r in self.rows), ZERO)

    @property
    def expected(self) -> Decimal:
        return sum((r.expected for r in self.rows), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((r.paid for r in self.rows), ZERO)

    @property
    def extra(self) -> Decimal:
        return sum((r.extra for r in self.rows), ZERO)

    @property
    def rate(self) -> Decimal | None:
        """Paid ÷ expected as a percentage with one decimal, as the collection sheet."""
        expected = self.expected
        return (
            (self.paid * 100 / expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
            if expected
            else None
        )


def grid_members(org: Org, start: dt.date, end: dt.date) -> MembershipQuerySet:
    """Party members of the subtree who may owe dues in some month of [start, end]."""
    last = last_day(end)
    return (
        Membership.objects.filter(org__path__startswith=org.path, status__in=PARTY_MEMBER_STATUSES)
        .filter(Q(left_date__isnull=True) | Q(left_date__gte=start))
        .filter(
            Q(admission_date__lte=last)
            | Q(admission_date__isnull=True, conversion_date__lte=last)
            | Q(admission_date__isnull=True, conversion_date__isnull=True)
        )
    )


def member_grid(org: Org, start: dt.date, end: dt.date, today: dt.date) -> Grid:
    rules.validate_month(start, "start")
    rules.validate_month(end, "end")
    window = month_range(start, end)
    current = rules.first_of_month(today)
    members = list(
        grid_members(org, start, end).with_people("org").order_by("org__path", "person__name", "pk")
    )
    ids = grid_members(org, start, end).values("pk")
    bases = {
        (b.membership_id, b.year): b
        for b in DuesBase.objects.filter(membership__in=ids, year__gte=start.year, year__lte=end.year)
    }
    adjustments: dict[int, list[DuesBaseAdjustment]] = defaultdict(list)
    for adj in DuesBaseAdjustment.objects.filter(
        dues_base__membership__in=ids, dues_base__year__gte=start.year, dues_base__year__lte=end.year
    ):
        adjustments[adj.dues_base_id].append(adj)
    regular: dict[tuple[int, dt.date], DuesPayment] = {}
    extras: dict[tuple[int, dt.date], Decimal] = defaultdict(lambda: ZERO)
    for p in DuesPayment.objects.filter(membership__in=ids, month_owed__gte=start, month_owed__lte=end):
        if p.kind == PaymentKind.REGULAR:
            regular[(p.membership_id, p.month_owed)] = p
        else:
            extras[(p.membership_id, p.month_owed)] += p.amount
    rows = []
    for m in members:
        row = GridRow(m)
        for month in window:
            base = bases.get((m.pk, month.year))
            expected = amount_in_month(base, adjustments[base.pk], month) if base else None
            payment = regular.get((m.pk, month))
            status = month_status(m, base, expected, payment, month, today)
            if month > current and payment is None and status != MonthStatus.NOT_OWED:
                status, expected = FUTURE, None
            paid = payment.amount if payment else None
            row.cells.append(GridCell(month, status, expected, paid, extras.get((m.pk, month), ZERO)))
        rows.append(row)
    return Grid(org=org, months=window, rows=rows)
