"""What reading and checking a file produce: the sheet, row errors, the check, the exceptions."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xianfeng.people.models import Membership, Person


class ImportFileError(Exception):
    """The file as a whole cannot be read: not an .xlsx, damaged, too large, too many rows…"""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    number: int
    person: Person
    membership: Membership


@dataclass
class Sheet:
    """The cells read from a workbook: header positions and the non-empty rows with their numbers.

    This, not the file, is what a batch keeps between the preview and the confirmation (as JSON,
    encrypted): the confirmation validates again exactly the values the user saw checked.
    """

    positions: dict[str, int]
    rows: list[tuple[int, Sequence[Any]]]

    def to_json(self) -> str:
        return json.dumps(
            {
                "positions": self.positions,
                "rows": [[n, [_json_cell(c) for c in row]] for n, row in self.rows],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Sheet:
        data = json.loads(text)
        return cls(positions=data["positions"], rows=[(n, row) for n, row in data["rows"]])


def _json_cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


@dataclass
class ImportCheck:
    """The outcome of reading and validating a file: rows ready to write, or errors."""

    sheet: Sheet | None = None
    row_count: int = 0
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.row_count > 0 and not self.errors


class ImportRejected(Exception):
    def __init__(self, check: ImportCheck) -> None:
        super().__init__(f"{len(check.errors)} errors")
        self.check = check
