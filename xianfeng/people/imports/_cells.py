"""Cell values: text, dates and choice labels converted to what a member record stores.

Package-private: `check_sheet` converts rows with `_Cells`; `allowed_values` is re-exported.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl.utils.datetime import from_excel

from xianfeng.people import idcard
from xianfeng.people.choices import Education, Gender, PoliticalStatus
from xianfeng.people.ethnicity import ETHNICITY_BY_NAME, ETHNICITY_CHOICES
from xianfeng.people.imports.layout import (
    COLUMNS,
    DATE_FORMATS_HELP,
    EDUCATION_NAMES,
    GENDER_NAMES,
    STATUS_NAMES,
    Column,
)

_ALIASES = {
    "education": {
        "博士": "doctorate",
        "硕士": "master",
        "本科": "bachelor",
        "大专": "college",
        "初中": "junior_or_below",
    },
    "status": {"积极分子": "activist", "中共预备党员": "probationary", "中共党员": "full", "党员": "full"},
}
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


# --- Cell values -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """An Excel date, an Excel serial number, or text like 2020-01-02, 2020/1/2, 2020.01.02."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        converted = from_excel(value)
        return converted.date() if isinstance(converted, dt.datetime) else None
    match = _DATE_RE.match(str(value).strip())
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise ValueError(_("Not a valid date; write it as %(formats)s.") % {"formats": DATE_FORMATS_HELP})


def _choice_table(kind: str) -> dict[str, str]:
    """Accepted spellings → stored value: Chinese labels, aliases, codes and UI labels."""
    if kind == "ethnicity":
        table = dict(ETHNICITY_BY_NAME)
        table.update({code: code for code, _name in ETHNICITY_CHOICES})
        table.update({str(int(code)): code for code, _name in ETHNICITY_CHOICES})
        return table
    tables: dict[str, tuple[dict[Any, str], type[models.TextChoices]]] = {
        "gender": (GENDER_NAMES, Gender),
        "education": (EDUCATION_NAMES, Education),
        "status": (STATUS_NAMES, PoliticalStatus),
    }
    names, enum = tables[kind]
    table = {label: str(value) for value, label in names.items()}
    table.update(_ALIASES.get(kind, {}))
    for value, label in enum.choices:
        table.setdefault(str(value), str(value))
        table.setdefault(str(label).lower(), str(value))
        with override("zh-hans"):
            table.setdefault(str(enum(value).label), str(value))
    return table


def allowed_values(kind: str) -> list[str]:
    """The spellings to show users (the Chinese label of each value)."""
    if kind == "ethnicity":
        return [name for _code, name in ETHNICITY_CHOICES]
    names: dict[str, dict[Any, str]] = {
        "gender": GENDER_NAMES,
        "education": EDUCATION_NAMES,
        "status": STATUS_NAMES,
    }
    return list(names[kind].values())


class _Cells:
    """Converts one row's cells; conversion errors are collected per field."""

    def __init__(self, positions: dict[str, int], tables: dict[str, dict[str, str]]) -> None:
        self.positions = positions
        self.tables = tables

    def convert(self, row: Sequence[Any]) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for column in COLUMNS:
            index = self.positions.get(column.header)
            raw = row[index] if index is not None and index < len(row) else None
            try:
                value = self._convert(column, raw)
            except ValueError as exc:
                errors[column.field] = str(exc)
                continue
            if value not in (None, ""):
                values[column.field] = value
        return values, errors

    def _convert(self, column: Column, raw: Any) -> Any:
        if column.kind == "date":
            return parse_date(raw)
        if column.kind == "id_number" and isinstance(raw, int | float) and not isinstance(raw, bool):
            raise ValueError(_("Enter the ID number as text: Excel rounds long numbers."))
        text = _text(raw)
        if column.kind == "id_number":
            return idcard.normalize(text)
        if column.kind in self.tables and text:
            value = self.tables[column.kind].get(text) or self.tables[column.kind].get(text.lower())
            if value is None:
                raise ValueError(
                    _("Unknown value “%(value)s”; allowed: %(allowed)s.")
                    % {"value": text, "allowed": "、".join(allowed_values(column.kind))}
                )
            return value
        return text
