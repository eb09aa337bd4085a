"""Reading a payroll workbook: the non-empty rows of its first sheet, and the cell values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import override

from xianfeng.core import workbooks
from xianfeng.core.workbooks import read_first_sheet
from xianfeng.dues import rules
from xianfeng.dues.choices import DuesCategory
from xianfeng.dues.imports.layout import (
    CATEGORY_ALIASES,
    CATEGORY_NAMES,
    MAX_COLUMNS,
    MAX_HEADER_ROW,
    MAX_ROWS,
    max_bytes,
)
from xianfeng.people import idcard
from xianfeng.people.imports import ImportFileError

Rows = list[tuple[int, tuple[Any, ...]]]


def too_large_message() -> str:
    return workbooks.too_large_message(max_bytes())


def read_rows(data: bytes) -> Rows:
    """(Excel row number, cell values) of every non-empty row of the first sheet."""
    return read_first_sheet(data, max_bytes=max_bytes(), read=_rows, error=ImportFileError)


def _rows(sheet: Any) -> Rows:
    sheet.reset_dimensions()
    rows: Rows = []
    for number, row in enumerate(sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS), start=1):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        if len(rows) >= MAX_ROWS + MAX_HEADER_ROW:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
            )
        rows.append((number, tuple(row)))
    if not rows:
        raise ImportFileError(_("The file is empty."))
    return rows


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def parse_id_number(value: Any) -> str:
    """A valid ID number (GB 11643) from a text cell; ValueError with the reason otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(_("Enter the ID number as text: Excel rounds long numbers."))
    try:
        return idcard.parse(text(value)).value
    except idcard.IdNumberError as exc:
        raise ValueError(str(exc)) from None


def parse_base(value: Any) -> Decimal:
    """A monthly base in yuan: a number, or text such as "5,200.50" or "5200元"."""
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ValueError(_("Enter the member's monthly base."))
    amount: Any
    if isinstance(value, bool | dt.date | dt.datetime):
        amount = "x"
    elif isinstance(value, float):
        amount = Decimal(repr(value))
        if amount.is_finite() and abs(amount - amount.quantize(rules.CENT)) < Decimal("0.000001"):
            amount = amount.quantize(rules.CENT)  # 4200.000000001 from a formula is 4200.00
    elif isinstance(value, int):
        amount = Decimal(value)
    else:
        amount = str(value).strip().replace(",", "").replace("，", "").removesuffix("元").strip()
    try:
        return rules.validate_base(amount, "base")
    except ValidationError as exc:
        raise ValueError(exc.message_dict["base"][0]) from None


def _category_table() -> dict[str, str]:
    table = {name: value for value, name in CATEGORY_NAMES.items()}
    table.update(CATEGORY_ALIASES)
    for value, label in DuesCategory.choices:
        table.setdefault(str(value), str(value))
        table.setdefault(str(label).lower(), str(value))
        with override("zh-hans"):
            table.setdefault(str(DuesCategory(value).label), str(value))
    return table


def parse_category(value: Any) -> str:
    """A category from its Chinese name, code or label; an empty cell is "employed"."""
    name = text(value)
    if not name:
        return DuesCategory.EMPLOYED
    table = _category_table()
    found = table.get(name) or table.get(name.lower()) or table.get(name.removesuffix("党员"))
    if found is None:
        raise ValueError(
            _("Unknown category “%(value)s”; allowed: %(allowed)s.")
            % {"value": name, "allowed": "、".join(CATEGORY_NAMES.values())}
        )
    return found


def same_name(a: str, b: str) -> bool:
    def squeeze(s: str) -> str:
        return "".join(s.split()).replace("·", "").replace("•", "")

    return squeeze(a) == squeeze(b)
