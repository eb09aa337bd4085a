"""The summary template: a plain-text file an enterprise can copy and adapt, rendered deterministically.

Syntax (one construct per line; see data/annual_summary.txt for the default):
- `# …` a comment; blank lines are ignored;
- `标题：…` the title; `落款：…` and `日期：…` the signature lines;
- `= …`, `== …`, `=== …`, `==== …` headings of levels 1–4, numbered automatically 一、（一）1.（1）;
- `附件：统计表` the statistics tables as an appendix;
- any other line is a body paragraph.
Inside any line:
- `{{<fact name>}}` the figure of a fact (e.g. `{{activities.kind.party_committee_meeting}}`); when
  the fact is missing or unavailable it prints a highlighted 【待补充】;
- `{{列举:<fact name>}}` the items of a list fact as "一是…；二是…。"; `{{列举:<fact name>|<lead>}}` puts
  `<lead>` before them; nothing at all when the fact has no items, 【待补充】 when it is unavailable;
- `{{待补充}}` a placeholder the drafter must fill;
- `{{单位}}`, `{{年度}}`, `{{期间}}`, `{{日期}}` the org's name, the year, the period, today's date.
A name that is neither a variable nor a declared fact is an error that names the line and suggests
the closest fact names: a template never prints a number that does not come from a fact.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings

TOKEN = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")
GAP = "【待补充】"
VARIABLES = ("单位", "年度", "期间", "日期")
LIST_PREFIX = "列举:"
DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "annual_summary.txt"
HEADING_KINDS = {1: "h1", 2: "h2", 3: "h3", 4: "h4"}
CN_DIGITS = "零一二三四五六七八九"


class TemplateError(ValueError):
    """A template that cannot be rendered, with every problem found (line numbers are 1-based)."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass
class Block:
    """One line of the document. `source` keeps the fact tokens, so it can be edited and re-rendered
    against the facts snapshot; variables are already substituted."""

    id: str
    kind: str  # title, h1–h4, p, appendix, sign, date
    source: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "kind": self.kind, "source": self.source}


def default_text() -> str:
    path = getattr(settings, "XIANFENG_REPORTS_SUMMARY_TEMPLATE", "") or DEFAULT_FILE
    return Path(path).read_text(encoding="utf-8")


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (headings rarely pass 99)."""
    if n < 10:
        return CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def numbering(blocks: Iterable[Block]) -> dict[str, str]:
    """The GB/T 9704 number of each heading: 一、 （一） 1. （1）, each level restarting under its parent."""
    counters = [0, 0, 0, 0]
    out: dict[str, str] = {}
    for block in blocks:
        if block.kind not in ("h1", "h2", "h3", "h4"):
            continue
        level = int(block.kind[1])
        counters[level - 1] += 1
        for deeper in range(level, 4):
            counters[deeper] = 0
        n = counters[level - 1]
        out[block.id] = {1: f"{cn_number(n)}、", 2: f"（{cn_number(n)}）", 3: f"{n}.", 4: f"（{n}）"}[level]
    return out


def _tokens(text: str) -> list[str]:
    return [m.group(1) for m in TOKEN.finditer(text)]


def unknown_names(text: str, known: Iterable[str], where: str = "") -> list[str]:
    """Problems with the names used in `text` (empty when every name is known)."""
    known = set(known)
    problems = []
    for raw in _tokens(text):
        name = raw.removeprefix(LIST_PREFIX).partition("|")[0].strip()
        if name in VARIABLES or name == "待补充" or name in known:
            continue
        close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
        hint = f"（是否应为：{'、'.join(close)}）" if close else ""
        problems.append(f"{where}未知的统计项“{name}”{hint}")
    return problems


def parse(text: str, known: Iterable[str], variables: dict[str, str]) -> list[Block]:
    """The template's blocks with variables substituted; TemplateError lists every problem at once."""
    known = set(known)
    blocks: list[Block] = []
    problems: list[str] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        problems += unknown_names(line, known, f"第{number}行：")
        kind, body = "p", line
        for prefix, k in (("标题：", "title"), ("落款：", "sign"), ("日期：", "date")):
            if line.startswith(prefix):
                kind, body = k, line.removeprefix(prefix).strip()
        if line.startswith("="):
            level = len(line) - len(line.lstrip("="))
            if level > 4:
                problems.append(f"第{number}行：标题最多四级（= 至 ====）")
                continue
            kind, body = HEADING_KINDS[level], line[level:].strip()
        if line.replace(" ", "") == "附件：统计表":
            kind, body = "appendix", "统计表"
        blocks.append(Block(id=f"b{len(blocks) + 1}", kind=kind, source=substitute(body, variables)))
    if not any(b.kind == "title" for b in blocks):
        problems.append("模板缺少标题行（以“标题：”开头）")
    if problems:
        raise TemplateError(problems)
    return blocks


def substitute(text: str, variables: dict[str, str]) -> str:
    def repl(match: re.Match[str]) -> str:
        name = match.group(1).strip()
        return variables.get(name, match.group(0))

    return TOKEN.sub(repl, text)


def variables_for(org_name: str, year: int, period_label: str, today: dt.date) -> dict[str, str]:
    return {
        "单位": org_name,
        "年度": str(year),
        "期间": period_label,
        "日期": f"{today.year}年{today.month}月{today.day}日",
    }


# --- Rendering a block against facts -------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """A piece of rendered text: plain, a figure (fact name, printed text or None for 【待补充】), a gap."""

    text: str
    fact: str = ""
    gap: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"text": self.text, "fact": self.fact, "gap": self.gap}


def list_text(items: list[str]) -> str:
    """一是…；二是…。"""
    clean = [i.rstrip("。；;，, ") for i in items]
    return "；".join(f"{cn_number(n)}是{item}" for n, item in enumerate(clean, start=1)) + "。"


def render(source: str, facts: dict[str, Any], max_items: int = 5) -> list[Part]:
    """The parts of one block; `facts` maps names to reports.facts.Fact (or anything with display())."""
    parts: list[Part] = []
    pos = 0
    for match in TOKEN.finditer(source):
        if match.start() > pos:
            parts.append(Part(source[pos : match.start()]))
        pos = match.end()
        name = match.group(1).strip()
        if name == "待补充":
            parts.append(Part(GAP, gap=True))
            continue
        if name.startswith(LIST_PREFIX):
            name, _bar, lead = name.removeprefix(LIST_PREFIX).partition("|")
            name = name.strip()
            fact = facts.get(name)
            if fact is None or not fact.available:
                if lead:
                    parts.append(Part(lead))
                parts.append(Part(GAP, fact=name, gap=True))
            elif fact.items:
                parts.append(Part(lead + list_text(fact.items[:max_items]), fact=name))
            continue
        fact = facts.get(name)
        shown = fact.display() if fact is not None else None
        parts.append(Part(shown, fact=name) if shown is not None else Part(GAP, fact=name, gap=True))
    if pos < len(source):
        parts.append(Part(source[pos:]))
    return parts


def plain(parts: Iterable[Part]) -> str:
    return "".join(p.text for p in parts)
