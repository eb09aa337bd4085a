"""Reads for collecting dues: one branch's sheet for one month, and one member's year.

A member is on a month's sheet when they are a party member of the org's subtree (probationary or
full) whose dues have started by the end of that month (DUES-10) and who had not left before it
began. The sheet reads four queries whatever the number of members: memberships, the year's bases,
their adjustments and the month's payments.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import Any, NamedTuple

from django.db.models import Q

from xianfeng.dues import rules
from xianfeng.dues.choices import PaymentKind
from xianfeng.dues.models import DuesBase, DuesBaseAdjustment, DuesPayment
from xianfeng.dues.selectors import LOAD_CHUNK, amount_in_month, dues_start
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership, MembershipQuerySet


class MonthStatus:
    """What a member's regular dues for one month look like."""

    PAID = "paid"
    UNPAID = "unpaid"  # the month has ended and nothing is recorded
    DUE = "due"  # the month is under way (or ahead) and nothing is recorded yet
    EXEMPT = "exempt"  # an approved exemption covers the month (DUES-09)
    NO_BASE = "no_base"  # the branch has not set the year's base (DUES-04)
    NOT_OWED = "not_owed"  # before acceptance, or after leaving


@dataclass
class SheetRow:
    membership: Membership
    base: DuesBase | None
    expected: Decimal | None
    status: str
    payment: DuesPayment | None = None
    extras: list[DuesPayment] = field(default_factory=list)

    @property
    def extra_total(self) -> Decimal:
        return sum((p.amount for p in self.extras), Decimal("0.00"))


@dataclass(frozen=True)
class SheetEntry:
    """One member's month in plain values: what the figures are computed from."""

    membership_id: int
    code: str
    status: str
    expected: Decimal | None
    paid: Decimal | None  # the regular payment's amount, if any
    extra: Decimal  # voluntary and one-off payments for the month


@dataclass
class Sheet:
    """A month's sheet: every member's entry (for the figures) and model rows built on demand, so
    that a committee of 90,000 members shows its totals and one page of rows quickly."""

    org: Org
    month: dt.date
    entries: list[SheetEntry]

    def _count(self, *statuses: str) -> int:
        return sum(1 for e in self.entries if e.status in statuses)

    @property
    def owing_count(self) -> int:
        return self._count(MonthStatus.PAID, MonthStatus.UNPAID, MonthStatus.DUE)

    @property
    def paid_count(self) -> int:
        return self._count(MonthStatus.PAID)

    @property
    def open_count(self) -> int:
        return self._count(MonthStatus.UNPAID, MonthStatus.DUE)

    @property
    def no_base_count(self) -> int:
        return self._count(MonthStatus.NO_BASE)

    @property
    def expected_total(self) -> Decimal:
        owing = (MonthStatus.PAID, MonthStatus.UNPAID, MonthStatus.DUE)
        return sum((e.expected or Decimal(0) for e in self.entries if e.status in owing), Decimal("0.00"))

    @property
    def collected_total(self) -> Decimal:
        return sum((e.paid for e in self.entries if e.paid is not None), Decimal("0.00"))

    @property
    def extra_total(self) -> Decimal:
        return sum((e.extra for e in self.entries), Decimal("0.00"))

    @property
    def rate(self) -> Decimal | None:
        """Collected ÷ expected regular dues, as a percentage with one decimal rounded half-up
        (四舍五入, like the amounts); None when nothing is owed."""
        expected = self.expected_total
        if not expected:
            return None
        return (self.collected_total * 100 / expected).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    @cached_property
    def rows(self) -> list[SheetRow]:
        """Every row with its model objects (exports, small branches)."""
        return self.rows_for(self.entries)

    def rows_for(self, entries: list[SheetEntry]) -> list[SheetRow]:
        """Model rows for some entries, in their order. Three queries whatever their number."""
        return sheet_rows(self.month, entries)


def last_day(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def sheet_members(org: Org, month: dt.date) -> MembershipQuerySet:
    """Party members of `org`'s subtree who may owe dues for `month` (see the module docstring)."""
    end = last_day(month)
    return (
        Membership.objects.filter(org__path__startswith=org.path, status__in=PARTY_MEMBER_STATUSES)
        .filter(Q(left_date__isnull=True) | Q(left_date__gte=month))
        .filter(
            Q(admission_date__lte=end)
            | Q(admission_date__isnull=True, conversion_date__lte=end)
            | Q(admission_date__isnull=True, conversion_date__isnull=True)
        )
    )


def month_status(
    membership: Any,
    base: Any,
    expected: Decimal | None,
    payment: Any,
    month: dt.date,
    today: dt.date,
) -> str:
    start = dues_start(membership)
    if (start is not None and month < start) or (
        membership.left_date is not None and month > rules.first_of_month(membership.left_date)
    ):
        return MonthStatus.NOT_OWED
    if payment is not None:
        return MonthStatus.PAID
    if base is None or expected is None:
        return MonthStatus.NO_BASE
    if expected == 0:
        return MonthStatus.EXEMPT
    return MonthStatus.UNPAID if last_day(month) < today else MonthStatus.DUE


SHEET_MEMBER_FIELDS = (
    "code",
    "status",
    "org",
    "party_group",
    "admission_date",
    "conversion_date",
    "left_date",
    "person__name",
    "person__code",
    "person__gender",
    "org__name",
    "org__path",
    "org__depth",
    "org__org_type",
    "party_group__name",
    "party_group__path",
)
SHEET_BASE_FIELDS = (
    "membership_id",
    "year",
    "category",
    "base",
    "fixed_amount",
    "monthly_amount",
    "above_soft_ceiling",
    "capped",
    "hardship",
    "hardship_amount",
    "hardship_from",
    "hardship_to",
)
SHEET_PAYMENT_FIELDS = (
    "membership_id",
    "month_owed",
    "amount",
    "paid_on",
    "method",
    "kind",
    "to_centre",
    "paid_by_proxy",
    "note",
    "collector__username",
    "collector__first_name",
    "collector__last_name",
)


def collection_sheet(org: Org, month: dt.date, today: dt.date) -> Sheet:
    """The month's sheet for `org` and its subtree, ordered by org then name. Four queries of plain
    values; model rows come from `Sheet.rows_for()` for the rows a page shows."""
    rules.validate_month(month, "month")
    in_sheet = sheet_members(org, month).values("pk")
    # Plain values rather than model objects: with 90,000 members, building objects took most of the
    # time (bench/run_dues.py).
    members = (
        sheet_members(org, month)
        .order_by("org__path", "person__name", "pk")
        .values_list("pk", "code", "admission_date", "conversion_date", "left_date")
    )
    bases = {
        b.membership_id: b
        for b in (
            _BaseValues(*values)
            for values in DuesBase.objects.filter(membership__in=in_sheet, year=month.year).values_list(
                "pk",
                "membership_id",
                "monthly_amount",
                "hardship",
                "hardship_from",
                "hardship_to",
                "hardship_amount",
            )
        )
    }
    adjustments: dict[int, list[_AdjustmentValues]] = defaultdict(list)
    for base_id, effective_month, monthly_amount in DuesBaseAdjustment.objects.filter(
        dues_base__membership__in=in_sheet, dues_base__year=month.year, effective_month__lte=month
    ).values_list("dues_base_id", "effective_month", "monthly_amount"):
        adjustments[base_id].append(_AdjustmentValues(effective_month, monthly_amount))
    paid: dict[int, Decimal] = {}
    extra: dict[int, Decimal] = defaultdict(lambda: Decimal("0.00"))
    for membership_id, kind, amount in DuesPayment.objects.filter(
        membership__in=in_sheet, month_owed=month
    ).values_list("membership_id", "kind", "amount"):
        if kind == PaymentKind.REGULAR:
            paid[membership_id] = amount
        else:
            extra[membership_id] += amount
    entries = []
    for pk, code, admission_date, conversion_date, left_date in members:
        base = bases.get(pk)
        expected = amount_in_month(base, adjustments[base.pk], month) if base else None
        dates = _MemberDates(admission_date, conversion_date, left_date)
        status = month_status(dates, base, expected, paid.get(pk), month, today)
        entries.append(
            SheetEntry(pk, str(code), status, expected, paid.get(pk), extra.get(pk, Decimal("0.00")))
        )
    return Sheet(org=org, month=month, entries=entries)


class _MemberDates(NamedTuple):
    admission_date: dt.date | None
    conversion_date: dt.date | None
    left_date: dt.date | None


class _BaseValues(NamedTuple):
    pk: int
    membership_id: int
    monthly_amount: Decimal
    hardship: str
    hardship_from: dt.date | None
    hardship_to: dt.date | None
    hardship_amount: Decimal | None


class _AdjustmentValues(NamedTuple):
    effective_month: dt.date
    monthly_amount: Decimal


def sheet_rows(month: dt.date, entries: list[SheetEntry]) -> list[SheetRow]:
    """Model rows (membership with person and orgs, base, payments) for `entries`, in their order.
    Three queries per LOAD_CHUNK entries (a page is one chunk)."""
    rows: list[SheetRow] = []
    for start in range(0, len(entries), LOAD_CHUNK):
        rows.extend(_sheet_rows(month, entries[start : start + LOAD_CHUNK]))
    return rows


def _sheet_rows(month: dt.date, entries: list[SheetEntry]) -> list[SheetRow]:
    ids = [e.membership_id for e in entries]
    members = {
        m.pk: m
        for m in Membership.objects.filter(pk__in=ids)
        .with_people("org", "party_group")
        .only(*SHEET_MEMBER_FIELDS)
    }
    bases = {
        b.membership_id: b
        for b in DuesBase.objects.filter(membership_id__in=ids, year=month.year).only(*SHEET_BASE_FIELDS)
    }
    regular: dict[int, DuesPayment] = {}
    extras: dict[int, list[DuesPayment]] = defaultdict(list)
    for p in (
        DuesPayment.objects.filter(membership_id__in=ids, month_owed=month)
        .select_related("collector")
        .only(*SHEET_PAYMENT_FIELDS)
    ):
        if p.kind == PaymentKind.REGULAR:
            regular[p.membership_id] = p
        else:
            extras[p.membership_id].append(p)
    return [
        SheetRow(
            members[e.membership_id],
            bases.get(e.membership_id),
            e.expected,
            e.status,
            regular.get(e.membership_id),
            extras[e.membership_id],
        )
        for e in entries
    ]


@dataclass
class MemberMonth:
    month: dt.date
    expected: Decimal | None
    status: str
    payment: DuesPayment | None
    extras: list[DuesPayment]


@dataclass
class MemberYear:
    membership: Membership
    year: int
    base: DuesBase | None
    months: list[MemberMonth]

    @property
    def paid_total(self) -> Decimal:
        return sum((m.payment.amount for m in self.months if m.payment), Decimal("0.00"))

    @property
    def extra_total(self) -> Decimal:
        return sum((p.amount for m in self.months for p in m.extras), Decimal("0.00"))

    @property
    def owed_total(self) -> Decimal:
        """What is unpaid for months that have ended."""
        return sum(
            (m.expected or Decimal(0) for m in self.months if m.status == MonthStatus.UNPAID), Decimal("0.00")
        )

    @property
    def unpaid_months(self) -> list[dt.date]:
        return [m.month for m in self.months if m.status == MonthStatus.UNPAID]


def member_year(membership: Membership, year: int, today: dt.date) -> MemberYear:
    """Twelve months of one member's dues: expected, paid, open. Three queries."""
    base = DuesBase.objects.filter(membership=membership, year=year).prefetch_related("adjustments").first()
    adjustments = list(base.adjustments.all()) if base else []
    payments: dict[dt.date, list[DuesPayment]] = defaultdict(list)
    for p in DuesPayment.objects.filter(membership=membership, month_owed__year=year).select_related(
        "collector"
    ):
        payments[p.month_owed].append(p)
    months = []
    for number in range(1, 13):
        month = dt.date(year, number, 1)
        expected = amount_in_month(base, adjustments, month) if base else None
        regular = next((p for p in payments[month] if p.kind == PaymentKind.REGULAR), None)
        extras = [p for p in payments[month] if p.kind != PaymentKind.REGULAR]
        status = month_status(membership, base, expected, regular, month, today)
        months.append(MemberMonth(month, expected, status, regular, extras))
    return MemberYear(membership=membership, year=year, base=base, months=months)


def years_with_dues(membership: Membership) -> list[int]:
    """The years for which a base is set, newest first."""
    return list(
        DuesBase.objects.filter(membership=membership).order_by("-year").values_list("year", flat=True)
    )
