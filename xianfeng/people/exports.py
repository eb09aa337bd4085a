"""Member workbooks: the import template and the member list export.

The export follows the member list's filters (MembershipFilterSet) on the user's export scope;
ID numbers and phones are masked unless the user may unmask them in the member's organization.
Every export is audited with its filters and row count, and an unmasked export once more.
"""

from __future__ import annotations

import io
import tempfile
from collections.abc import Iterable, Sequence
from typing import IO, Any, cast

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, require
from xianfeng.orgs.models import Org
from xianfeng.people.choices import LeaveReason
from xianfeng.people.ethnicity import ETHNICITY_CHOICES
from xianfeng.people.filters import MembershipFilterSet
from xianfeng.people.imports import (
    COLUMNS,
    DATE_FORMATS_HELP,
    EDUCATION_NAMES,
    GENDER_NAMES,
    HEADERS,
    STATUS_NAMES,
    allowed_values,
)
from xianfeng.people.models import Membership
from xianfeng.people.selectors import member_list

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATA_SHEET = "党员信息"
HELP_SHEET = "填写说明"
_TEXT_FIELDS = {"id_number", "phone", "employee_no"}
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="C00000")
_ETHNICITY_NAMES = dict(ETHNICITY_CHOICES)
EXPORT_HEADERS = (*HEADERS, "离开日期", "离开原因")


# --- The import template ---------------------------------------------------------------------


def template_workbook(*, orgs: Iterable[Org] = (), rows: Iterable[Sequence[Any]] = ()) -> bytes:
    """The import template: headers, optional rows, and a sheet of rules and allowed values."""
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)
    sheet.title = DATA_SHEET
    sheet.append(list(HEADERS))
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = max(12, len(column.header) * 2 + 2)
        if column.field in _TEXT_FIELDS:
            sheet.column_dimensions[letter].number_format = "@"
    sheet.freeze_panes = "A2"
    for row in rows:
        sheet.append(list(row))
    _help_sheet(workbook, list(orgs))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _help_sheet(workbook: Workbook, orgs: list[Org]) -> None:
    sheet = workbook.create_sheet(HELP_SHEET)
    sheet.append(["列名", "是否必填", "说明", "", "性别", "民族", "学历", "政治面貌", "组织名称", "组织编码"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    notes = [
        (column.header, "必填" if column.required else "", column.note or _column_hint(column.kind))
        for column in COLUMNS
    ]
    lists = [
        allowed_values("gender"),
        allowed_values("ethnicity"),
        allowed_values("education"),
        allowed_values("status"),
        [org.name for org in orgs],
        [org.code for org in orgs],
    ]
    height = max(len(notes), *(len(values) for values in lists))
    for index in range(height):
        note = notes[index] if index < len(notes) else ("", "", "")
        sheet.append([*note, "", *(values[index] if index < len(values) else None for values in lists)])
    for letter, width in (("A", 20), ("B", 10), ("C", 48), ("I", 30), ("J", 14)):
        sheet.column_dimensions[letter].width = width
    data = workbook[DATA_SHEET]
    for field, help_column, values in (
        ("gender", "E", lists[0]),
        ("ethnicity", "F", lists[1]),
        ("education", "G", lists[2]),
        ("status", "H", lists[3]),
    ):
        _dropdown(data, field, f"'{HELP_SHEET}'!${help_column}$2:${help_column}${len(values) + 1}")


def _column_hint(kind: str) -> str:
    if kind == "date":
        return "日期格式：" + DATE_FORMATS_HELP
    if kind in ("gender", "ethnicity", "education", "status"):
        return "从右侧可选值中选择"
    return ""


def _dropdown(sheet: Any, field: str, formula: str) -> None:
    index = next(i for i, column in enumerate(COLUMNS, start=1) if column.field == field)
    letter = get_column_letter(index)
    validation = DataValidation(type="list", formula1=formula, allow_blank=True)
    validation.add(f"{letter}2:{letter}20001")
    sheet.add_data_validation(validation)


# --- The member export -----------------------------------------------------------------------


def _member_row(membership: Membership, unmasked: bool) -> list[Any]:
    person = membership.person
    return [
        person.name,
        person.id_number if unmasked else person.id_number_masked,
        GENDER_NAMES.get(person.gender, person.gender),  # type: ignore[call-overload]
        _ETHNICITY_NAMES.get(person.ethnicity, person.ethnicity),
        person.birth_date,
        person.phone if unmasked else person.phone_masked,
        EDUCATION_NAMES.get(person.education, person.education),  # type: ignore[call-overload]
        person.employee_no,
        person.business_unit,
        person.department,
        person.job_post,
        person.hire_date,
        membership.org.name,
        membership.party_group.name if membership.party_group else "",
        STATUS_NAMES.get(membership.status, membership.status),  # type: ignore[call-overload]
        membership.application_date,
        membership.activist_date,
        membership.candidate_date,
        membership.admission_date,
        membership.conversion_date,
        membership.left_date,
        LeaveReason(membership.left_reason).label if membership.left_reason else "",
    ]


def export_members(*, user: Any, params: QueryDict) -> tuple[IO[bytes], int]:
    """The filtered member list as an .xlsx in a temporary file, and its row count; audited."""
    require(user, Action.EXPORT, None)
    filterset = MembershipFilterSet(params, queryset=member_list(user=user, action=Action.EXPORT))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    queryset = filterset.qs
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(DATA_SHEET)
    sheet.append([_header_cell(sheet, header) for header in EXPORT_HEADERS])
    count = unmasked_count = 0
    for membership in queryset.iterator(chunk_size=2000):
        unmasked = can(user, Action.UNMASK, membership.org)
        sheet.append(_member_row(membership, unmasked))
        count += 1
        unmasked_count += unmasked
    output = tempfile.TemporaryFile()  # noqa: SIM115  (returned open; the response closes it)
    workbook.save(output)
    output.seek(0)
    _audit_export(user, params, filterset.form.cleaned_data, count, unmasked_count)
    return output, count


def _header_cell(sheet: Any, header: str) -> Any:
    cell = WriteOnlyCell(sheet, value=header)
    cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
    return cell


def _audit_export(user: Any, params: QueryDict, cleaned: dict[str, Any], count: int, unmasked: int) -> None:
    org = Org.objects.filter(pk=cleaned["org"]).first() if cleaned.get("org") else None
    filters = {key: params.getlist(key) for key in sorted(params) if key in MembershipFilterSet.base_filters}
    details = audit.Snapshot(filters=filters, rows=count, unmasked_rows=unmasked)
    with transaction.atomic():
        audit.record(
            actor=user,
            action="export.members",
            org=org,
            after=details,
            message=_("%(count)s members exported (%(unmasked)s unmasked)")
            % {"count": count, "unmasked": unmasked},
        )
        if unmasked:
            audit.record(
                actor=user,
                action="export.unmask",
                org=org,
                after=details,
                message=_("ID numbers and phones of %(count)s members exported unmasked")
                % {"count": unmasked},
            )


def export_filename() -> str:
    return f"members-{timezone.localdate():%Y%m%d}.xlsx"
