"""Development documents as .docx: the publicity notices (公示) of candidates and of people to be accepted
as probationary members, the conversion notice of one member, and a person's checklist of materials.

Layout: the GB/T 9704 body profile of activities.documents (DOCUMENTS.md §2.1): A4, margins 37/35/28/26
mm, title 2号 小标宋 centred, body 3号 仿宋 with labels in 黑体, exact 28.95 pt lines, page numbers
"— n —" (odd pages right, even left); tables in 五号. Chinese fonts are set on w:eastAsia. The org's
name and the date sign the notice, right-aligned four characters in. Nothing is invented: a date not
recorded reads 【待补充】, highlighted, and so do the contact phone and address unless given. No ID
numbers, phones or addresses of the people appear.

The publicity period is `ruleset.publicity_working_days()` working days (XIANFENG_DEV_PUBLICITY_WORKING_DAYS,
5) from the first working day on or after the start date. Working days are those of the State Council's
holiday calendar (the `chinesecalendar` package, adjusted working weekends included) when that package
is installed and covers the year, otherwise Monday to Friday.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import models
from django.utils import timezone
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph

from xianfeng.activities.documents import (
    BODY_FONT,
    BODY_SIZE,
    GAP,
    LABEL_FONT,
    LATIN_FONT,
    LINE_SPACING,
    MARGINS_MM,
    PAGE_NUMBER_FONT,
    PAGE_NUMBER_SIZE,
    TITLE_FONT,
    TITLE_SIZE,
    set_fonts,
)
from xianfeng.development.checks import done, probation_end
from xianfeng.development.models import DevelopmentStep
from xianfeng.development.ruleset import publicity_working_days
from xianfeng.development.steps import BY_CODE, Decision, Stage
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.ethnicity import ETHNICITY_CHOICES
from xianfeng.people.imports import EDUCATION_NAMES, GENDER_NAMES, STATUS_NAMES
from xianfeng.people.models import Membership

try:  # optional: the official holiday calendar (adjusted working weekends included)
    import chinese_calendar
except ImportError:  # pragma: no cover - depends on the installation
    chinese_calendar = None

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
TABLE_SIZE = Pt(10.5)  # 五号
INDENT = Pt(32)  # two characters of 3号
SIGNATURE_INDENT = Pt(64)  # 右空四字
ETHNICITY_NAMES: dict[str, str] = dict(ETHNICITY_CHOICES)
GENDERS: dict[str, str] = {str(k): v for k, v in GENDER_NAMES.items()}
EDUCATIONS: dict[str, str] = {str(k): v for k, v in EDUCATION_NAMES.items()}
Part = str | None  # a piece of a sentence; None is a gap (【待补充】)


class PublicityKind(models.TextChoices):
    CANDIDATE = "candidate", "发展对象公示"
    ACCEPTANCE = "acceptance", "拟接收预备党员公示"


# --- Working days --------------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    if chinese_calendar is not None:
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:  # a year the installed calendar does not cover yet
            pass
    return day.weekday() < 5


def publicity_period(start: dt.date, days: int | None = None) -> tuple[dt.date, dt.date]:
    """The first and last day of a publicity of `days` working days beginning on or after `start`."""
    days = publicity_working_days() if days is None else days
    first = start
    while not is_working_day(first):
        first += dt.timedelta(days=1)
    last, counted = first, 1
    while counted < days:
        last += dt.timedelta(days=1)
        counted += is_working_day(last)
    return first, last


# --- Layout --------------------------------------------------------------------------------------


def day_text(day: dt.date | None) -> str:
    """2026年3月5日: no zero padding (GB/T 9704); "" for no date."""
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


def month_text(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月" if day else ""


def _page_number(footer: Any, align: Any) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    for text in ("— ", None, " —"):
        run = paragraph.add_run(text or "")
        set_fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
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


def _document() -> Any:
    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, BODY_SIZE
    fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)
    return document


def _paragraph(
    document: Any, parts: Sequence[Part] = (), *, indent: bool = True, align: Any = None
) -> Paragraph:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, LINE_SPACING
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = INDENT
    if align is not None:
        paragraph.alignment = align
    _add(paragraph, parts, BODY_SIZE)
    return paragraph


def _add(paragraph: Paragraph, parts: Iterable[Part], size: Pt, font: str = BODY_FONT) -> None:
    for part in parts:
        run = paragraph.add_run(GAP if part is None else part)
        if part is None:
            run.font.highlight_color = WD_COLOR_INDEX.YELLOW
        set_fonts(run, font, size)


def _title(document: Any, text: str) -> None:
    title = _paragraph(document, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_fonts(title.add_run(text), TITLE_FONT, TITLE_SIZE)
    _paragraph(document, indent=False)


def _field(document: Any, label: str, value: Part) -> None:
    paragraph = _paragraph(document)
    set_fonts(paragraph.add_run(f"{label}："), LABEL_FONT, BODY_SIZE)
    _add(paragraph, [value or None], BODY_SIZE)


def _table(
    document: Any, headers: Sequence[str], rows: Iterable[Sequence[Part]], widths_mm: Sequence[int]
) -> None:
    """A grid table in 五号 across the 156 mm type area, headers in 黑体."""
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.autofit = False
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        set_fonts(cell.paragraphs[0].add_run(header), LABEL_FONT, TABLE_SIZE)
    for row in rows:
        for cell, value in zip(table.add_row().cells, row, strict=True):
            cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
            _add(cell.paragraphs[0], [value], TABLE_SIZE)
    for column, width in zip(table.columns, widths_mm, strict=True):
        column.width = Mm(width)  # w:gridCol, read by LibreOffice and WPS
        for cell in column.cells:  # w:tcW, read by Word
            cell.width = Mm(width)


def _signature(document: Any, org_name: str, day: dt.date) -> None:
    _paragraph(document, indent=False)
    for text in (org_name, day_text(day)):
        paragraph = _paragraph(document, [text], indent=False, align=WD_ALIGN_PARAGRAPH.RIGHT)
        paragraph.paragraph_format.right_indent = SIGNATURE_INDENT


def _bytes(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _publicity_block(document: Any, org_name: str, start: dt.date, phone: str, address: str) -> None:
    first, last = publicity_period(start)
    days = publicity_working_days()
    _paragraph(document, [f"公示时间：{day_text(first)}至{day_text(last)}（{days}个工作日）。"])
    _paragraph(
        document,
        [
            f"公示期间，党员和群众可通过来电、来信、来访等方式，向{org_name}或上级党委组织部门反映公示对象的"
            "情况和问题。反映问题应实事求是，以个人名义反映的请署真实姓名，以单位名义反映的请加盖公章。"
        ],
    )
    _field(document, "联系电话", phone.strip())
    _field(document, "联系地址", address.strip())


# --- People --------------------------------------------------------------------------------------


def _post(person: Any) -> str:
    return " ".join(p for p in (person.business_unit, person.department, person.job_post) if p)


def _names(memberships: Sequence[Any]) -> str:
    first = memberships[0].person.name
    return f"{first}同志" if len(memberships) == 1 else f"{first}等{len(memberships)}名同志"


def _last(steps: Sequence[Any], code: str) -> dt.date | None:
    found = done(steps, code)
    return found[-1].date if found else None


def _steps_of(memberships: Sequence[Any]) -> dict[int, list[DevelopmentStep]]:
    """The valid steps of each person, oldest first: one query."""
    out: dict[int, list[DevelopmentStep]] = {m.pk: [] for m in memberships}
    rows = DevelopmentStep.objects.valid().filter(membership__in=[m.pk for m in memberships])
    for row in rows.order_by("date", "pk"):
        out[row.membership_id].append(row)
    return out


def publicity_notice(
    org: Org,
    memberships: Iterable[Membership],
    kind: str,
    start_date: dt.date,
    *,
    phone: str = "",
    address: str = "",
) -> bytes:
    """The publicity notice of `org` for candidates (发展对象公示) or for people to be accepted as
    probationary members (拟接收预备党员公示), the publicity beginning on `start_date`."""
    kind = PublicityKind(kind)
    given = [m.pk for m in memberships]
    loaded = Membership.objects.select_related("person", "org").in_bulk(given)
    people = [loaded[pk] for pk in dict.fromkeys(given)]
    if not people:
        raise ValueError("A publicity notice lists at least one person.")
    if any(not m.org.path.startswith(org.path) for m in people):
        raise ValueError("Everyone on the notice belongs to the org or below it.")
    steps = _steps_of(people)
    document = _document()
    if kind == PublicityKind.CANDIDATE:
        _title(document, f"关于拟将{_names(people)}列为发展对象的公示")
        intro = "根据《中国共产党发展党员工作细则》和有关规定，经党支部委员会研究，拟将下列同志列为发展对象，现予以公示。"
    else:
        _title(document, f"关于拟接收{_names(people)}为中共预备党员的公示")
        intro = (
            "根据《中国共产党发展党员工作细则》和有关规定，下列同志经党支部大会讨论通过，拟接收为中共预备党员，"
            "在报上级党委审批前，现予以公示。"
        )
    _paragraph(document, [intro])
    headers = ["姓名", "性别", "出生年月", "民族", "学历", "工作单位及职务"]
    headers += ["申请入党时间", "确定为入党积极分子时间", "确定为发展对象时间"]
    widths = [15, 9, 17, 12, 15, 25, 21, 21, 21]  # 156 mm
    if kind == PublicityKind.ACCEPTANCE:
        headers.append("支部大会讨论通过时间")
        widths = [14, 8, 15, 11, 14, 22, 18, 18, 18, 18]
    rows = []
    for m in people:
        p = m.person
        row: list[Part] = [
            p.name,
            GENDERS.get(p.gender, ""),
            month_text(p.birth_date),
            ETHNICITY_NAMES.get(p.ethnicity, ""),
            EDUCATIONS.get(p.education, ""),
            _post(p),
            day_text(m.application_date) or None,
            day_text(m.activist_date) or None,
            day_text(m.candidate_date) or None,
        ]
        if kind == PublicityKind.ACCEPTANCE:
            row.append(day_text(_last(steps[m.pk], "acceptance_meeting") or m.admission_date) or None)
        rows.append(row)
    _table(document, headers, rows, widths)
    _publicity_block(document, org.name, start_date, phone, address)
    _signature(document, org.name, start_date)
    return _bytes(document)


def conversion_notice(
    membership: Membership, start_date: dt.date | None = None, *, phone: str = "", address: str = ""
) -> bytes:
    """The publicity notice (预备党员转正公示) before the branch general meeting discusses the conversion of
    one probationary member, the publicity beginning on `start_date` (today by default)."""
    start_date = start_date or timezone.localdate()
    steps = _steps_of([membership])[membership.pk]
    person, org = membership.person, membership.org
    end = probation_end(membership, steps)
    document = _document()
    _title(document, f"关于{person.name}同志预备党员转正的公示")
    facts: list[Part] = [
        f"{person.name}，{GENDERS.get(person.gender, '')}，{ETHNICITY_NAMES.get(person.ethnicity, '')}，"
        f"{month_text(person.birth_date)}出生",
    ]
    if person.education:
        facts.append(f"，{EDUCATIONS.get(person.education, '')}学历")
    if _post(person):
        facts.append(f"，{_post(person)}")
    facts.append("。")
    _paragraph(document, facts)
    history: list[Part] = []
    for day, text in (
        (membership.application_date, "递交入党申请书，"),
        (membership.activist_date, "被确定为入党积极分子，"),
        (membership.candidate_date, "被确定为发展对象，"),
        (
            _last(steps, "acceptance_meeting") or membership.admission_date,
            "经党支部大会讨论通过接收为预备党员，",
        ),
        (_last(steps, "approval"), "经上级党委审批同意，"),
    ):
        history += [day_text(day) or None, text]
    extensions = [s for s in done(steps, "conversion_meeting") if s.decision == Decision.EXTENDED]
    for step in extensions:
        history += [day_text(step.date), f"经党支部大会讨论决定延长预备期{step.extension_months or ''}个月，"]
    history += ["预备期至", day_text(end) or None, "止。"]
    application = _last(steps, "conversion_application")
    history += ["本人于", day_text(application) or None, "提出转正申请。"]
    _paragraph(document, history)
    _paragraph(
        document,
        [
            "根据《中国共产党章程》和《中国共产党发展党员工作细则》有关规定，经党支部委员会审查，"
            f"拟提交党支部大会讨论{person.name}同志转为中共正式党员的问题，现予以公示。"
        ],
    )
    _publicity_block(document, org.name, start_date, phone, address)
    _signature(document, org.name, start_date)
    return _bytes(document)


# --- The checklist of materials -------------------------------------------------------------------

# (step code, material); in the order of the 25 steps
MATERIALS: tuple[tuple[str, str], ...] = (
    ("application", "入党申请书"),
    ("talk", "党组织派人谈话记录"),
    ("activist_filed", "确定入党积极分子的支部委员会意见及上级党委备案材料"),
    ("contacts", "指定培养联系人及培养教育记录"),
    ("activist_review", "入党积极分子考察材料（每半年一次）"),
    ("candidate_filed", "确定发展对象的支部委员会意见及上级党委备案材料"),
    ("sponsors", "入党介绍人意见"),
    ("political_review", "政治审查结论性材料"),
    ("training", "集中培训结业证明"),
    ("committee_check", "支部委员会审查意见"),
    ("pre_review", "上级党委预审意见"),
    ("volunteer_form", "入党志愿书"),
    ("acceptance_meeting", "支部大会接收预备党员决议"),
    ("higher_talk", "上级党委派人谈话记录"),
    ("approval", "上级党委审批意见"),
    ("oath", "入党宣誓材料"),
    ("probation_review", "预备期教育考察材料"),
    ("conversion_application", "转正申请书"),
    ("conversion_meeting", "支部大会转正决议"),
    ("conversion_approval", "上级党委转正审批意见"),
)
STAGE_NAMES = {
    Stage.APPLICATION: "入党申请",
    Stage.ACTIVIST: "入党积极分子的确定和培养教育",
    Stage.CANDIDATE: "发展对象的确定和考察",
    Stage.ACCEPTANCE: "预备党员的接收",
    Stage.PROBATION: "预备党员的教育考察和转正",
}
# the last step every person of a status has gone through, whatever was recorded
REACHED_BY_STATUS = {
    PoliticalStatus.APPLICANT: 1,
    PoliticalStatus.ACTIVIST: 3,
    PoliticalStatus.CANDIDATE: 7,
    PoliticalStatus.PROBATIONARY: 17,
    PoliticalStatus.FULL: 24,
}
PRESENT, MISSING, NOT_YET = "已具备", "缺", "尚未到该阶段"


def checklist_rows(membership: Any, steps: Sequence[Any]) -> list[tuple[str, str, str, str, str]]:
    """(stage, material, 已具备/缺, dates, remark) for each material, from the person's valid steps: a
    material is expected once the person has gone past its step (by status or by a later step)."""
    recorded = [BY_CODE[s.step].number for s in steps if not s.voided and s.step in BY_CODE]
    reached = max([REACHED_BY_STATUS.get(membership.status, 0), *recorded])
    rows = []
    for code, material in MATERIALS:
        step = BY_CODE[code]
        dates = [s.date for s in done(steps, code)]
        if dates:
            shown = dates if step.repeatable else dates[-1:]
            remark = f"共{len(dates)}次" if step.repeatable else ""
            rows.append((STAGE_NAMES[step.stage], material, PRESENT, "、".join(map(day_text, shown)), remark))
        else:
            remark = "" if step.number <= reached else NOT_YET
            rows.append((STAGE_NAMES[step.stage], material, MISSING, "", remark))
    return rows


def materials_checklist(membership: Membership, today: dt.date | None = None) -> bytes:
    """The checklist of a person's development file (入党材料清单): each material present with the date of
    its step, or missing."""
    today = today or timezone.localdate()
    steps = _steps_of([membership])[membership.pk]
    rows = checklist_rows(membership, steps)
    document = _document()
    _title(document, f"{membership.person.name}同志入党材料清单")
    _field(document, "姓名", membership.person.name)
    _field(document, "所在党组织", membership.org.name)
    _field(document, "当前身份", STATUS_NAMES.get(PoliticalStatus(membership.status), ""))
    _field(document, "清单日期", day_text(today))
    table_rows = [(str(n), *row) for n, row in enumerate(rows, start=1)]
    headers = ["序号", "阶段", "材料名称", "状态", "日期", "备注"]
    _table(document, headers, table_rows, [11, 30, 52, 13, 30, 20])
    present = sum(row[2] == PRESENT for row in rows)
    not_yet = sum(row[4] == NOT_YET for row in rows)
    missing = len(rows) - present - not_yet
    _paragraph(document, [f"共{len(rows)}项：已具备{present}项，缺{missing}项，尚未到该阶段{not_yet}项。"])
    return _bytes(document)
