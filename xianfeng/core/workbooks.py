"""Opening an uploaded Excel workbook for an import: the size limit, the file type told apart from an
old .xls or anything else, and damaged files, each as a clear message instead of a 500."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import gettext as _
from openpyxl import load_workbook

T = TypeVar("T")


def too_large_message(max_bytes: int) -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": f"{round(max_bytes / 1024**2, 1):g}"}


def damaged_message() -> str:
    return _("The file cannot be read as an Excel workbook; it may be damaged.")


def read_first_sheet(data: bytes, *, max_bytes: int, read: Callable[[Any], T], error: type[Exception]) -> T:
    """`read(sheet)` over the first sheet of the .xlsx in `data`; every problem raises `error(message)`
    (errors `read` raises itself pass through)."""
    if len(data) > max_bytes:
        raise error(too_large_message(max_bytes))
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise error(_("This is an old Excel (.xls) file; save it as .xlsx and upload it again."))
    if data[:4] != b"PK\x03\x04":
        raise error(_("The file is not an Excel workbook (.xlsx)."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged archives and XML
        raise error(damaged_message()) from exc
    try:
        return read(workbook.worksheets[0])
    except error:
        raise
    except Exception as exc:  # damaged XML inside a valid archive surfaces only while iterating
        raise error(damaged_message()) from exc
    finally:
        workbook.close()
