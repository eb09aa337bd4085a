"""The statistics workbook (.xlsx, openpyxl): the same facts as the summary, one sheet of figures with
their rules and one of the gaps, from the document's snapshot (or live facts)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from xianfeng.reports.facts import FactSet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STATUS = {"ok": "完整", "partial": "部分数据缺失", "missing": "无数据", "unavailable": "模块未安装"}
GAP_FILL = PatternFill("solid", fgColor="FFF2CC")


def build(fact_set: FactSet, breakdown: dict[str, Any] | None = None) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "统计表"
    sheet.append([f"{fact_set.org.name} {fact_set.period.label()}党建工作统计表"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(
        [
            f"统计期间：{fact_set.period.start:%Y-%m-%d} 至 {fact_set.period.end:%Y-%m-%d}；生成时间：{fact_set.computed_at:%Y-%m-%d %H:%M}"
        ]
    )
    sheet.append([])
    header = ["类别", "统计项", "数值", "单位", "状态", "记录数", "统计口径", "统计项名称（模板用）"]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for area, facts in fact_set.by_area():
        for f in facts:
            shown = f.display()
            value: object = (
                "【待补充】"
                if shown is None
                else (float(f.value) if f.value is not None and "." in shown else f.value)
            )
            sheet.append(
                [area, f.label, value, f.unit, STATUS.get(f.status, f.status), f.record_count, f.rule, f.name]
            )
            if shown is None:
                sheet.cell(row=sheet.max_row, column=3).fill = GAP_FILL
    for column, width in zip("ABCDEFGH", (16, 26, 14, 8, 14, 10, 70, 40), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5, min_col=7, max_col=7):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    gaps = book.create_sheet("缺失数据")
    gaps.append(["统计项", "说明", "未计入的记录数"])
    for cell in gaps[1]:
        cell.font = Font(bold=True)
    for f in fact_set.facts.values():
        for note in f.missing:
            gaps.append([f.label, note, len(f.missing_ids)])
    gaps.column_dimensions["A"].width, gaps.column_dimensions["B"].width = 26, 90
    if breakdown and breakdown.get("rows"):
        by_org = book.create_sheet("下级党组织")
        by_org.append(["党组织", *(f"{c['label']}（{c['unit']}）" for c in breakdown["columns"])])
        for cell in by_org[1]:
            cell.font = Font(bold=True)
        for row in breakdown["rows"]:
            by_org.append([row["org"], *("【待补充】" if v is None else v for v in row["values"])])
        by_org.append(["合计", *("【待补充】" if v is None else v for v in breakdown["total"])])
        by_org.column_dimensions["A"].width = 30
    problems = book.create_sheet("问题清单")
    problems.append(["统计项", "内容"])
    for f in fact_set.facts.values():
        for item in f.items:
            problems.append([f.label, item])
    problems.column_dimensions["A"].width, problems.column_dimensions["B"].width = 26, 90
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
