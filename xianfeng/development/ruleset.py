"""The development rules as dated data: each event is judged by the version in force on its date.

A version names its limits (months, counts, hours) and the citation of each rule code. A revision of
the detailed rules is a new entry in `data/rules.json` with its `valid_from` (and the old one's
`valid_to`), not a code change. Local practice (RULES.md status L) comes from settings instead:
XIANFENG_DEV_PUBLICITY_WORKING_DAYS (5) and XIANFENG_DEV_THOUGHT_REPORT_MONTHS (3, thought_reports.py).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings

RULES_FILE = Path(__file__).resolve().parent / "data" / "rules.json"


@dataclass(frozen=True)
class RuleVersion:
    code: str
    name: str
    valid_from: dt.date
    valid_to: dt.date | None
    limits: dict[str, int]
    citations: dict[str, str]

    def cite(self, rule: str) -> str:
        """The rule code with its article, as shown in every refusal: "DEV-08 《…》第十三条：…"."""
        return f"{rule} {self.citations.get(rule, self.name)}"

    def __getattr__(self, name: str) -> int:
        try:
            return self.limits[name]
        except KeyError:
            raise AttributeError(name) from None


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@cache
def versions() -> tuple[RuleVersion, ...]:
    data: dict[str, Any] = json.loads(RULES_FILE.read_text(encoding="utf-8"))
    out = []
    for row in data["versions"]:
        start = _date(row["valid_from"])
        assert start is not None
        out.append(
            RuleVersion(
                row["code"], row["name"], start, _date(row["valid_to"]), row["limits"], row["citations"]
            )
        )
    return tuple(sorted(out, key=lambda v: v.valid_from))


def rules_on(day: dt.date) -> RuleVersion:
    """The version in force on `day`; before the first version, the first one (older records are
    judged by the oldest rules the system knows)."""
    chosen = versions()[0]
    for version in versions():
        if version.valid_from <= day and (version.valid_to is None or day <= version.valid_to):
            chosen = version
    return chosen


def publicity_working_days() -> int:
    """公示 length in working days (local practice, L: RULES.md DEV-08)."""
    return int(getattr(settings, "XIANFENG_DEV_PUBLICITY_WORKING_DAYS", 5))
