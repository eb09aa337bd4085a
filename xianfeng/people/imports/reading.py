"""Reading a workbook: the header positions and the non-empty member rows."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from xianfeng.people.imports.layout import COLUMNS, HEADER_BY_FIELD, MAX_ROWS
from xianfeng.people.imports.results import ImportFileError, Sheet

_MAX_COLUMNS = 64

_HEADER_ALIASES = {"所在组织": "所在组织(名称或编码)", "所在组织（名称或编码）": "所在组织(名称或编码)"}


# --- Reading ---------------------------------------------------------------------------------


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": settings.XIANFENG_IMPORT_MAX_BYTES // 1024**2}


def read_workbook(data: bytes, *, max_rows: int = MAX_ROWS) -> Sheet:
    """The header positions and the non-empty data rows (Excel row number, cell values)."""
    if len(data) > settings.XIANFENG_IMPORT_MAX_BYTES:
        raise ImportFileError(too_large_message())
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFileError(_("This is an old Excel (.xls) file; save it as .xlsx and upload it again."))
    if data[:4] != b"PK\x03\x04":
        raise ImportFileError(_("The file is not an Excel workbook (.xlsx)."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged archives and XML
        raise ImportFileError(_("The file cannot be read as an Excel workbook; it may be damaged.")) from exc
    try:
        return _read_sheet(workbook.worksheets[0], max_rows)
    except ImportFileError:
        raise
    except Exception as exc:  # damaged XML inside a valid archive surfaces only while iterating
        raise ImportFileError(_("The file cannot be read as an Excel workbook; it may be damaged.")) from exc
    finally:
        workbook.close()


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
