"""Member import from Excel: read the workbook, validate every row, then write all rows at once.

The sheet layout (Chinese headers, Chinese choice labels) is data: it is what users fill in. Every
row is validated with the same rules as `member_create` (people.services.build_member and
member_errors) plus what only an import has: organizations named in a cell and within the
importer's scope, duplicates inside the file, and duplicates against the database found with one
batched look-up. Writing is one transaction with bulk inserts, so either every row is imported
(with its history line and its audit rows) or nothing is.
"""

from __future__ import annotations

from xianfeng.people.imports._cells import allowed_values
from xianfeng.people.imports.batches import batch_confirm, batch_create, import_file
from xianfeng.people.imports.checking import import_check
from xianfeng.people.imports.layout import (
    BATCH_TTL,
    COLUMNS,
    DATE_FORMATS_HELP,
    EDUCATION_NAMES,
    GENDER_NAMES,
    HEADERS,
    MAX_ROWS,
    STATUS_NAMES,
)
from xianfeng.people.imports.reading import read_workbook, too_large_message
from xianfeng.people.imports.results import ImportCheck, ImportFileError, ImportRejected, Sheet

__all__ = [
    "BATCH_TTL",
    "COLUMNS",
    "DATE_FORMATS_HELP",
    "EDUCATION_NAMES",
    "GENDER_NAMES",
    "HEADERS",
    "MAX_ROWS",
    "STATUS_NAMES",
    "ImportCheck",
    "ImportFileError",
    "ImportRejected",
    "Sheet",
    "allowed_values",
    "batch_confirm",
    "batch_create",
    "import_check",
    "import_file",
    "read_workbook",
    "too_large_message",
]
