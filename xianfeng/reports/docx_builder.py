"""The summary as .docx (python-docx) in a layout profile (GB/T 9704 by default).

What python-docx does not do by itself, done here in XML: the East Asian font of every run
(w:eastAsia; font.name writes only w:ascii/w:hAnsi), the document grid of N lines × M characters
(w:docGrid), PAGE fields in odd and even footers ("— n —", odd pages right, even pages left).
Figures come only from the facts; a figure without data prints a highlighted 【待补充】.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from xianfeng.activities.documents import set_fonts
from xianfeng.reports.facts import Fact
from xianfeng.reports.profile import Profile
from xianfeng.reports.template import Block, numbering, plain, render

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
STATUS_TEXT = {"ok": "", "partial": "部分数据缺失", "missing": "无数据", "unavailable": "模块未安装"}
HEADING_ROLE = {"h1": "h1", "h2": "h2", "h3": "h3", "h4": "h4"}


def fonts(run: Run, profile: Profile, role: str, size_role: str = "body", *, bold: bool = False) -> None:
    """East Asian font of `role` (w:eastAsia), Latin font of the profile, size, bold."""
    set_fonts(run, profile.font(role), Pt(profile.size(size_role)), bold=bold)
    run.font.name = profile.font("latin")
    r_pr = run._element.get_or_add_rPr()
    r_pr.get_or_add_rFonts().set(qn("w:eastAsia"), profile.font(role))
    if size_role == "body" and (twips := char_spacing_twips(profile)):
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(twips))
        r_pr.append(spacing)


def _spacing(paragraph: Paragraph, profile: Profile, *, indent: bool) -> None:
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(profile["line_spacing_pt"])
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(profile.size("body") * profile["first_line_indent_chars"])


def char_spacing_twips(profile: Profile) -> int:
    """Character spacing (1/20 pt) that makes `chars_per_line` body characters fill the type width:
    156 mm / 28 = 15.79 pt per character at 16 pt → −0.21 pt → −4. Set on every body-size run rather
    than as a character grid (w:docGrid linesAndChars), which LibreOffice lays out differently from Word."""
    pitch = profile.type_width_pt / profile["chars_per_line"]
    return round((pitch - profile.size("body")) * 20)


def _grid(section: Any, profile: Profile) -> None:
    """w:docGrid of type "lines": the line pitch of N lines per page (Word's 文档网格, 只指定行网格)."""
    sect = section._sectPr
    for old in sect.findall(qn("w:docGrid")):
        sect.remove(old)
    grid = OxmlElement("w:docGrid")
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(round(profile["line_spacing_pt"] * 20)))
    sect.append(grid)


def _page_number(footer: Any, profile: Profile, align: Any) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    indent = Pt(profile.size("page_number"))  # one character in from the edge
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    elif align == WD_ALIGN_PARAGRAPH.LEFT:
        paragraph.paragraph_format.left_indent = indent
    before, after = profile["page_number_format"].split("{n}")
    for text in (before, None, after):
        run = paragraph.add_run(text or "")
        fonts(run, profile, "page_number", "page_number")
        if text is None:
            for kind in ("begin", "instr", "end"):
                if kind == "instr":
                    node = OxmlElement("w:instrText")
                    node.set(qn("xml:space"), "preserve")
                    node.text = " PAGE "
                else:
                    node = OxmlElement("w:fldChar")
                    node.set(qn("w:fldCharType"), kind)
                run._element.append(node)


def new_document(profile: Profile) -> Any:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = (
        Mm(profile["page_mm"]["width"]),
        Mm(profile["page_mm"]["height"]),
    )
    m = profile["margins_mm"]
    section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
    section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = profile.font("latin"), Pt(profile.size("body"))
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), profile.font("body"))
    _grid(section, profile)
    if profile["odd_even_page_numbers"]:
        document.settings.odd_and_even_pages_header_footer = True
        _page_number(section.footer, profile, WD_ALIGN_PARAGRAPH.RIGHT)
        _page_number(section.even_page_footer, profile, WD_ALIGN_PARAGRAPH.LEFT)
    else:
        _page_number(section.footer, profile, WD_ALIGN_PARAGRAPH.CENTER)
    return document


def _runs(
    paragraph: Paragraph, source: str, facts: dict[str, Fact], profile: Profile, role: str, bold: bool
) -> None:
    for part in render(source, facts):
        run = paragraph.add_run(part.text)
        fonts(run, profile, role, bold=bold)
        if part.gap:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _table(
    document: Any,
    profile: Profile,
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths_mm: Sequence[float],
) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        fonts(cell.paragraphs[0].add_run(header), profile, "table_header", "table")
    for row in rows:
        for n, (cell, value) in enumerate(zip(table.add_row().cells, row, strict=True)):
            if n:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = cell.paragraphs[0].add_run(value)
            fonts(run, profile, "table", "table")
            if value == "【待补充】":
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)
        for cell in column.cells:
            cell.width = Mm(width)


def appendix_rows(facts: Sequence[Fact]) -> list[list[str]]:
    """统计项, 数值, 单位, 说明: list facts (problems) are left to the body."""
    rows = []
    for f in facts:
        if f.items and f.name.endswith("problems"):
            continue
        shown = f.display()
        note = STATUS_TEXT.get(f.status, "")
        rows.append([f.label, shown if shown is not None else "【待补充】", f.unit, note])
    return rows


def build(
    *,
    blocks: Sequence[Block],
    facts: dict[str, Fact],
    areas: Sequence[tuple[str, Sequence[Fact]]],
    profile: Profile,
    breakdown: dict[str, Any] | None = None,
) -> bytes:
    document = new_document(profile)
    numbers = numbering(blocks)
    bold = profile["bold"]
    for block in blocks:
        if block.kind == "title":
            paragraph = document.add_paragraph()
            _spacing(paragraph, profile, indent=False)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            for part in render(block.source, facts):
                fonts(paragraph.add_run(part.text), profile, "title", "title")
            blank = document.add_paragraph()
            _spacing(blank, profile, indent=False)
        elif block.kind in HEADING_ROLE:
            paragraph = document.add_paragraph()
            _spacing(paragraph, profile, indent=True)
            role = HEADING_ROLE[block.kind]
            fonts(paragraph.add_run(numbers[block.id]), profile, role, bold=bold[role])
            _runs(paragraph, block.source, facts, profile, role, bold[role])
        elif block.kind in ("sign", "date"):
            if block.kind == "sign":
                blank = document.add_paragraph()
                _spacing(blank, profile, indent=False)
            paragraph = document.add_paragraph()
            _spacing(paragraph, profile, indent=False)
            paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
            paragraph.paragraph_format.right_indent = Pt(profile.size("body") * 4)  # 右空四字
            _runs(paragraph, block.source, facts, profile, "body", False)
        elif block.kind == "appendix":
            paragraph = document.add_paragraph()
            _spacing(paragraph, profile, indent=True)
            _runs(paragraph, "附件：统计表", facts, profile, "body", False)
        elif plain(render(block.source, facts)).strip():  # a paragraph of empty lists is left out
            paragraph = document.add_paragraph()
            _spacing(paragraph, profile, indent=True)
            _runs(paragraph, block.source, facts, profile, "body", False)
    if any(b.kind == "appendix" for b in blocks):
        _appendix(document, profile, areas)
        if breakdown and breakdown.get("rows"):
            _breakdown(document, profile, breakdown)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _appendix(document: Any, profile: Profile, areas: Sequence[tuple[str, Sequence[Fact]]]) -> None:
    paragraph = document.add_paragraph()
    paragraph.add_run().add_break(WD_BREAK.PAGE)
    label = document.add_paragraph()
    _spacing(label, profile, indent=False)
    fonts(label.add_run("附件"), profile, "h1")
    title = document.add_paragraph()
    _spacing(title, profile, indent=False)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fonts(title.add_run("统计表"), profile, "title", "title")
    width = profile.type_width_pt * 25.4 / 72
    widths = [width * 0.42, width * 0.2, width * 0.12, width * 0.26]
    for area, facts in areas:
        rows = appendix_rows(facts)
        if not rows:
            continue
        heading = document.add_paragraph()
        _spacing(heading, profile, indent=False)
        fonts(heading.add_run(area), profile, "h2")
        _table(document, profile, ["统计项", "数值", "单位", "说明"], rows, widths)


def _breakdown(document: Any, profile: Profile, table: dict[str, Any]) -> None:
    """下级党组织统计表: one row per child org, one column per main count."""
    heading = document.add_paragraph()
    _spacing(heading, profile, indent=False)
    fonts(heading.add_run("下级党组织统计表"), profile, "h2")
    columns = table["columns"]
    headers = ["党组织", *(f"{c['label']}（{c['unit']}）" for c in columns)]
    width = profile.type_width_pt * 25.4 / 72
    first = width * 0.28
    widths = [first, *([(width - first) / len(columns)] * len(columns))]

    def cell(value: Any) -> str:
        return "【待补充】" if value is None else str(value)

    rows = [[row["org"], *(cell(v) for v in row["values"])] for row in table["rows"]]
    rows.append(["合计", *(cell(v) for v in table["total"])])
    _table(document, profile, headers, rows, widths)
