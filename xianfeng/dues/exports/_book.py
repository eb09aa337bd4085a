"""A printable worksheet: a title row, a note row, the header row, data and totals, A4 fitted to
the page width with the title rows repeated on every page. Fixed wording is Chinese (documents)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from xianfeng.dues.choices import PaymentMethod
from xianfeng.dues.collection import MonthStatus

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 3  # data starts on row 4
MONEY_FORMAT = "#,##0.00"
FUTURE = "future"  # a month that has not begun and is not paid in advance

STATUS_NAMES: dict[str, str] = {
    MonthStatus.PAID: "已缴",
    MonthStatus.UNPAID: "未缴",
    MonthStatus.DUE: "待缴",
    MonthStatus.EXEMPT: "免缴",
    MonthStatus.NO_BASE: "未核定",
    MonthStatus.NOT_OWED: "—",
    FUTURE: "",
}
METHOD_NAMES: dict[str, str] = {
    PaymentMethod.CASH: "现金",
    PaymentMethod.TRANSFER: "银行转账",
    PaymentMethod.PAYROLL_DEDUCTION_AUTHORIZED: "工资代扣（已书面授权）",
    PaymentMethod.ONLINE: "线上缴纳",
}
_THIN = Side(style="thin", color="999999")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="F2DCDB")


def day_text(day: Any) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def month_text(month: Any) -> str:
    return f"{month.year}年{month.month}月"


def rate_text(rate: Decimal | None) -> str:
    return f"{rate}%" if rate is not None else "—"


def new_sheet(
    title: str, headers: Sequence[str], *, name: str, widths: Sequence[int] = (), note: str = ""
) -> tuple[Workbook, Worksheet]:
    """A workbook whose first sheet has the title, the note (unit, date) and the header row."""
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)
    sheet.title = name
    last = get_column_letter(len(headers))
    sheet.append([title])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=16)
    sheet["A1"].alignment = Alignment(horizontal="center", vertical="center")
    sheet.row_dimensions[1].height = 30
    sheet.append([note or f"单位：元　　制表日期：{day_text(timezone.localdate())}"])
    sheet.merge_cells(f"A2:{last}2")
    sheet["A2"].alignment = Alignment(horizontal="right")
    add_row(sheet, headers, header=True)
    for index in range(1, len(headers) + 1):
        width = widths[index - 1] if index <= len(widths) else 12
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"A{HEADER_ROW + 1}"
    sheet.print_title_rows = f"1:{HEADER_ROW}"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if len(headers) > 8 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.print_options.horizontalCentered = True
    footer = sheet.oddFooter
    if footer is not None:
        footer.center.text = "第 &P 页，共 &N 页"
    return workbook, sheet


def add_row(sheet: Worksheet, values: Sequence[Any], *, header: bool = False, bold: bool = False) -> None:
    """A bordered row; amounts (Decimal) in the money format."""
    sheet.append(list(values))
    row = sheet.max_row
    for index in range(1, len(values) + 1):
        cell = sheet.cell(row=row, column=index)
        cell.border = _BORDER
        if header:
            cell.font = Font(bold=True)
            cell.fill = _HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        elif bold:
            cell.font = Font(bold=True)
        if isinstance(cell.value, Decimal):
            cell.number_format = MONEY_FORMAT


def add_line(sheet: Worksheet, text: str, width: int) -> None:
    """A free text line across the table (summary, signature)."""
    sheet.append([text])
    row = sheet.max_row
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=max(width, 1))


def to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def safe_filename(text: str) -> str:
    return "".join("-" if ch in '/\\:*?"<>|' else ch for ch in text)
