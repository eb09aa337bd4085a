"""Bulk import of historical development dates from Excel (issue 4, item 6).

One row per person, one dated column per step (layout). Each row is read and its people and
committees looked up (parsing), then replayed step by step through `services.step_record` with the
historical dates, so the rules in force on each date apply (replay). All rows are written in one
transaction, or none; the check is the same replay, rolled back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.development.imports.layout import COLUMNS, HEADERS, MAX_ROWS, MAX_STEPS, max_bytes
from xianfeng.development.imports.parsing import parse_rows
from xianfeng.development.imports.pending import PendingUpload, pending_clear, pending_get, pending_store
from xianfeng.development.imports.reading import read_sheet, too_large_message
from xianfeng.development.imports.replay import ACTION, replay
from xianfeng.development.imports.results import DevelopmentImport, ImportRejected, Problem, RowResult
from xianfeng.development.imports.template import FILENAME, XLSX_CONTENT_TYPE, template_workbook
from xianfeng.people.imports import ImportFileError

__all__ = [
    "ACTION",
    "COLUMNS",
    "FILENAME",
    "HEADERS",
    "MAX_ROWS",
    "MAX_STEPS",
    "XLSX_CONTENT_TYPE",
    "DevelopmentImport",
    "ImportFileError",
    "ImportRejected",
    "PendingUpload",
    "Problem",
    "RowResult",
    "import_apply",
    "import_check",
    "max_bytes",
    "pending_clear",
    "pending_get",
    "pending_store",
    "template_workbook",
    "too_large_message",
]


def _run(actor: Any, data: bytes, *, commit: bool, filename: str, today: dt.date | None) -> DevelopmentImport:
    require(actor, Action.IMPORT, None)
    sheet = read_sheet(data)
    result = DevelopmentImport()
    rows = parse_rows(actor=actor, sheet=sheet, result=result)
    if result.row_count == 0:
        raise ImportFileError(_no_dates())
    steps = sum(len(row.steps) for row in rows)
    if steps > MAX_STEPS:
        raise ImportFileError(
            _("The file has %(count)s step dates; at most %(max)s are imported at once: split the file.")
            % {"count": steps, "max": MAX_STEPS}
        )
    replay(
        actor=actor,
        rows=rows,
        result=result,
        today=today or timezone.localdate(),
        commit=commit,
        filename=filename,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    order = {column.header: index for index, column in enumerate(COLUMNS)}
    result.problems.sort(key=lambda p: (p.row, order.get(p.column, -1)))
    return result


def _no_dates() -> str:
    return _("No row has a step date: fill in the dates of the steps to import.")


def import_check(*, actor: Any, data: bytes, today: dt.date | None = None) -> DevelopmentImport:
    """Read the file and replay every row without keeping anything: the preview."""
    return _run(actor, data, commit=False, filename="", today=today)


def import_apply(
    *, actor: Any, data: bytes, filename: str, today: dt.date | None = None
) -> DevelopmentImport:
    """Replay every row and keep it all, with one summary audit row; ImportRejected (nothing
    written) if any row has a problem."""
    return _run(actor, data, commit=True, filename=filename, today=today)
