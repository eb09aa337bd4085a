"""The members' publication of dues collected (DUES-17, 定期公布收缴党费情况), as .xlsx and .docx.

The period is XIANFENG_DUES_PUBLICATION: "quarter" (default, the common practice of notifying
quarterly) or "year" (the minimum: at least once a year). For an org and a period: each member
with what they paid for each month and in total, the org's totals and collection rate, then the
org's name and the date. Only names and amounts: never ID numbers, bases or incomes. The
document is a Chinese notice, so its fixed wording is Chinese.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Mm, Pt
from openpyxl.styles import Alignment

from xianfeng.activities.documents import BODY_FONT, LABEL_FONT, TITLE_FONT, TITLE_SIZE, set_fonts
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.dues.exports import A_PUBLICATION, Export, audit_export
from xianfeng.dues.exports._book import (
    STATUS_NAMES,
    add_line,
    add_row,
    day_text,
    new_sheet,
    rate_text,
    safe_filename,
    to_bytes,
)
from xianfeng.dues.exports.grid import Grid, member_grid
from xianfeng.dues.summaries import quarter_months
from xianfeng.orgs.models import Org

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
QUARTER = "quarter"
YEAR = "year"
_QUARTER_NAMES = {1: "一", 2: "二", 3: "三", 4: "四"}
_TABLE_SIZE = Pt(12)  # 小四
_TEXT_SIZE = Pt(14)  # 4号


def publication_period() -> str:
    """The configured period: "year", or "quarter" for anything else."""
    return YEAR if getattr(settings, "XIANFENG_DUES_PUBLICATION", QUARTER) == YEAR else QUARTER


@dataclass(frozen=True)
class Period:
    year: int
    quarter: int | None = None  # None: the whole year

    @property
    def months(self) -> tuple[dt.date, dt.date]:
        if self.quarter is None:
            return dt.date(self.year, 1, 1), dt.date(self.year, 12, 1)
        return quarter_months(self.year, self.quarter)

    @property
    def text(self) -> str:
        if self.quarter is None:
            return f"{self.year}年度"
        return f"{self.year}年第{_QUARTER_NAMES[self.quarter]}季度"


def title(org: Org, period: Period) -> str:
    return f"{org.name}{period.text}党费收缴情况公示"


@dataclass
class Table:
    headers: list[str]
    rows: list[list[Any]]
    total: list[Any]
    summary: str


def _cell(grid: Grid, row: int, index: int) -> Any:
    cell = grid.rows[row].cells[index]
    return cell.paid if cell.paid is not None else STATUS_NAMES.get(cell.status, cell.status)


def publication_table(grid: Grid) -> Table:
    with_org = len({r.membership.org_id for r in grid.rows}) > 1
    lead = ["序号", *(["组织"] if with_org else []), "姓名"]
    headers = [*lead, *(f"{m.month}月" for m in grid.months), "合计", "自愿多缴"]
    rows = []
    for index, row in enumerate(grid.rows):
        org = [row.membership.org.name] if with_org else []
        months = [_cell(grid, index, i) for i in range(len(grid.months))]
        rows.append([index + 1, *org, row.membership.person.name, *months, row.paid, row.extra or None])
    total: list[Any] = ["合计", *([""] if with_org else []), f"{len(grid.rows)}人"]
    total += [*(grid.paid_in(i) for i in range(len(grid.months))), grid.paid, grid.extra or None]
    summary = f"本期应缴党费{grid.expected}元，实缴{grid.paid}元，收缴率{rate_text(grid.rate)}"
    summary += f"；另有自愿多缴党费{grid.extra}元。" if grid.extra else "。"
    return Table(headers, rows, total, summary)


def _text(value: Any) -> str:
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return "" if value is None else str(value)


def publication_xlsx(org: Org, period: Period, table: Table, today: dt.date) -> bytes:
    book, ws = new_sheet(
        title(org, period), table.headers, name="党费公示", widths=(6, *(10 for _h in table.headers[1:]))
    )
    for row in table.rows:
        add_row(ws, row)
    add_row(ws, table.total, bold=True)
    width = len(table.headers)
    add_line(ws, table.summary, width)
    add_line(ws, org.name, width)
    add_line(ws, day_text(today), width)
    for number in (ws.max_row - 1, ws.max_row):
        ws.cell(row=number, column=1).alignment = Alignment(horizontal="right")
    return to_bytes(book)


def _paragraph(
    document: Any, text: str, font: str, size: Pt, *, align: Any = None, bold: bool = False
) -> None:
    paragraph = document.add_paragraph()
    paragraph.paragraph_format.space_after = Pt(6)
    if align is not None:
        paragraph.alignment = align
    set_fonts(paragraph.add_run(text), font, size, bold=bold)


def _layout(document: Any, landscape: bool) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.page_width, section.page_height = width, height
    section.top_margin = section.bottom_margin = Mm(25)
    section.left_margin = section.right_margin = Mm(20)


def publication_docx(org: Org, period: Period, table: Table, today: dt.date) -> bytes:
    document = Document()
    _layout(document, landscape=len(table.headers) > 8)
    _paragraph(document, title(org, period), TITLE_FONT, TITLE_SIZE, align=WD_ALIGN_PARAGRAPH.CENTER)
    grid = document.add_table(rows=1, cols=len(table.headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, header in zip(grid.rows[0].cells, table.headers, strict=True):
        set_fonts(cell.paragraphs[0].add_run(header), LABEL_FONT, _TABLE_SIZE)
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for values in [*table.rows, table.total]:
        cells = grid.add_row().cells
        for cell, value in zip(cells, values, strict=True):
            set_fonts(
                cell.paragraphs[0].add_run(_text(value)), BODY_FONT, _TABLE_SIZE, bold=values is table.total
            )
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _paragraph(document, "", BODY_FONT, _TEXT_SIZE)
    _paragraph(document, table.summary, BODY_FONT, _TEXT_SIZE)
    _paragraph(document, org.name, BODY_FONT, _TEXT_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _paragraph(document, day_text(today), BODY_FONT, _TEXT_SIZE, align=WD_ALIGN_PARAGRAPH.RIGHT)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def publication_export(
    *, actor: Any, org: Org, period: Period, fmt: str = "xlsx", today: dt.date | None = None
) -> Export:
    """The publication for `org` and `period`, audited as an export (it lists members' payments)."""
    require(actor, Action.EXPORT, org)
    today = today or timezone.localdate()
    start, end = period.months
    grid = member_grid(org, start, end, today)
    table = publication_table(grid)
    name = safe_filename(title(org, period))
    if fmt == "docx":
        export = Export(publication_docx(org, period, table, today), f"{name}.docx", DOCX_CONTENT_TYPE)
    else:
        export = Export(publication_xlsx(org, period, table, today), f"{name}.xlsx")
    audit_export(
        actor=actor, action=A_PUBLICATION, org=org, period=period.text, rows=len(grid.rows), format=fmt
    )
    return export
