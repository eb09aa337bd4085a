"""Layout profiles for generated documents: GB/T 9704-2012 by default, overridable per unit.

A profile is a JSON object; a unit's stored profile may give only the keys it changes (the rest come
from the default). `validate()` returns every problem in words, so a broken profile is refused with a
message saying what to fix instead of producing a broken document.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from typing import Any

from xianfeng.activities.documents import (
    BODY_FONT,
    LABEL_FONT,
    LATIN_FONT,
    MARGINS_MM,
    PAGE_NUMBER_FONT,
    TITLE_FONT,
)

KAITI = "楷体_GB2312"
DEFAULT: dict[str, Any] = {
    "name": "GB/T 9704-2012 党政机关公文格式",
    "page_mm": {"width": 210, "height": 297},
    "margins_mm": dict(MARGINS_MM),  # top 37, bottom 35, left 28, right 26
    "fonts": {
        "title": TITLE_FONT,  # 方正小标宋简体
        "body": BODY_FONT,  # 仿宋_GB2312
        "h1": LABEL_FONT,  # 黑体
        "h2": KAITI,
        "h3": BODY_FONT,
        "h4": BODY_FONT,
        "table": BODY_FONT,
        "table_header": LABEL_FONT,
        "page_number": PAGE_NUMBER_FONT,  # 宋体
        "latin": LATIN_FONT,  # Times New Roman
    },
    "sizes_pt": {"title": 22, "body": 16, "table": 10.5, "page_number": 14},  # 2号, 3号, 五号, 4号
    "bold": {"h1": False, "h2": False, "h3": False, "h4": False},
    "line_spacing_pt": 28.95,  # exact: the largest that fits 22 lines in the 225 mm type area
    "lines_per_page": 22,
    "chars_per_line": 28,
    "first_line_indent_chars": 2,
    "page_number_format": "— {n} —",
    "odd_even_page_numbers": True,  # odd pages right, even pages left, one character in
}
FONT_ROLES = tuple(DEFAULT["fonts"])
SIZE_ROLES = tuple(DEFAULT["sizes_pt"])
MM_PER_PT = 25.4 / 72


class ProfileError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Profile:
    data: dict[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]

    @property
    def type_width_pt(self) -> float:
        m = self.data["margins_mm"]
        return (self.data["page_mm"]["width"] - m["left"] - m["right"]) / MM_PER_PT

    @property
    def type_height_pt(self) -> float:
        m = self.data["margins_mm"]
        return (self.data["page_mm"]["height"] - m["top"] - m["bottom"]) / MM_PER_PT

    def font(self, role: str) -> str:
        return str(self.data["fonts"][role])

    def size(self, role: str) -> float:
        return float(self.data["sizes_pt"][role])


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def merged(overrides: dict[str, Any] | None) -> dict[str, Any]:
    """The default with `overrides` laid over it, one level deep for the grouped keys."""
    data = copy.deepcopy(DEFAULT)
    for key, value in (overrides or {}).items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key] = {**data[key], **value}
        else:
            data[key] = value
    return data


def validate(overrides: Any) -> list[str]:
    """Every problem of a stored profile (an empty list when it is usable)."""
    if not isinstance(overrides, dict):
        return ["版式配置必须是一个 JSON 对象（{…}）。"]
    problems = [f"未知的配置项“{k}”。" for k in overrides if k not in DEFAULT]
    for key in ("page_mm", "margins_mm", "fonts", "sizes_pt", "bold"):
        if key in overrides and not isinstance(overrides[key], dict):
            problems.append(f"“{key}”必须是一个对象。")
        elif key in overrides:
            problems += [f"未知的配置项“{key}.{k}”。" for k in overrides[key] if k not in DEFAULT[key]]
    if problems:
        return problems
    data = merged(overrides)
    for side, value in data["margins_mm"].items():
        if not _number(value) or not 0 <= value <= 80:
            problems.append(f"页边距“{side}”应为 0—80 之间的毫米数，现为 {value!r}。")
    for side, value in data["page_mm"].items():
        if not _number(value) or not 100 <= value <= 600:
            problems.append(f"纸张“{side}”应为 100—600 之间的毫米数，现为 {value!r}。")
    for role, value in data["fonts"].items():
        if not isinstance(value, str) or not value.strip():
            problems.append(f"字体“{role}”应为非空的字体名称。")
    for role, value in data["sizes_pt"].items():
        if not _number(value) or not 5 <= value <= 72:
            problems.append(f"字号“{role}”应为 5—72 之间的磅值，现为 {value!r}。")
    for role, value in data["bold"].items():
        if not isinstance(value, bool):
            problems.append(f"加粗“{role}”应为 true 或 false。")
    spacing, lines, chars = data["line_spacing_pt"], data["lines_per_page"], data["chars_per_line"]
    if not _number(spacing) or not 6 <= spacing <= 100:
        problems.append(f"行距应为 6—100 之间的磅值，现为 {spacing!r}。")
    if not isinstance(lines, int) or isinstance(lines, bool) or not 5 <= lines <= 60:
        problems.append(f"每页行数应为 5—60 之间的整数，现为 {lines!r}。")
    if not isinstance(chars, int) or isinstance(chars, bool) or not 5 <= chars <= 60:
        problems.append(f"每行字数应为 5—60 之间的整数，现为 {chars!r}。")
    indent = data["first_line_indent_chars"]
    if not _number(indent) or not 0 <= indent <= 4:
        problems.append(f"首行缩进应为 0—4 个字，现为 {indent!r}。")
    fmt = data["page_number_format"]
    if not isinstance(fmt, str) or fmt.count("{n}") != 1:
        problems.append("页码格式必须含且只含一个 {n}，例如“— {n} —”。")
    if not isinstance(data["odd_even_page_numbers"], bool):
        problems.append("odd_even_page_numbers 应为 true 或 false。")
    if not isinstance(data["name"], str):
        problems.append("name 应为文字。")
    if problems:
        return problems
    profile = Profile(data)
    if profile.type_width_pt <= 0 or profile.type_height_pt <= 0:
        return ["页边距之和超过了纸张尺寸，版心为空。"]
    if spacing * lines > profile.type_height_pt + 0.5:
        problems.append(
            f"行距 {spacing} 磅 × 每页 {lines} 行 = {spacing * lines:.1f} 磅，超过版心高度 "
            f"{profile.type_height_pt:.1f} 磅。"
        )
    if data["sizes_pt"]["body"] * chars > profile.type_width_pt * 1.1:
        problems.append(
            f"正文字号 {data['sizes_pt']['body']} 磅 × 每行 {chars} 字超过版心宽度 {profile.type_width_pt:.1f} 磅。"
        )
    return problems


def load(overrides: Any) -> Profile:
    problems = validate(overrides)
    if problems:
        raise ProfileError(problems)
    return Profile(merged(overrides))


def parse_json(text: str) -> dict[str, Any]:
    """A profile typed or pasted as JSON text; ProfileError for text that is not JSON."""
    try:
        data = json.loads(text or "{}")
    except json.JSONDecodeError as exc:
        raise ProfileError([f"不是有效的 JSON：第{exc.lineno}行第{exc.colno}列，{exc.msg}。"]) from exc
    problems = validate(data)
    if problems:
        raise ProfileError(problems)
    return dict(data)


GBT_9704 = Profile(merged({}))
