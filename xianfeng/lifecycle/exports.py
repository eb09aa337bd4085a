"""The "光荣在党50年" medal list as .xlsx (MEM-11): no ID numbers, audited as an export."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.lifecycle import rules
from xianfeng.lifecycle.selectors import medal_members
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Gender

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = ("序号", "姓名", "性别", "出生日期", "所在党组织", "入党日期", "转正日期", "党龄（截至7月1日）")
GENDER_NAMES = {Gender.MALE: "男", Gender.FEMALE: "女"}
WIDTHS = (6, 12, 6, 12, 36, 12, 12, 18)


@dataclass(frozen=True)
class Export:
    data: bytes
    filename: str
    rows: int
    content_type: str = XLSX_CONTENT_TYPE


def medal_workbook(org: Org, year: int) -> tuple[bytes, int]:
    cutoff = rules.medal_cutoff(year)
    reference = cutoff.replace(year=year)
    workbook = Workbook()
    sheet = cast(Worksheet, workbook.active)
    sheet.title = "光荣在党50年"
    sheet.append([f"{org.name} “光荣在党50年”纪念章颁发对象名单（{year}年）"])
    sheet.append(
        [f"条件：健在的正式党员，{cutoff.year}年7月1日前（含当日）转正；截至{year}年7月1日党龄满50年。"]
    )
    sheet.append(list(HEADERS))
    for cell in sheet[3]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=14)
    count = 0
    for count, membership in enumerate(medal_members(org, year).iterator(chunk_size=1000), start=1):
        person = membership.person
        sheet.append(
            [
                count,
                person.name,
                GENDER_NAMES.get(person.gender, ""),  # type: ignore[call-overload]
                person.birth_date,
                membership.org.name,
                membership.admission_date,
                membership.conversion_date,
                membership.party_age_on(reference),
            ]
        )
    for index, width in enumerate(WIDTHS):
        sheet.column_dimensions[chr(ord("A") + index)].width = width
    for row in sheet.iter_rows(min_row=4, min_col=4, max_col=7):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def medal_export(*, actor: Any, org: Org, year: int) -> Export:
    """The medal list of an org's subtree; needs the export right on the org; audited."""
    require(actor, Action.EXPORT, org)
    data, rows = medal_workbook(org, year)
    with transaction.atomic():
        audit.record(
            actor=actor,
            action="export.medal_list",
            target=org,
            org=org,
            after=audit.Snapshot(year=year, rows=rows),
            message=_("Medal list %(year)s of %(org)s: %(rows)s members exported")
            % {"year": year, "org": org.name, "rows": rows},
        )
    name = "".join(ch for ch in org.name if ch not in '\\/:*?"<>|')
    return Export(data, f"{name}-光荣在党50年-{year}-{timezone.localdate():%Y%m%d}.xlsx", rows)
