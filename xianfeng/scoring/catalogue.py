"""The shipped scheme templates (data/templates.json): the four seed configurations and the seed 004
§16 outcome rules. A new template is a new entry in the file; schemes copy a template when created,
so editing a scheme never changes the template and changing the file never changes a scheme."""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from xianfeng.scoring.choices import PeriodKind

TEMPLATES_FILE = Path(__file__).resolve().parent / "data" / "templates.json"


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(TEMPLATES_FILE.read_text(encoding="utf-8"))
    return data


def seed_outcome_rules() -> list[dict[str, Any]]:
    """Seed 004 §16: top 3 commended; bottom 3 talked to, their department heads not rated excellent."""
    return [dict(rule) for rule in _data()["outcome_rules_seed004_16"]]


def templates() -> list[dict[str, Any]]:
    out = []
    for raw in _data()["templates"]:
        template = json.loads(json.dumps(raw))  # a deep copy callers may change
        if template.get("outcome_rules") == "seed004_16":
            template["outcome_rules"] = seed_outcome_rules()
        out.append(template)
    return out


def template(code: str) -> dict[str, Any] | None:
    return next((t for t in templates() if t["code"] == code), None)


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def period_bounds(kind: str, year: int) -> list[tuple[dt.date, dt.date, str]]:
    """(first day, last day, label) of every period of `kind` in `year`; labels are Chinese because
    they name the period in exported documents too."""
    if kind == PeriodKind.YEAR:
        return [(dt.date(year, 1, 1), dt.date(year, 12, 31), f"{year}年度")]
    if kind == PeriodKind.QUARTER:
        return [
            (dt.date(year, 3 * q - 2, 1), _month_end(year, 3 * q), f"{year}年第{q}季度") for q in range(1, 5)
        ]
    return [(dt.date(year, m, 1), _month_end(year, m), f"{year}年{m}月") for m in range(1, 13)]
