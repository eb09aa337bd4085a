"""What reading, checking and importing a development file produce."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Problem:
    """One violation on one row: the column (its header), the message, and the rule with its article."""

    row: int
    column: str
    message: str
    rule: str = ""
    article: str = ""
    person: str = ""

    @property
    def cited(self) -> bool:
        """The message already names the rule (and its article)."""
        return bool(self.rule) and self.rule in self.message

    def as_dict(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "column": self.column,
            "message": self.message,
            "rule": self.rule,
            "article": self.article,
        }


@dataclass
class PlannedStep:
    """A step read from a row, ready to be replayed: Proposed values, people as membership keys."""

    code: str
    date: dt.date
    values: dict[str, Any] = field(default_factory=dict)
    people: list[tuple[int, str]] = field(default_factory=list)  # (membership pk, role)


@dataclass
class ParsedRow:
    number: int
    name: str = ""
    membership_id: int = 0
    org_path: str = ""
    steps: list[PlannedStep] = field(default_factory=list)
    conversion_date: dt.date | None = None


@dataclass
class RowResult:
    number: int
    name: str
    org: str
    recorded: int
    skipped: int
    status_before: str
    status_after: str


@dataclass
class DevelopmentImport:
    """The outcome of checking (or importing) a file: every row replayed, or every row's problems."""

    row_count: int = 0
    empty_rows: int = 0  # rows naming a person but no step date: nothing to record
    rows: list[RowResult] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.rows) and not self.problems

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems})

    @property
    def steps_recorded(self) -> int:
        return sum(r.recorded for r in self.rows)


class ImportRejected(Exception):
    def __init__(self, result: DevelopmentImport) -> None:
        super().__init__(f"{len(result.problems)} problems")
        self.result = result
