"""Checking every payroll row against the members of the chosen org's subtree and the dues rules,
without writing anything. Queries: the rate schedule, then per 5,000 rows the members, the year's
bases, payments and adjustments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xianfeng.core import crypto
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.dues import rates, rules
from xianfeng.dues.choices import FIXED_CATEGORIES
from xianfeng.dues.imports.layout import CATEGORY_NAMES, MAX_ROWS, ColumnMapping, column_index
from xianfeng.dues.imports.reading import Rows, parse_base, parse_category, parse_id_number, same_name, text
from xianfeng.dues.models import DuesBase, DuesBaseAdjustment, DuesPayment
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.imports import ImportFileError
from xianfeng.people.imports.results import RowError
from xianfeng.people.models import Membership

CHUNK = 5_000
ZERO = Decimal("0.00")


@dataclass
class PayrollRow:
    number: int
    membership: Membership
    category: str
    base: Decimal  # 0 for fixed-amount categories
    amount: Decimal  # the monthly dues it gives
    previous: Decimal | None = None  # the monthly amount it replaces; None: a new base

    @property
    def category_name(self) -> str:
        return CATEGORY_NAMES.get(self.category, self.category)


@dataclass
class PayrollCheck:
    mapping: ColumnMapping
    headers: dict[str, str] = field(default_factory=dict)  # field → "B（身份证号）"
    row_count: int = 0
    rows: list[PayrollRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.row_count > 0 and not self.errors

    @property
    def rows_with_errors(self) -> int:
        return len({error.row for error in self.errors})

    def error(self, row: int, name: str, message: str) -> None:
        self.errors.append(RowError(row, name, self.headers.get(name, ""), message))


class PayrollRejected(Exception):
    def __init__(self, check: PayrollCheck) -> None:
        super().__init__(f"{len(check.errors)} errors")
        self.check = check


@dataclass
class _Values:
    number: int
    id_number: str = ""
    hash: str = ""
    name: str = ""
    category: str = ""
    base: Decimal | None = None


def _headers(rows: Rows, mapping: ColumnMapping) -> dict[str, str]:
    header = next((cells for number, cells in rows if number == mapping.header_row), ())
    labels = {}
    for name, letter in mapping.columns().items():
        index = column_index(letter)
        title = text(header[index]) if index < len(header) else ""
        labels[name] = f"{letter}（{title}）" if title else letter
    return labels


def _cells(cells: Sequence[Any], mapping: ColumnMapping) -> dict[str, Any]:
    out = {}
    for name, letter in mapping.columns().items():
        index = column_index(letter)
        out[name] = cells[index] if index < len(cells) else None
    return out


def _convert(check: PayrollCheck, number: int, cells: dict[str, Any]) -> _Values:
    values = _Values(number, name=text(cells.get("name")))
    try:
        values.id_number = parse_id_number(cells.get("id_number"))
        values.hash = crypto.lookup_hash(values.id_number)
    except ValueError as exc:
        check.error(number, "id_number", str(exc))
    try:
        values.category = parse_category(cells.get("category"))
    except ValueError as exc:
        check.error(number, "category", str(exc))
    if values.category and values.category not in FIXED_CATEGORIES:
        try:
            values.base = parse_base(cells.get("base"))
        except ValueError as exc:
            check.error(number, "base", str(exc))
    return values


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _members(org: Org, hashes: list[str]) -> dict[str, Membership]:
    """Current party members of the subtree, by the look-up hash of their ID number."""
    found: dict[str, Membership] = {}
    for chunk in _chunks(hashes):
        for m in Membership.objects.filter(
            person__id_number_hash__in=chunk,
            org__path__startswith=org.path,
            status__in=PARTY_MEMBER_STATUSES,
            left_date__isnull=True,
        ).select_related("person", "org"):
            found[m.person.id_number_hash] = m
    return found


def _year_state(ids: list[int], year: int) -> tuple[dict[int, Decimal], set[int]]:
    """The monthly amounts of the year's existing bases, and the members whose year is fixed."""
    existing: dict[int, Decimal] = {}
    fixed: set[int] = set()
    for chunk in _chunks(ids):
        bases = DuesBase.objects.filter(membership_id__in=chunk, year=year)
        existing.update(bases.values_list("membership_id", "monthly_amount"))
        fixed.update(
            DuesPayment.objects.regular()
            .filter(membership_id__in=chunk, month_owed__year=year)
            .values_list("membership_id", flat=True)
        )
        fixed.update(
            DuesBaseAdjustment.objects.filter(dues_base__in=bases).values_list(
                "dues_base__membership_id", flat=True
            )
        )
    return existing, fixed


def _brackets(year: int) -> list[rates.Bracket]:
    schedule = rates.schedule_on(dt.date(year, 1, 1))
    return [
        rates.Bracket(b.scheme, b.upper_bound, b.rate, b.fixed_min, b.fixed_max)
        for b in schedule.brackets.all()
    ]


def check_payroll(*, actor: Any, org: Org, year: int, rows: Rows, mapping: ColumnMapping) -> PayrollCheck:
    """Every data row below the header row, converted and checked; errors name the row and column."""
    require(actor, Action.CHANGE, org)
    check = PayrollCheck(mapping=mapping, headers=_headers(rows, mapping))
    data = [(n, _cells(cells, mapping)) for n, cells in rows if n > mapping.header_row]
    data = [(n, cells) for n, cells in data if any(text(value) for value in cells.values())]
    if not data:
        raise ImportFileError(
            _("There are no data rows below the header row (row %(row)s).") % {"row": mapping.header_row}
        )
    if len(data) > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
        )
    check.row_count = len(data)
    try:
        brackets = _brackets(year)
    except ValidationError as exc:
        check.errors.append(RowError(0, "year", "", " ".join(exc.messages)))
        return check
    values = [_convert(check, number, cells) for number, cells in data]
    members = _members(org, sorted({v.hash for v in values if v.hash}))
    existing, fixed = _year_state([m.pk for m in members.values()], year)
    seen: dict[str, int] = {}
    for v in values:
        if not v.hash:
            continue
        first = seen.setdefault(v.hash, v.number)
        if first != v.number:
            check.error(
                v.number, "id_number", _("The same ID number is also on row %(row)s.") % {"row": first}
            )
            continue
        membership = members.get(v.hash)
        if membership is None:
            check.error(
                v.number,
                "id_number",
                _("No current Party member of %(org)s or its organizations below has this ID number.")
                % {"org": org.name},
            )
            continue
        _check_member(check, v, membership, year, fixed, existing, brackets)
    check.errors.sort(
        key=lambda e: (e.row, list(check.headers).index(e.field) if e.field in check.headers else -1)
    )
    return check


def _check_member(
    check: PayrollCheck,
    v: _Values,
    membership: Membership,
    year: int,
    fixed: set[int],
    existing: dict[int, Decimal],
    brackets: list[rates.Bracket],
) -> None:
    if v.name and not same_name(v.name, membership.person.name):
        check.error(
            v.number,
            "name",
            _("The name “%(name)s” does not match the member recorded with this ID number (%(recorded)s).")
            % {"name": v.name, "recorded": membership.person.name},
        )
    if membership.pk in fixed:
        check.error(
            v.number,
            "base",
            _(
                "Dues for %(year)s are already being paid or were adjusted; change this member's base "
                "with a mid-year adjustment instead (%(src)s)."
            )
            % {"year": year, "src": rules.SOURCE_BASE_YEAR},
        )
    if not v.category or (v.base is None and v.category not in FIXED_CATEGORIES):
        return
    base = v.base if v.base is not None else ZERO
    try:
        raw = rates.amount_from_brackets(brackets, category=v.category, base=base)
    except ValidationError as exc:  # a range to choose from (rural members, DUES-08)
        hint = _("Set this member's fixed amount on their dues page.")
        check.error(v.number, "category", " ".join([*exc.messages, hint]))
        return
    amount = rates.apply_ceiling(raw)[0]
    check.rows.append(PayrollRow(v.number, membership, v.category, base, amount, existing.get(membership.pk)))
