"""Dues bases from the payroll workbook (issue 7 item 5): columns mapped once per org, every row
checked and previewed, then all bases set in one transaction with `dues_base_set`, or none."""

from __future__ import annotations

from xianfeng.dues.imports.checking import PayrollCheck, PayrollRejected, PayrollRow, check_payroll
from xianfeng.dues.imports.layout import (
    CATEGORY_NAMES,
    MAX_ROWS,
    ColumnMapping,
    column_index,
    column_letter,
    guess_mapping,
    max_bytes,
)
from xianfeng.dues.imports.pending import (
    PendingUpload,
    pending_clear,
    pending_get,
    pending_set_mapping,
    pending_store,
)
from xianfeng.dues.imports.reading import read_rows, too_large_message
from xianfeng.dues.imports.writing import column_map_save, payroll_import
from xianfeng.people.imports import ImportFileError

__all__ = [
    "CATEGORY_NAMES",
    "MAX_ROWS",
    "ColumnMapping",
    "ImportFileError",
    "PayrollCheck",
    "PayrollRejected",
    "PayrollRow",
    "PendingUpload",
    "check_payroll",
    "column_index",
    "column_letter",
    "column_map_save",
    "guess_mapping",
    "max_bytes",
    "payroll_import",
    "pending_clear",
    "pending_get",
    "pending_set_mapping",
    "pending_store",
    "read_rows",
    "too_large_message",
]
