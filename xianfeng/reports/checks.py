"""Drafting checks shown before export: mistaken political terms (an editable list), required
sections, leftover placeholders and zero-padded dates. Each check names the block it concerns."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

from xianfeng.reports.template import GAP, Block, plain, render

ERROR, WARNING = "error", "warning"
DEFAULT_REQUIRED = ("主要工作", "存在的问题", "下一步")
TERMS_FILE = Path(__file__).resolve().parent / "data" / "terms.json"
PADDED_DATE = re.compile(r"\d{4}年0\d月|\d{1,2}月0\d日")


@dataclass(frozen=True)
class Check:
    level: str
    code: str
    message: str
    block: str = ""

    def to_json(self) -> dict[str, str]:
        return asdict(self)


def required_sections() -> tuple[str, ...]:
    return tuple(getattr(settings, "XIANFENG_REPORTS_REQUIRED_SECTIONS", DEFAULT_REQUIRED))


def builtin_terms() -> list[tuple[str, str]]:
    return [(t["wrong"], t["right"]) for t in json.loads(TERMS_FILE.read_text(encoding="utf-8"))]


def current_terms() -> list[tuple[str, str]]:
    from xianfeng.reports.models import DraftingTerm

    return list(DraftingTerm.objects.order_by("wrong").values_list("wrong", "right"))


def run(blocks: Sequence[Block], facts: dict[str, Any], terms: Sequence[tuple[str, str]]) -> list[Check]:
    out: list[Check] = []
    headings = [b for b in blocks if b.kind == "h1"]
    for needed in required_sections():
        if not any(needed in b.source for b in headings):
            out.append(Check(ERROR, "section", f"缺少必备部分：一级标题中应有“{needed}”。"))
    for n, block in enumerate(blocks, start=1):
        parts = render(block.source, facts)
        text = plain(parts)
        where = f"第{n}段"
        for wrong, right in terms:
            if wrong and wrong in text:
                hint = f"，应为“{right}”" if right else ""
                out.append(Check(ERROR, "term", f"{where}含有错误提法“{wrong}”{hint}。", block.id))
        gaps = [p for p in parts if p.gap]
        if gaps:
            named = sorted({facts[p.fact].label for p in gaps if p.fact and p.fact in facts})
            detail = f"（缺少数据：{'、'.join(named)}）" if named else ""
            out.append(
                Check(WARNING, "placeholder", f"{where}还有{len(gaps)}处{GAP}待补写{detail}。", block.id)
            )
        partial = sorted(
            {
                p.fact
                for p in parts
                if p.fact and not p.gap and p.fact in facts and facts[p.fact].status == "partial"
            }
        )
        for name in partial:
            fact = facts[name]
            out.append(
                Check(
                    WARNING,
                    "partial",
                    f"{where}引用的“{fact.label}”数据不完整：{' '.join(fact.missing)}",
                    block.id,
                )
            )
        if PADDED_DATE.search(text):
            out.append(Check(WARNING, "date", f"{where}日期中的月、日不应补零（如“3月5日”）。", block.id))
    return out
