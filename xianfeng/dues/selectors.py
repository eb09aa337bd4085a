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
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from xianfeng.core.roles import Action
from xianfeng.dues import rules
from xianfeng.dues.choices import Hardship, PaymentKind
from xianfeng.dues.models import ArrearsReason, DuesBase, DuesBaseAdjustment, DuesPayment
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership, MembershipQuerySet


def dues_start(membership: Membership) -> dt.date | None:
    """The first month owed: the acceptance month (DUES-10)."""
    day = membership.admission_date or membership.conversion_date
    return rules.first_of_month(day) if day else None


def _hardship_amount(base: Any, month: dt.date, amount: Decimal) -> Decimal:
    if base.hardship and base.hardship_from and base.hardship_from <= month <= base.hardship_to:
        return Decimal("0.00") if base.hardship == Hardship.EXEMPTION else base.hardship_amount
    return amount


def amount_in_month(base: DuesBase, adjustments: Iterable[DuesBaseAdjustment], month: dt.date) -> Decimal:
    """The regular dues for `month` from the year's base, the latest of its adjustments (in any
    order) in force by then, and any approved reduction or exemption covering the month."""
    latest: DuesBaseAdjustment | None = None
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


@dataclass
class ArrearsRow:
    membership: Membership
    unpaid_months: list[dt.date] = field(default_factory=list)
    consecutive_unpaid: int = 0
    unexcused_consecutive: int = 0
    warning: bool = False
    finding: Finding | None = None
    missing_base: bool = False


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


def arrears(*, scope_orgs_or_user: Any | Iterable[Any], as_of: dt.date) -> list[ArrearsRow]:
    """Per current member in scope: unpaid ended months, the run, the warning and the finding.

    Four queries whatever the number of members (memberships, bases, payments, reasons)."""
    members = list(_memberships(scope_orgs_or_user).with_people("org").order_by("org__path", "pk"))
    in_scope = _memberships(scope_orgs_or_user).values("pk")
    last = rules.month_index(as_of) - 1  # the last ended month
    bases: dict[int, list[Any]] = defaultdict(list)
    for b in DuesBase.objects.filter(membership__in=in_scope, year__lte=as_of.year).only(
        "membership_id", "year", "hardship", "hardship_from", "hardship_to", "hardship_amount"
    ):
        bases[b.membership_id].append(b)
    first_year = min((b.year for rows in bases.values() for b in rows), default=as_of.year)
    paid: dict[int, set[int]] = defaultdict(set)
    for mid, month in DuesPayment.objects.filter(
        membership__in=in_scope, kind=PaymentKind.REGULAR, month_owed__gte=dt.date(first_year, 1, 1)
    ).values_list("membership_id", "month_owed"):
        paid[mid].add(rules.month_index(month))
    excused: dict[int, set[int]] = defaultdict(set)
    for mid, start, end in ArrearsReason.objects.filter(membership__in=in_scope).values_list(
        "membership_id", "from_month", "to_month"
    ):
        excused[mid].update(range(rules.month_index(start), rules.month_index(end) + 1))
    return [_row(m, bases.get(m.pk, []), paid[m.pk], excused[m.pk], last) for m in members]


def _row(m: Membership, bases: list[Any], paid: set[int], excused: set[int], last: int) -> ArrearsRow:
    row = ArrearsRow(membership=m)
    if not bases:
        row.missing_base = True
        return row
    by_year = {b.year: b for b in bases}
    first = rules.month_index(dt.date(min(by_year), 1, 1))
    start = dues_start(m)
    if start is not None:
        first = max(first, rules.month_index(start))
    owed: list[int] = []
    for index in range(first, last + 1):
        month = rules.month_from_index(index)
        base = by_year.get(month.year)
        if base is not None and _hardship_amount(base, month, Decimal(1)) == 0:
            continue  # exempt (DUES-09)
        owed.append(index)
    unpaid = [i for i in owed if i not in paid]
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
