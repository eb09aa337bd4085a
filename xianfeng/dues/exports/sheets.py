"""The dues workbooks: the month's collection sheet, the reconciliation of expected and collected
dues over a run of months, and the remittance statement (DUES-15). No ID numbers, ever."""

from __future__ import annotations

import datetime as dt
from typing import Any

from xianfeng.dues.collection import collection_sheet
from xianfeng.dues.exports._book import (
    METHOD_NAMES,
    STATUS_NAMES,
    add_line,
    add_row,
    day_text,
    month_text,
    new_sheet,
    rate_text,
    to_bytes,
)
from xianfeng.dues.exports.grid import Grid, member_grid
from xianfeng.dues.imports.layout import CATEGORY_NAMES
from xianfeng.dues.summaries import Totals, dues_totals
from xianfeng.orgs.models import Org

COLLECTION_HEADERS = (
    "组织",
    "姓名",
    "类别",
    "月缴纳额",
    "状态",
    "缴纳日期",
    "方式",
    "收缴人",
    "代缴人",
    "自愿多缴",
)
RECONCILIATION_TOTALS = ("应缴合计", "实缴合计", "差额", "未缴月数", "未缴月份", "自愿多缴")
REMITTANCE_HEADERS = (
    "组织",
    "党员人数",
    "应缴金额",
    "实缴金额",
    "收缴率",
    "自愿多缴",
    "大额党费",
    "未核定基数（人月）",
)


def period_text(start: dt.date, end: dt.date) -> str:
    if start == end:
        return month_text(start)
    if start.year == end.year:
        return f"{start.year}年{start.month}月至{end.month}月"
    return f"{month_text(start)}至{month_text(end)}"


def _person_name(user: Any) -> str:
    return (user.get_full_name() or user.get_username()) if user is not None else ""


def collection_workbook(org: Org, month: dt.date, today: dt.date) -> tuple[bytes, int]:
    """One row per member of the month's sheet, the totals, the counts and the rate."""
    sheet = collection_sheet(org, month, today)
    book, ws = new_sheet(
        f"{org.name}{month_text(month)}党费收缴表",
        COLLECTION_HEADERS,
        name="党费收缴表",
        widths=(24, 10, 10, 11, 8, 13, 14, 10, 10, 10),
    )
    for row in sheet.rows:
        payment, base = row.payment, row.base
        add_row(
            ws,
            [
                row.membership.org.name,
                row.membership.person.name,
                CATEGORY_NAMES.get(base.category, base.category) if base else "",
                row.expected,
                STATUS_NAMES.get(row.status, row.status),
                payment.paid_on if payment else None,
                METHOD_NAMES.get(payment.method, payment.method) if payment else "",
                _person_name(payment.collector) if payment else "",
                payment.paid_by_proxy if payment else "",
                row.extra_total or None,
            ],
        )
        if payment:
            ws.cell(row=ws.max_row, column=6).number_format = "yyyy-mm-dd"
    width = len(COLLECTION_HEADERS)
    add_row(
        ws,
        [
            "应缴合计",
            f"{sheet.owing_count}人",
            "",
            sheet.expected_total,
            "",
            "",
            "",
            "",
            "",
            sheet.extra_total,
        ],
        bold=True,
    )
    add_row(
        ws,
        ["实缴合计", f"{sheet.paid_count}人", "", sheet.collected_total, "", "", "", "", "", ""],
        bold=True,
    )
    add_line(
        ws,
        f"应缴{sheet.expected_total}元，实缴{sheet.collected_total}元，收缴率{rate_text(sheet.rate)}；"
        f"已缴{sheet.paid_count}人，未缴{sheet.open_count}人，未核定基数{sheet.no_base_count}人。",
        width,
    )
    add_line(ws, "收缴人（签字）：　　　　　　　　支部书记（签字）：", width)
    return to_bytes(book), len(sheet.rows)


def _cell_value(grid: Grid, row_index: int, index: int) -> Any:
    cell = grid.rows[row_index].cells[index]
    return cell.paid if cell.paid is not None else STATUS_NAMES.get(cell.status, cell.status)


def reconciliation_workbook(org: Org, start: dt.date, end: dt.date, today: dt.date) -> tuple[bytes, int]:
    """Per member: what each month's regular dues came to, then expected, paid, the difference and
    the unpaid months; the second sheet totals each organization below (dues_totals)."""
    grid = member_grid(org, start, end, today)
    headers = ("组织", "姓名", *(month_text(m) for m in grid.months), *RECONCILIATION_TOTALS)
    book, ws = new_sheet(
        f"{org.name}{period_text(start, end)}党费应缴与实缴对账表",
        headers,
        name="对账表",
        widths=(24, 10, *(11 for _m in grid.months), 11, 11, 10, 9, 24, 10),
    )
    for index, row in enumerate(grid.rows):
        add_row(
            ws,
            [
                row.membership.org.name,
                row.membership.person.name,
                *(_cell_value(grid, index, i) for i in range(len(grid.months))),
                row.expected,
                row.paid,
                row.difference,
                len(row.unpaid_months),
                "、".join(f"{m:%Y-%m}" for m in row.unpaid_months),
                row.extra or None,
            ],
        )
    add_row(
        ws,
        [
            "合计",
            f"{len(grid.rows)}人",
            *(grid.paid_in(i) for i in range(len(grid.months))),
            grid.expected,
            grid.paid,
            grid.expected - grid.paid,
            sum(len(r.unpaid_months) for r in grid.rows),
            "",
            grid.extra,
        ],
        bold=True,
    )
    add_line(ws, f"收缴率：{rate_text(grid.rate)}。月份列为当月实缴金额。", len(headers))
    _org_totals_sheet(book, dues_totals(org, start, end, today))
    return to_bytes(book), len(grid.rows)


def _org_totals_sheet(book: Any, totals: Totals) -> None:
    ws = book.create_sheet("按组织汇总")
    add_row(
        ws, ["组织", "党员人数", "应缴金额", "实缴金额", "差额", "收缴率", "未核定基数（人月）"], header=True
    )
    for row in [*totals.rows, totals.total]:
        name = "合计" if row is totals.total else _org_label(row)
        add_row(
            ws,
            [
                name,
                row.members,
                row.expected,
                row.collected,
                row.expected - row.collected,
                rate_text(row.rate),
                row.missing_base_months,
            ],
            bold=row is totals.total,
        )
    ws.column_dimensions["A"].width = 30


def _org_label(row: Any) -> str:
    return f"{row.org.name}（直属党员）" if row.own else row.org.name


def remittance_workbook(org: Org, start: dt.date, end: dt.date, today: dt.date) -> tuple[bytes, int]:
    """Collected per organization below, the ratio, what is due upward, what was remitted."""
    totals = dues_totals(org, start, end, today)
    width = len(REMITTANCE_HEADERS)
    book, ws = new_sheet(
        f"{org.name}{period_text(start, end)}党费收缴及上缴情况表",
        REMITTANCE_HEADERS,
        name="党费上缴",
        widths=(30, 10, 12, 12, 10, 11, 11, 14),
    )
    for row in [*totals.rows, totals.total]:
        add_row(
            ws,
            [
                "合计" if row is totals.total else _org_label(row),
                row.members,
                row.expected,
                row.collected,
                rate_text(row.rate),
                row.voluntary,
                row.large,
                row.missing_base_months,
            ],
            bold=row is totals.total,
        )
    ratio = (
        f"{(totals.ratio * 100).normalize():f}%"
        if totals.ratio is not None
        else "未设置（仅大额党费全额上缴）"
    )
    ws.append([])
    for label, value in (
        ("上缴比例", ratio),
        ("应上缴金额", totals.remittance_due),
        ("已上缴金额", totals.remitted),
        ("尚未上缴", totals.remittance_outstanding),
    ):
        add_row(ws, [label, value], bold=True)
    ws.append([])
    add_row(ws, ["上缴记录", "上缴日期", "所属期间", "金额", "凭证号", "备注"], header=True)
    for remittance in totals.remittances:
        add_row(
            ws,
            [
                "",
                day_text(remittance.remitted_on),
                period_text(remittance.period_start, remittance.period_end),
                remittance.amount,
                remittance.reference,
                remittance.note,
            ],
        )
    if not totals.remittances:
        add_line(ws, "本期尚无上缴记录。", width)
    if totals.end < end:
        add_line(ws, f"统计截至{month_text(totals.end)}。", width)
    return to_bytes(book), len(totals.rows)
