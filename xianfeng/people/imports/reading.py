"""Reading a workbook: the header positions and the non-empty member rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from xianfeng.core import workbooks
from xianfeng.core.workbooks import read_first_sheet
from xianfeng.people.imports.layout import COLUMNS, HEADER_BY_FIELD, MAX_ROWS
from xianfeng.people.imports.results import ImportFileError, Sheet

_MAX_COLUMNS = 64

_HEADER_ALIASES = {"所在组织": "所在组织(名称或编码)", "所在组织（名称或编码）": "所在组织(名称或编码)"}


# --- Reading ---------------------------------------------------------------------------------


def too_large_message() -> str:
    return workbooks.too_large_message(settings.XIANFENG_IMPORT_MAX_BYTES)


def read_workbook(data: bytes, *, max_rows: int = MAX_ROWS) -> Sheet:
    """The header positions and the non-empty data rows (Excel row number, cell values)."""
    return read_first_sheet(
        data,
        max_bytes=settings.XIANFENG_IMPORT_MAX_BYTES,
        read=lambda sheet: _read_sheet(sheet, max_rows),
        error=ImportFileError,
    )


def _read_sheet(sheet: Any, max_rows: int) -> Sheet:
    sheet.reset_dimensions()
    values = sheet.iter_rows(values_only=True, max_col=_MAX_COLUMNS)
    header_row = next(values, None) or ()
    positions: dict[str, int] = {}
    for index, cell in enumerate(header_row):
        name = str(cell).strip().strip("*") if cell is not None else ""
        name = _HEADER_ALIASES.get(name, name)
        if name in HEADER_BY_FIELD.values() and name not in positions:
            positions[name] = index
    missing = [column.header for column in COLUMNS if column.required and column.header not in positions]
    if missing:
        raise ImportFileError(
            _("The first row must hold the column headers of the template; missing: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    rows: list[tuple[int, Sequence[Any]]] = []
    for number, row in enumerate(values, start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        if len(rows) >= max_rows:
            raise ImportFileError(
                _("The file has more than %(max)s member rows; split it into smaller files.")
                % {"max": max_rows}
            )
        rows.append((number, row))
    if not rows:
        raise ImportFileError(_("The file has no member rows under the headers."))
    return Sheet(positions, rows)
