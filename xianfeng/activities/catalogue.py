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


# What an enterprise may change on a built-in kind; a later refresh of the catalogue keeps it.
ENTERPRISE_SETTABLE = ("active", "order")


def load_builtin_kinds(kind_model: Any) -> int:
    """Create or refresh every built-in kind; enterprise kinds, and an enterprise's choice of which
    built-ins are active and in what order, are left alone."""
    for row in builtin_kinds():
        code = row.pop("code")
        defaults = {**row, "builtin": True}
        create_defaults = dict(defaults)
        for name in ENTERPRISE_SETTABLE:
            defaults.pop(name, None)
        kind_model.objects.update_or_create(code=code, defaults=defaults, create_defaults=create_defaults)
    return len(builtin_kinds())
