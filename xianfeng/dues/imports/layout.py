"""The payroll workbook as users have it: limits, column letters, the mapping, Chinese names and
the header texts used to guess the mapping the first time.

The category names and header texts are data found in Chinese payroll files, not UI strings.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from openpyxl.utils import column_index_from_string, get_column_letter

from xianfeng.dues.choices import DuesCategory

MAX_COLUMNS = 64  # as the member import: A … BL
MAX_HEADER_ROW = 50
MAX_ROWS = getattr(settings, "XIANFENG_IMPORT_MAX_ROWS", 20_000)
PENDING_TTL = dt.timedelta(hours=getattr(settings, "XIANFENG_IMPORT_BATCH_HOURS", 2))
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # the file waits in the session between the steps


def max_bytes() -> int:
    """The member import's limit, lowered to XIANFENG_DUES_IMPORT_MAX_BYTES (5 MB by default)."""
    own = int(getattr(settings, "XIANFENG_DUES_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))
    return min(int(settings.XIANFENG_IMPORT_MAX_BYTES), own)


# The Chinese name of each category as written in files and documents (first name per value).
CATEGORY_NAMES: dict[str, str] = {
    DuesCategory.EMPLOYED: "在职",
    DuesCategory.ANNUAL_SALARY: "年薪制",
    DuesCategory.RETIRED: "离退休",
    DuesCategory.STUDENT: "学生",
    DuesCategory.UNEMPLOYED: "下岗失业",
    DuesCategory.RELIEF: "生活困难",
    DuesCategory.RURAL: "农民",
    DuesCategory.SELF_EMPLOYED: "灵活就业",
}
CATEGORY_ALIASES: dict[str, str] = {
    "在职职工": DuesCategory.EMPLOYED,
    "在岗": DuesCategory.EMPLOYED,
    "职工": DuesCategory.EMPLOYED,
    "在职党员": DuesCategory.EMPLOYED,
    "年薪": DuesCategory.ANNUAL_SALARY,
    "退休": DuesCategory.RETIRED,
    "离休": DuesCategory.RETIRED,
    "离退休党员": DuesCategory.RETIRED,
    "失业": DuesCategory.UNEMPLOYED,
    "下岗": DuesCategory.UNEMPLOYED,
    "低保": DuesCategory.RELIEF,
    "困难": DuesCategory.RELIEF,
    "农村党员": DuesCategory.RURAL,
    "个体": DuesCategory.SELF_EMPLOYED,
    "个体经营": DuesCategory.SELF_EMPLOYED,
    "自由职业": DuesCategory.SELF_EMPLOYED,
}

# Header texts that reveal a column, most specific first (DUES-01: the base is after-tax regular pay).
HEADER_GUESSES: dict[str, tuple[str, ...]] = {
    "id_number_column": ("公民身份号码", "身份证号码", "身份证号", "身份证", "证件号码", "证件号"),
    "name_column": ("姓名", "职工姓名", "员工姓名"),
    "base_column": ("党费基数", "缴费基数", "税后", "实发", "应发"),
    "category_column": ("党费类别", "人员类别", "类别"),
}


def column_index(letter: str) -> int:
    """0-based index of a column letter within the columns read; ValueError otherwise."""
    text = letter.strip().upper()
    if not text.isalpha() or not text.isascii():
        raise ValueError(letter)
    index = column_index_from_string(text) - 1
    if index >= MAX_COLUMNS:
        raise ValueError(letter)
    return index


def column_letter(index: int) -> str:
    return get_column_letter(index + 1)


@dataclass(frozen=True)
class ColumnMapping:
    """Where the values are: the header row and column letters (name and category optional)."""

    header_row: int
    id_number_column: str
    base_column: str
    name_column: str = ""
    category_column: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ColumnMapping:
        return cls(
            header_row=int(data["header_row"]),
            id_number_column=str(data["id_number_column"]).upper(),
            base_column=str(data["base_column"]).upper(),
            name_column=str(data.get("name_column") or "").upper(),
            category_column=str(data.get("category_column") or "").upper(),
        )

    @classmethod
    def of(cls, column_map: Any) -> ColumnMapping:
        """From a saved PayrollColumnMap."""
        return cls.from_dict({name: getattr(column_map, name) for name in cls.__dataclass_fields__})

    def columns(self) -> dict[str, str]:
        """field → letter of the mapped columns."""
        letters = {
            "id_number": self.id_number_column,
            "name": self.name_column,
            "base": self.base_column,
            "category": self.category_column,
        }
        return {name: letter for name, letter in letters.items() if letter}


def _text(value: Any) -> str:
    return str(value).strip() if value is not None else ""


def guess_mapping(rows: list[tuple[int, tuple[Any, ...]]]) -> dict[str, Any]:
    """Initial values for the mapping form from header texts: the first row naming an ID column
    (among the first rows read) is the header row; each column is the first header that matches."""
    for number, cells in rows[:MAX_HEADER_ROW]:
        if number > MAX_HEADER_ROW:
            break
        texts = [_text(cell) for cell in cells]
        if not any(g in text for g in HEADER_GUESSES["id_number_column"] for text in texts):
            continue
        guess: dict[str, Any] = {"header_row": number}
        for field, patterns in HEADER_GUESSES.items():
            for pattern in patterns:
                index = next((i for i, text in enumerate(texts) if pattern in text), None)
                if index is not None:
                    guess[field] = column_letter(index)
                    break
        return guess
    return {"header_row": 1}
