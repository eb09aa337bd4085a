"""A key-task list as .xlsx: export, the import template, and the all-or-nothing import.

Columns (Chinese headers, in any order; 重点任务, 牵头单位 and 完成时限 are required):
序号 · 类别 · 重点任务 · 牵头单位 · 责任人 · 配合单位 · 完成时限 · 验收标准 · 节点
- 牵头单位 / 配合单位: an organization under the issuing org, by full name, short name or code
  (several collaborators separated by 、 , ， ; or ；);
- 责任人: a current member under the issuing org, by name (a name shared by two people is refused);
- 完成时限: a date cell or 2026-06-30, 2026/6/30, 2026年6月30日; not before the list's issue date;
- 节点: milestones "2026-03-31 完成方案", separated by ；, ; or new lines.
Every row is checked first; one bad row and nothing is written (the page lists every row's errors).
The export writes the same columns plus 状态, 进度 and 回音, so an export can be re-imported.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from xianfeng.core import audit
from xianfeng.core.workbooks import read_first_sheet
from xianfeng.orgs.choices import OrgStatus
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership, Person
from xianfeng.supervision import services
from xianfeng.supervision.models import TaskItem, TaskList

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
COLUMNS = ("序号", "类别", "重点任务", "牵头单位", "责任人", "配合单位", "完成时限", "验收标准", "节点")
REQUIRED = ("重点任务", "牵头单位", "完成时限")
EXPORT_EXTRA = ("状态", "进度(%)", "回音")
MAX_ROWS = 2000
_SPLIT = re.compile(r"[、,，;；\n]+")
_MILESTONES = re.compile(r"[;；\n]+")
_CN_DATE = re.compile(r"^(\d{4})\s*[年/.-]\s*(\d{1,2})\s*[月/.-]\s*(\d{1,2})\s*日?$")


class WorkbookError(Exception):
    pass


@dataclass
class RowResult:
    row: int
    title: str
    data: services.ItemIn | None = None
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportCheck:
    rows: list[RowResult]
    error: str = ""

    @property
    def ok(self) -> bool:
        return not self.error and bool(self.rows) and not any(r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[RowResult]:
        return [r for r in self.rows if r.errors]


def parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip()
    match = _CN_DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _read(sheet: Any) -> tuple[dict[str, int], list[tuple[int, tuple[Any, ...]]]]:
    header: dict[str, int] | None = None
    rows: list[tuple[int, tuple[Any, ...]]] = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = tuple(values)
        if header is None:
            names = [str(v or "").strip() for v in cells]
            if "重点任务" in names:
                header = {name: i for i, name in enumerate(names) if name}
            continue
        if not any(str(v or "").strip() for v in cells):
            continue
        rows.append((number, cells))
        if len(rows) > MAX_ROWS:
            raise WorkbookError(_("The workbook has more than %(n)s rows.") % {"n": MAX_ROWS})
    if header is None:
        raise WorkbookError(_("No header row with the column “重点任务” was found."))
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise WorkbookError(_("Missing columns: %(cols)s.") % {"cols": "、".join(missing)})
    return header, rows


class _Lookup:
    """Orgs and members under the issuing org, loaded once (two queries)."""

    def __init__(self, top: Org) -> None:
        self.orgs: dict[str, list[Org]] = defaultdict(list)
        for org in Org.objects.filter(path__startswith=top.path, status=OrgStatus.ACTIVE):
            for key in {org.name, org.short_name, org.code} - {""}:
                self.orgs[key].append(org)
        self.people: dict[str, dict[int, Person]] = defaultdict(dict)
        members = Membership.objects.filter(left_date__isnull=True, org__path__startswith=top.path)
        for person in Person.objects.filter(pk__in=members.values("person_id")).only(
            "pk", "name", "code", "user_id"
        ):
            self.people[person.name][person.pk] = person

    def org(self, name: str, errors: list[str], what: str) -> Org | None:
        found = self.orgs.get(name, [])
        if len(found) == 1:
            return found[0]
        if not found:
            errors.append(_("%(what)s: unknown organization “%(name)s”.") % {"what": what, "name": name})
        else:
            errors.append(
                _("%(what)s: “%(name)s” names several organizations; use its code.")
                % {"what": what, "name": name}
            )
        return None

    def person(self, name: str, errors: list[str]) -> Person | None:
        found = list(self.people.get(name, {}).values())
        if len(found) == 1:
            return found[0]
        if not found:
            errors.append(
                _("责任人: unknown person “%(name)s” (not a current member under the issuing organization).")
                % {"name": name}
            )
        else:
            errors.append(
                _("责任人: “%(name)s” names %(n)s people; record the item on the page.")
                % {"name": name, "n": len(found)}
            )
        return None


def check(task_list: TaskList, data: bytes) -> ImportCheck:
    """Every row checked, nothing written."""
    max_bytes = int(getattr(settings, "XIANFENG_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
    try:
        header, raw_rows = read_first_sheet(data, max_bytes=max_bytes, read=_read, error=WorkbookError)
    except WorkbookError as exc:
        return ImportCheck(rows=[], error=str(exc))
    if not raw_rows:
        return ImportCheck(rows=[], error=_("The workbook has no rows below the header."))
    lookup = _Lookup(task_list.org)
    used_numbers: set[int] = set(
        TaskItem.objects.filter(task_list=task_list).values_list("number", flat=True)
    )
    results = []
    for number, cells in raw_rows:

        def cell(name: str, cells: tuple[Any, ...] = cells) -> Any:
            index = header.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        def text(name: str) -> str:
            value = cell(name)
            return str(value).strip() if value is not None else ""

        errors: list[str] = []
        title = text("重点任务")
        if not title:
            errors.append(_("重点任务 is empty."))
        lead_name = text("牵头单位")
        lead = lookup.org(lead_name, errors, "牵头单位") if lead_name else None
        if not lead_name:
            errors.append(_("牵头单位 is empty."))
        person = lookup.person(text("责任人"), errors) if text("责任人") else None
        collaborators = [
            org
            for name in _SPLIT.split(text("配合单位"))
            if name.strip() and (org := lookup.org(name.strip(), errors, "配合单位")) is not None
        ]
        deadline = parse_date(cell("完成时限"))
        if deadline is None:
            errors.append(_("完成时限 “%(value)s” is not a date.") % {"value": text("完成时限")})
        elif deadline < task_list.issued_on:
            errors.append(
                _("完成时限 %(deadline)s is before the list's issue date %(issued)s.")
                % {"deadline": deadline.isoformat(), "issued": task_list.issued_on.isoformat()}
            )
        milestones = []
        for part in _MILESTONES.split(text("节点")):
            part = part.strip()
            if not part:
                continue
            day_text, _sep, step = part.partition(" ")
            day = parse_date(day_text)
            if day is None or not step.strip():
                errors.append(_("节点 “%(value)s”: write a date, a space and the step.") % {"value": part})
            else:
                milestones.append(services.MilestoneIn(title=step.strip(), due=day))
        item_number = None
        raw_number = cell("序号")
        if raw_number not in (None, ""):
            try:
                item_number = int(str(raw_number).strip().rstrip("."))
            except ValueError:
                errors.append(_("序号 “%(value)s” is not a whole number.") % {"value": raw_number})
            else:
                if item_number in used_numbers or not 0 < item_number < 32767:
                    errors.append(_("序号 %(n)s is already used in this list.") % {"n": item_number})
                used_numbers.add(item_number)
        result = RowResult(row=number, title=title, errors=errors)
        if not errors and lead is not None and deadline is not None:
            result.data = services.ItemIn(
                title=title,
                lead_org=lead,
                deadline=deadline,
                lead_person=person,
                category=text("类别"),
                collaborators=collaborators,
                acceptance=text("验收标准"),
                milestones=milestones,
                number=item_number,
            )
            extra = services.tasks.item_errors(task_list, result.data)
            result.errors.extend(extra.values())
        results.append(result)
    return ImportCheck(rows=results)


def import_items(*, actor: Any, task_list: TaskList, data: bytes) -> tuple[ImportCheck, list[TaskItem]]:
    """Check every row; write all of them in one transaction, or none."""
    result = check(task_list, data)
    if not result.ok:
        return result, []
    rows = [r.data for r in result.rows if r.data is not None]
    # Numbered rows keep their number; the others follow the list's last number in file order.
    numbered = {d.number for d in rows if d.number}
    last = max(
        [*numbered, *TaskItem.objects.filter(task_list=task_list).values_list("number", flat=True)], default=0
    )
    for data_row in rows:
        if not data_row.number:
            last += 1
            data_row.number = last
    return result, services.items_import(actor=actor, task_list=task_list, rows=rows)


def _sheet(title: str) -> tuple[Workbook, Any]:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = title[:31]
    return book, sheet


def _header(sheet: Any, names: tuple[str, ...]) -> None:
    sheet.append(list(names))
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="C8161D")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    widths = {"重点任务": 48, "验收标准": 30, "节点": 30, "回音": 40, "牵头单位": 22, "配合单位": 22}
    for index, name in enumerate(names, 1):
        sheet.column_dimensions[sheet.cell(1, index).column_letter].width = widths.get(name, 12)
    sheet.freeze_panes = "A2"


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template() -> bytes:
    book, sheet = _sheet("重点任务")
    _header(sheet, COLUMNS)
    sheet.append(
        [
            1,
            "党风廉政建设",
            "支委会专题研究党风廉政建设工作不少于2次",
            "XX党支部",
            "张三",
            "",
            "2026-12-31",
            "会议记录",
            "2026-06-30 完成第1次",
        ]
    )
    return _bytes(book)


def export_items(*, actor: Any, task_list: TaskList, items: list[TaskItem]) -> bytes:
    """The list's items the actor sees, with status and response; the export is audited."""
    book, sheet = _sheet(task_list.title)
    _header(sheet, COLUMNS + EXPORT_EXTRA)
    for item in items:
        sheet.append(
            [
                item.number,
                item.category.name if item.category else "",
                item.title,
                item.lead_org.name,
                item.lead_person.name if item.lead_person else "",
                "、".join(o.name for o in item.collaborators.all()),
                item.deadline,
                item.acceptance,
                "；".join(f"{m.due.isoformat()} {m.title}" for m in item.milestones.all()),
                str(item.get_status_display()),
                item.percent,
                item.response,
            ]
        )
        sheet.cell(sheet.max_row, COLUMNS.index("完成时限") + 1).number_format = "yyyy-mm-dd"
    audit.record(
        actor=actor,
        action="export.supervision_items",
        target=task_list,
        org=task_list.org,
        after=audit.Snapshot(items=len(items)),
        target_repr=str(task_list),
    )
    return _bytes(book)


RECTIFICATION_COLUMNS = (
    "批次",
    "来源",
    "序号",
    "问题",
    "类别",
    "责任单位",
    "责任人",
    "整改措施",
    "立行立改",
    "完成时限",
    "状态",
    "佐证",
    "验收日期",
    "验收意见",
)


def export_rectifications(*, actor: Any, org: Org, rows: list[Any]) -> bytes:
    """The register as shown (the caller's filters, states as of today); the export is audited."""
    book, sheet = _sheet("整改台账")
    _header(sheet, RECTIFICATION_COLUMNS)
    for r in rows:
        sheet.append(
            [
                r.batch.title,
                str(r.batch.get_source_display()),
                r.number,
                r.problem,
                str(r.get_category_display()),
                r.responsible_org.name,
                r.responsible_person.name if r.responsible_person else "",
                r.measures,
                "是" if r.immediate else "",
                r.deadline,
                str(r.state_label),
                r.evidence,
                r.verified_on,
                r.verification_note,
            ]
        )
        for column in ("完成时限", "验收日期"):
            sheet.cell(sheet.max_row, RECTIFICATION_COLUMNS.index(column) + 1).number_format = "yyyy-mm-dd"
    audit.record(
        actor=actor,
        action="export.rectifications",
        org=org,
        after=audit.Snapshot(rows=len(rows)),
        target_repr=org.name,
    )
    return _bytes(book)
