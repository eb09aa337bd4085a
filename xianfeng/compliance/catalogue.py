"""Obligation profiles shipped as data (compliance/data/*.json): the national rules, loaded by a
migration, and example enterprise profiles that can be imported (`xianfeng` command or the UI)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent / "data"
NATIONAL_FILE = DATA_DIR / "national.json"


def read_profile(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_profile(
    data: dict[str, Any], *, profile_model: Any, obligation_model: Any, kind_model: Any, builtin: bool
) -> Any:
    """Create or refresh a profile and its obligations (by code); returns the profile."""
    meta = dict(data["profile"])
    code = meta.pop("code")
    profile, _created = profile_model.objects.update_or_create(
        code=code, defaults={**meta, "builtin": builtin}
    )
    kinds = {k.code: k for k in kind_model.objects.all()}
    for row in data["obligations"]:
        row = dict(row)
        kind_codes = row.pop("kinds")
        row["valid_from"] = dt.date.fromisoformat(row["valid_from"])
        if row.get("valid_to"):
            row["valid_to"] = dt.date.fromisoformat(row["valid_to"])
        obligation, _ = obligation_model.objects.update_or_create(
            profile=profile, code=row.pop("code"), defaults=row
        )
        missing = set(kind_codes) - set(kinds)
        if missing:
            raise ValueError(f"unknown activity kinds in {code}: {sorted(missing)}")
        obligation.kinds.set([kinds[c] for c in kind_codes])
    return profile
