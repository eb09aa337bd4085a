"""Reads of dues data: the amount owed for a month, and the arrears scan (DUES-13).

Arrears definitions (decisions, tested):
- A member owes dues from the month of acceptance as probationary member (admission_date; the
  acceptance month itself is owed, DUES-10 "from the day the branch meeting accepts them"), or from the
  conversion date when no admission date is recorded, and never before January of the first year
  for which the branch set a dues base. A member without any dues base is reported `missing_base`
  and owes nothing yet (the branch has not fixed the amount, DUES-04).
- A month is in arrears once it has ended: the months counted are those before `as_of`'s month.
- Exempt months (DUES-09) are not owed. Voluntary and large one-off payments do not pay a month.
- `consecutive_unpaid` is the trailing run of unpaid months up to the last ended month; a warning is
  raised at XIANFENG_DUES_WARN_MONTHS (3, L). The 自行脱党 finding needs 6 consecutive unpaid months
  none of which is covered by a recorded ArrearsReason (the trailing run stops at a covered month).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import CharField, Count, IntegerField, Min, Q
from django.db.models.functions import Cast, Substr

from xianfeng.core.roles import Action
from xianfeng.dues import rules
from xianfeng.dues.choices import Hardship, PaymentKind
from xianfeng.dues.models import ArrearsReason, DuesBase, DuesPayment
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership, MembershipQuerySet


def dues_start(membership: Any) -> dt.date | None:
    """The first month owed: the acceptance month (DUES-10)."""
    day = membership.admission_date or membership.conversion_date
    return rules.first_of_month(day) if day else None


def _hardship_amount(base: Any, month: dt.date, amount: Decimal) -> Decimal:
    if base.hardship and base.hardship_from and base.hardship_from <= month <= base.hardship_to:
        return Decimal("0.00") if base.hardship == Hardship.EXEMPTION else base.hardship_amount
    return amount


def amount_in_month(base: Any, adjustments: Iterable[Any], month: dt.date) -> Decimal:
    """The regular dues for `month` from the year's base, the latest of its adjustments (in any
    order) in force by then, and any approved reduction or exemption covering the month. `base` and
    `adjustments` are models or plain tuples with their fields (the sheet reads values)."""
    latest: Any = None
    for adjustment in adjustments:
        if adjustment.effective_month <= month and (
            latest is None or adjustment.effective_month > latest.effective_month
        ):
            latest = adjustment
    amount = latest.monthly_amount if latest else base.monthly_amount
    return _hardship_amount(base, month, amount)


def expected_amount(membership: Membership, month: dt.date) -> Decimal | None:
    """The regular dues for `month`; None when no base is set for that year."""
    base = DuesBase.objects.filter(membership=membership, year=month.year).first()
    if base is None:
        return None
    return amount_in_month(base, base.adjustments.filter(effective_month__lte=month), month)


@dataclass
class Finding:
    code: str
    message: str
    source: str


# Ids per look-up (in_bulk would split at SQLite's old 999-parameter limit; SQLite ≥ 3.32 and
# PostgreSQL take 32,766 and 65,535 parameters).
LOAD_CHUNK = 20_000


class _Members:
    """Member objects of a scan, loaded in bulk when first needed: the rows that report something
    are loaded together right after the scan (one query); touching any other row loads the rest in
    one more. A 100,000-member scan so builds objects only for the few thousand in arrears."""

    def __init__(self, ids: list[int]) -> None:
        self.ids = ids
        self.loaded: dict[int, Membership] = {}

    def load(self, ids: Iterable[int]) -> None:
        wanted = [pk for pk in ids if pk not in self.loaded]
        for i in range(0, len(wanted), LOAD_CHUNK):  # one query unless tens of thousands are in arrears
            chunk = Membership.objects.with_people("org").filter(pk__in=wanted[i : i + LOAD_CHUNK])
            self.loaded.update((m.pk, m) for m in chunk)

    def get(self, pk: int) -> Membership:
        if pk not in self.loaded:
            self.load(self.ids)
        return self.loaded[pk]


@dataclass
class ArrearsRow:
    membership_id: int
    unpaid_months: list[dt.date] = field(default_factory=list)
    consecutive_unpaid: int = 0
    unexcused_consecutive: int = 0
    warning: bool = False
    finding: Finding | None = None
    missing_base: bool = False
    members: _Members | None = field(default=None, repr=False, compare=False)

    @property
    def membership(self) -> Membership:
        assert self.members is not None
        return self.members.get(self.membership_id)

    @property
    def reports(self) -> bool:
        """Anything to show: an unpaid month or no base."""
        return bool(self.unpaid_months) or self.missing_base


@dataclass(frozen=True)
class _Member:
    pk: int
    admission_date: dt.date | None
    conversion_date: dt.date | None


@dataclass(frozen=True)
class _Base:
    year: int
    hardship: str
    hardship_from: dt.date | None
    hardship_to: dt.date | None
    hardship_amount: Decimal | None


def _memberships(scope: Any) -> MembershipQuerySet:
    """Current party members of a scope: a user (their VIEW scope), a Q over orgs, or some orgs
    (each with its subtree)."""
    current = Membership.objects.filter(left_date__isnull=True, status__in=PARTY_MEMBER_STATUSES)
    if hasattr(scope, "is_authenticated"):  # a user: their VIEW scope
        return current.restrict(scope, Action.VIEW)
    if isinstance(scope, Q):
        return current.filter(org__in=Org.objects.filter(scope))
    q = Q(pk__in=[])
    for org in scope:
        q |= Q(org__path__startswith=org.path)
    return current.filter(q)


def _month_index_sql(field_name: str) -> Any:
    """year * 12 + month - 1 of a date column, computed by the database from its ISO text: no date
    objects built in Python, and no per-row Python function as SQLite's Extract would call."""
    text = Cast(field_name, output_field=CharField())
    year = Cast(Substr(text, 1, 4), output_field=IntegerField())
    month = Cast(Substr(text, 6, 2), output_field=IntegerField())
    return year * 12 + month - 1


def arrears(*, scope_orgs_or_user: Any | Iterable[Any], as_of: dt.date) -> list[ArrearsRow]:
    """Per current member in scope (ordered by org, then member): unpaid ended months, the run, the
    warning and the finding.

    Six queries whatever the number of members: memberships, bases, a count of payments per member,
    the paid months of those not fully paid, and reasons as plain values, then the member objects of
    the rows that report something (`ArrearsRow.membership`)."""
    members = [
        _Member(*values)
        for values in _memberships(scope_orgs_or_user)
        .order_by("org__path", "pk")
        .values_list("pk", "admission_date", "conversion_date")
    ]
    in_scope = _memberships(scope_orgs_or_user).values("pk")
    last = rules.month_index(as_of) - 1  # the last ended month
    bases: dict[int, list[_Base]] = defaultdict(list)
    for mid, year, hardship, start, end, amount in DuesBase.objects.filter(
        membership__in=in_scope, year__lte=as_of.year
    ).values_list("membership_id", "year", "hardship", "hardship_from", "hardship_to", "hardship_amount"):
        bases[mid].append(_Base(year, hardship, start, end, amount))
    first_year = min((b.year for rows in bases.values() for b in rows), default=as_of.year)
    paid = _paid_months(members, bases, in_scope, first_year, last)
    excused: dict[int, set[int]] = defaultdict(set)
    for mid, start, end in ArrearsReason.objects.filter(membership__in=in_scope).values_list(
        "membership_id", "from_month", "to_month"
    ):
        excused[mid].update(range(rules.month_index(start), rules.month_index(end) + 1))
    loader = _Members([m.pk for m in members])
    rows = [
        _row(m, bases.get(m.pk, []), paid.get(m.pk, frozenset()), excused[m.pk], last, loader)
        for m in members
    ]
    loader.load(r.membership_id for r in rows if r.reports)
    return rows


def _first_owed(m: _Member, bases: list[_Base]) -> int:
    """The first month owed: January of the first year with a base, or the acceptance month if later."""
    first = rules.month_index(dt.date(min(b.year for b in bases), 1, 1))
    start = dues_start(m)
    return max(first, rules.month_index(start)) if start is not None else first


def _paid_months(
    members: list[_Member], bases: dict[int, list[_Base]], in_scope: Any, first_year: int, last: int
) -> dict[int, AbstractSet[int]]:
    """The regular months paid, by member, for the members who may have an unpaid month.

    Most members have paid every month: the database counts each member's regular payments and their
    earliest month, and a member whose count covers every month from the first owed to the last ended
    (one payment per month is a constraint, none earlier) has nothing unpaid, so their months are never
    read. With 90,000 members and two years of payments that skips ~1.8 million rows."""
    month_index = _month_index_sql("month_owed")
    regular = DuesPayment.objects.filter(
        membership__in=in_scope,
        kind=PaymentKind.REGULAR,
        month_owed__gte=dt.date(first_year, 1, 1),
        month_owed__lte=rules.month_from_index(last) if last >= 0 else dt.date.min,
    )
    counts = {
        mid: (n, earliest)
        for mid, n, earliest in regular.order_by()
        .values("membership_id")
        .annotate(n=Count("pk"), earliest=Min(month_index))
        .values_list("membership_id", "n", "earliest")
    }
    open_ids = []
    for m in members:
        if m.pk not in bases:
            continue
        first = _first_owed(m, bases[m.pk])
        n, earliest = counts.get(m.pk, (0, None))
        if not (earliest is not None and earliest >= first and n >= last - first + 1):
            open_ids.append(m.pk)
    months: dict[int, set[int]] = defaultdict(set)
    for i in range(0, len(open_ids), LOAD_CHUNK):
        chunk = regular.filter(membership_id__in=open_ids[i : i + LOAD_CHUNK])
        for mid, index in chunk.values_list("membership_id", month_index):
            months[mid].add(index)
    opened = set(open_ids)
    # every owed month paid: the row only needs to know that
    paid: dict[int, AbstractSet[int]] = {pk: _ALL_PAID for pk in counts if pk not in opened}
    paid.update(months)
    return paid


class _AllPaid(frozenset[int]):
    """Stands for "every month paid" without listing the months."""

    def __contains__(self, item: object) -> bool:
        return True


_ALL_PAID = _AllPaid()


def _exempt(base: _Base | None, index: int) -> bool:
    if base is None or not base.hardship:
        return False
    return _hardship_amount(base, rules.month_from_index(index), Decimal(1)) == 0


def _row(
    m: _Member, bases: list[_Base], paid: AbstractSet[int], excused: set[int], last: int, loader: _Members
) -> ArrearsRow:
    row = ArrearsRow(membership_id=m.pk, members=loader)
    if not bases:
        row.missing_base = True
        return row
    by_year = {b.year: b for b in bases}
    first = _first_owed(m, bases)
    owed = [i for i in range(first, last + 1) if not _exempt(by_year.get(i // 12), i)]  # DUES-09
    unpaid = [i for i in owed if i not in paid]
    if not unpaid:
        return row
    row.unpaid_months = [rules.month_from_index(i) for i in unpaid]
    for i in reversed(owed):
        if i in paid:
            break
        row.consecutive_unpaid += 1
    for i in reversed(owed):
        if i in paid or i in excused:
            break
        row.unexcused_consecutive += 1
    row.warning = row.consecutive_unpaid >= rules.warn_months()
    if row.unexcused_consecutive >= rules.SELF_DEPARTURE_MONTHS:
        row.finding = Finding(
            code="DUES-13",
            message=str(_self_departure_message(row.unexcused_consecutive)),
            source=rules.SOURCE_SELF_DEPARTURE,
        )
    return row


def _self_departure_message(months: int) -> str:
    from django.utils.translation import gettext as _

    return _(
        "%(n)d consecutive months of dues unpaid without a recorded reason: the branch should consider "
        "treating the member as having left the Party of their own accord (自行脱党)."
    ) % {"n": months}
