"""Exports of a period as .xlsx: the ranking (rank, subject, total, grade, outcomes) and the score
sheet (every dimension of every subject). Fixed wording is Chinese, as in the other documents; the
rows are those the user may see (scoped by the caller)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xianfeng.scoring.models import Dimension, Period, Result

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FILL = PatternFill("solid", fgColor="F2DCDB")


def _sheet(title: str, headers: Sequence[str], name: str) -> tuple[Workbook, Worksheet]:
    book = Workbook()
    sheet = cast(Worksheet, book.active)
    sheet.title = name
    last = get_column_letter(len(headers))
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center")
    today = timezone.localdate()
    sheet.append([f"制表日期：{today.year}年{today.month}月{today.day}日"])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].alignment = Alignment(horizontal="right")
    _row(sheet, headers, header=True)
    for index in range(1, len(headers) + 1):
        sheet.column_dimensions[get_column_letter(index)].width = 28 if index == 2 else 12
    sheet.freeze_panes = "A4"
    sheet.print_title_rows = "1:3"
    sheet.page_setup.orientation = "landscape" if len(headers) > 7 else "portrait"
    return book, sheet


def _row(sheet: Worksheet, values: Sequence[Any], *, header: bool = False) -> None:
    sheet.append(list(values))
    for index in range(1, len(values) + 1):
        cell = sheet.cell(row=sheet.max_row, column=index)
        cell.border = _BORDER
        if header:
            cell.font, cell.fill = Font(bold=True), _FILL
            cell.alignment = Alignment(horizontal="center", wrap_text=True)
        elif isinstance(cell.value, Decimal):
            cell.number_format = "0.00"


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def ranking_xlsx(period: Period, rows: Sequence[Result]) -> bytes:
    book, sheet = _sheet(
        f"{period.scheme.name} {period.label} 排名",
        ["名次", "考核对象", "所在组织", "总分", "等次", "结果运用"],
        "排名",
    )
    for r in rows:
        outcomes = "；".join(
            f"{o['label']}（{o['consequence']}）" if o.get("consequence") else o["label"] for o in r.outcomes
        )
        grade = r.grade + ("（受处分影响，不评优秀）" if r.excellent_blocked else "")
        _row(sheet, [r.rank, r.subject_name, r.org.name, r.total, grade, outcomes])
    return _bytes(book)


def score_sheet_xlsx(period: Period, dims: Sequence[Dimension], rows: Sequence[Result]) -> bytes:
    headers = [
        "名次",
        "考核对象",
        *[f"{d.name}（{d.maximum.normalize():f}）" for d in dims],
        "结转",
        "总分",
        "等次",
    ]
    book, sheet = _sheet(f"{period.scheme.name} {period.label} 评分表", headers, "评分表")
    for r in rows:
        values = [Decimal(r.dimensions.get(d.code, "0")) for d in dims]
        _row(
            sheet,
            [
                r.rank,
                r.subject_name,
                *values,
                r.carried_in,
                r.total,
                r.grade if not r.vetoed else f"{r.grade}（否决）",
            ],
        )
    return _bytes(book)
