"""The built-in activity kinds (activities/data/kinds.json), loaded and refreshed by a migration."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

KINDS_FILE = Path(__file__).resolve().parent / "data" / "kinds.json"
DEFAULTS = {
    "org_types": [],
    "quorum": "none",
    "has_attendance": True,
    "has_agenda": False,
    "has_hours": False,
    "has_lecturer": False,
    "is_talk": False,
    "metrics": [],
    "active": True,
}


def builtin_kinds() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads(KINDS_FILE.read_text(encoding="utf-8"))
    return [{**DEFAULTS, **row} for row in rows]


def load_builtin_kinds(kind_model: Any) -> int:
    """Create or refresh every built-in kind; enterprise kinds are left alone."""
    for row in builtin_kinds():
        code = row.pop("code")
        kind_model.objects.update_or_create(code=code, defaults={**row, "builtin": True})
    return len(builtin_kinds())
