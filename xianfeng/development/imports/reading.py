"""Reading the workbook and converting cells: dates, lists of dates, counts, people and text.

The file checks (size, old .xls, not a workbook, damaged) and the date formats are the member
import's (people.imports): same messages, same accepted spellings.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from xianfeng.core import workbooks
from xianfeng.core.workbooks import read_first_sheet
from xianfeng.development.imports.layout import COLUMNS, MAX_COLUMNS, MAX_ROWS, max_bytes
from xianfeng.people import idcard
from xianfeng.people.imports import ImportFileError, Sheet
from xianfeng.people.imports._cells import parse_date

_DATE_SEPARATORS = re.compile(r"[、，,；;\n\r\t]+")
_PEOPLE_SEPARATORS = re.compile(r"[、，,；;／/\s]+")
_HEADER_BY_NAME = {column.header: column.key for column in COLUMNS}


def _normalize_header(value: Any) -> str:
    text = str(value).strip().strip("*") if value is not None else ""
    return text.replace("（", "(").replace("）", ")").replace(" ", "")


def too_large_message() -> str:
    return workbooks.too_large_message(max_bytes())


def read_sheet(data: bytes) -> Sheet:
    """The column positions (by column key) and the non-empty rows of the first sheet."""
    return read_first_sheet(data, max_bytes=max_bytes(), read=_read, error=ImportFileError)


def _read(sheet: Any) -> Sheet:
    sheet.reset_dimensions()
    values = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
    positions: dict[str, int] = {}
    for index, cell in enumerate(next(values, ())):
        key = _HEADER_BY_NAME.get(_normalize_header(cell))
        if key is not None and key not in positions:
            positions[key] = index
    identified = "id_number" in positions or "code" in positions
    if not identified or not set(positions) - {"name", "code", "id_number"}:
        raise ImportFileError(
            _(
                "The first row must hold the column headers of the template: the ID number or the "
                "person's code, and the step dates."
            )
        )
    rows: list[tuple[int, Sequence[Any]]] = []
    for number, row in enumerate(values, start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        if len(rows) >= MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
            )
        rows.append((number, row))
    if not rows:
        raise ImportFileError(_("The file has no rows under the headers."))
    return Sheet(positions, rows)


# --- Cells ----------------------------------------------------------------------------------------


def text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_dates(value: Any) -> list[Any]:
    """One date, or several written in one cell (2021-07-10、2022-01-08)."""
    if isinstance(value, str):
        return [parse_date(part) for part in _DATE_SEPARATORS.split(value.strip()) if part.strip()]
    return [parse_date(value)]


def parse_count(value: Any) -> int:
    if isinstance(value, bool):
        raise ValueError(_("Enter a whole number."))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        try:
            number = int(text(value).removesuffix("人").removesuffix("票").removesuffix("学时"))
        except ValueError:
            raise ValueError(_("Enter a whole number.")) from None
    if number < 0:
        raise ValueError(_("Enter a whole number.")) from None
    return number


def parse_days(value: Any) -> Decimal:
    raw = repr(value) if isinstance(value, float) else text(value).removesuffix("天")
    try:
        days = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_("Enter a number of days, e.g. 3 or 3.5.")) from None
    if not days.is_finite() or days < 0 or days >= 1000 or days != days.quantize(Decimal("0.1")):
        raise ValueError(_("Enter a number of days, e.g. 3 or 3.5."))
    return days.quantize(Decimal("0.1"))


def parse_id_number(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ValueError(_("Enter the ID number as text: Excel rounds long numbers."))
    try:
        return idcard.parse(text(value)).value
    except idcard.IdNumberError as exc:
        raise ValueError(str(exc)) from None


def parse_code(value: Any) -> uuid.UUID:
    try:
        return uuid.UUID(text(value))
    except ValueError:
        raise ValueError(
            _("Not a person's code (a UUID such as 1b4e28ba-2fa1-11d2-883f-0016d3cca427).")
        ) from None


def split_people(value: Any) -> list[str]:
    """Names or ID numbers, several in one cell."""
    return [part for part in _PEOPLE_SEPARATORS.split(text(value)) if part]


def looks_like_id_number(token: str) -> bool:
    return len(token) in (15, 18) and token[:6].isdigit()
