"""The downloadable template: the Chinese headers, the people in development the user may change
(name and code, so only the dates are left to fill in), and a sheet explaining every column."""

from __future__ import annotations

import io
from typing import Any, cast

from django.utils.translation import override
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xianfeng.core.roles import Action
from xianfeng.development.imports.layout import COLUMNS, MAX_ROWS
from xianfeng.development.steps import BY_CODE
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.imports import DATE_FORMATS_HELP
from xianfeng.people.models import Membership

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FILENAME = "发展党员历史数据导入模板.xlsx"
DATA_SHEET = "发展历程"
HELP_SHEET = "填写说明"
IN_DEVELOPMENT = (
    PoliticalStatus.APPLICANT,
    PoliticalStatus.ACTIVIST,
    PoliticalStatus.CANDIDATE,
    PoliticalStatus.PROBATIONARY,
)
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="C00000")
_STEP_FILL = PatternFill("solid", fgColor="7F7F7F")
_RULES = [
    "每行一人，以身份证号码或人员编码识别；已列出您有权维护的发展中人员，只需填写日期等信息。",
    "每个步骤填写日期后才会导入；同一步骤的其他列（谈话人、票数、审批党委等）只在填写日期时读取。",
    "导入时按日期逐步重放，每一步都按当日有效的《发展党员工作细则》规定检查（顺序、时限、人数、表决等）。",
    "任何一行有问题则全部不导入；预览会逐行列出问题及所依据的规定条款。",
    "已录入相同日期的步骤会跳过；尚无发展步骤而政治面貌已在申请人之后的人员，从递交申请开始重放，"
    "结束时的政治面貌和关键日期须与人员信息一致。",
    "只导入通过的结论（政治审查合格、预审通过、表决通过、审批同意）；未通过、延长预备期等请在系统中逐条记录。",
    "日期格式：" + DATE_FORMATS_HELP,
]


def _people(user: Any) -> list[tuple[str, str]]:
    rows = (
        Membership.objects.restrict(user, Action.CHANGE)
        .current()
        .filter(status__in=IN_DEVELOPMENT)
        .order_by("org__path", "person__name", "pk")
        .values_list("person__name", "code")[:MAX_ROWS]
    )
    return [(name, str(code)) for name, code in rows]


def template_workbook(*, user: Any) -> bytes:
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)
    sheet.title = DATA_SHEET
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL if column.key == column.step or not column.step else _STEP_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, min(len(column.header) * 2 + 2, 28))
        if column.kind in ("id_number", "code", "people", "dates", "text", "org"):
            sheet.column_dimensions[letter].number_format = "@"
    sheet.row_dimensions[1].height = 36
    sheet.freeze_panes = "D2"
    for name, code in _people(user):
        sheet.append([name, None, code])
    _help_sheet(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _help_sheet(workbook: Workbook) -> None:
    with override("zh-hans"):
        _fill_help(workbook.create_sheet(HELP_SHEET))


def _fill_help(sheet: Worksheet) -> None:
    sheet.append(["列名", "步骤", "依据", "说明"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in COLUMNS:
        step = BY_CODE.get(column.step)
        label = f"（{step.number}）{step.label!s}" if step else ""
        sheet.append([column.header, label, step.rule if step else "", column.note or _hint(column.kind)])
    sheet.append([])
    for line in _RULES:
        sheet.append([line])
    for letter, width in (("A", 28), ("B", 36), ("C", 10), ("D", 60)):
        sheet.column_dimensions[letter].width = width


def _hint(kind: str) -> str:
    if kind == "date":
        return "日期"
    return {"int": "整数", "decimal": "数字", "text": "文字"}.get(kind, "")
