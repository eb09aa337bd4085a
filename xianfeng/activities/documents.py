"""The meeting record (会议记录) of an activity as a .docx, in the GB/T 9704 body profile.

Fields follow DOCUMENTS.md §2.4: 时间, 地点, 主持人, 记录人, 应到/实到/缺席及原因 (and, for meetings with
a vote, 有表决权党员应到/实到), 列席, 议题, 内容, 决议 with 责任人 and 时限, then the signatures.
Layout (DOCUMENTS.md §2.1, §4): A4; margins top 37, bottom 35, left 28, right 26 mm; title 2号 (22 pt)
小标宋, centred; body 3号 (16 pt) 仿宋 with labels in 3号 黑体; exact line spacing 28.95 pt; page
numbers "— n —" in 4号 宋体, odd pages right, even pages left. Chinese fonts are set on w:eastAsia
(python-docx only writes w:ascii/w:hAnsi). Nothing is invented: an empty field reads 【待补充】, highlighted.
The document is a Chinese official form, so its fixed wording is Chinese, not translated.
"""

from __future__ import annotations

import io
from typing import Any

from django.db import transaction
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from docx.text.run import Run

from xianfeng.activities import selectors
from xianfeng.activities.choices import AttendanceStatus, MajorMatter, Quorum
from xianfeng.activities.models import Activity
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require

TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
LABEL_FONT = "黑体"
PAGE_NUMBER_FONT = "宋体"
LATIN_FONT = "Times New Roman"
TITLE_SIZE = Pt(22)  # 2号
BODY_SIZE = Pt(16)  # 3号
PAGE_NUMBER_SIZE = Pt(14)  # 4号
LINE_SPACING = Pt(28.95)  # 22 lines in the 225 mm type area
MARGINS_MM = {"top": 37, "bottom": 35, "left": 28, "right": 26}
GAP = "【待补充】"

QUORUM_TEXT: dict[str, str] = {
    Quorum.BRANCH_GENERAL_MEETING: "有表决权的党员到会半数以上（《中国共产党支部工作条例（试行）》第十一条）",
    Quorum.BRANCH_COMMITTEE: "委员到会半数以上（《中国共产党支部工作条例（试行）》第十二条）",
    Quorum.ADMISSION_MEETING: "有表决权的党员到会超过半数（《中国共产党发展党员工作细则》第二十条）",
    Quorum.ELECTION: "应到会选举人超过五分之四到会（《中国共产党基层组织选举工作条例》）",
    Quorum.LEADERSHIP_LIFE_MEETING: "应到会人员三分之二以上到会（民主生活会规定）",
}
MAJOR_MATTER_TEXT: dict[str, str] = {
    MajorMatter.DECISION: "重大决策",
    MajorMatter.APPOINTMENT: "重要干部任免",
    MajorMatter.PROJECT: "重大项目安排",
    MajorMatter.FUND: "大额资金使用",
}


def set_fonts(run: Run, east_asia: str, size: Pt, *, bold: bool = False) -> None:
    """Latin text in Times New Roman, Chinese in `east_asia` (w:eastAsia), at `size`."""
    run.font.name = LATIN_FONT
    run.font.size = size
    run.font.bold = bold
    r_pr = run._element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


def _paragraph(document: Any, *, indent: bool = True, align: Any = None) -> Paragraph:
    paragraph = document.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = LINE_SPACING
    fmt.space_before = fmt.space_after = Pt(0)
    if indent:
        fmt.first_line_indent = Pt(32)  # two characters of 3号
    if align is not None:
        paragraph.alignment = align
    return paragraph


def _text(paragraph: Paragraph, text: str, font: str = BODY_FONT) -> None:
    if text == GAP or not text:
        run = paragraph.add_run(GAP)
        run.font.highlight_color = WD_COLOR_INDEX.YELLOW
    else:
        run = paragraph.add_run(text)
    set_fonts(run, font, BODY_SIZE)


def _field(document: Any, label: str, value: str) -> Paragraph:
    paragraph = _paragraph(document)
    set_fonts(paragraph.add_run(f"{label}："), LABEL_FONT, BODY_SIZE)
    _text(paragraph, value)
    return paragraph


def _date_text(activity: Activity) -> str:
    """2026年3月14日 14:30—16:00 (no zero padding of month and day, GB/T 9704)."""
    start = timezone.localtime(activity.held_start or activity.planned_start)
    end_value = activity.held_end if activity.held_start else activity.planned_end
    text = f"{start.year}年{start.month}月{start.day}日 {start:%H:%M}"
    if end_value is not None:
        end = timezone.localtime(end_value)
        text += (
            f"—{end:%H:%M}"
            if end.date() == start.date()
            else f"—{end.year}年{end.month}月{end.day}日 {end:%H:%M}"
        )
    return text


def _day_text(day: Any) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _page_number_footer(footer: Any, align: Any) -> None:
    paragraph = footer.paragraphs[0]
    paragraph.alignment = align
    for text, field in (("— ", False), ("PAGE", True), (" —", False)):
        run = paragraph.add_run()
        set_fonts(run, PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
        if field:
            for kind, value in (("begin", None), ("instr", " PAGE "), ("end", None)):
                if kind == "instr":
                    instr = OxmlElement("w:instrText")
                    instr.set(qn("xml:space"), "preserve")
                    instr.text = value
                    run._element.append(instr)
                else:
                    char = OxmlElement("w:fldChar")
                    char.set(qn("w:fldCharType"), kind)
                    run._element.append(char)
        else:
            run.text = text


def _layout(document: Any) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = LATIN_FONT, BODY_SIZE
    r_pr = normal.element.get_or_add_rPr()
    fonts = r_pr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        r_pr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), BODY_FONT)
    document.settings.odd_and_even_pages_header_footer = True
    _page_number_footer(section.footer, WD_ALIGN_PARAGRAPH.RIGHT)  # odd pages: right
    _page_number_footer(section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)  # even pages: left


def meeting_record_docx(activity: Activity) -> bytes:
    """The .docx bytes of the activity's meeting record."""
    kind, org = activity.kind, activity.org
    rows = selectors.attendance_rows(activity)
    summary = selectors.attendance_summary(rows)
    verdict = selectors.quorum_verdict(activity, rows)
    document = Document()
    _layout(document)

    title = _paragraph(document, indent=False, align=WD_ALIGN_PARAGRAPH.CENTER)
    set_fonts(title.add_run(f"{org.name}{kind.name}记录"), TITLE_FONT, TITLE_SIZE)
    _paragraph(document, indent=False)  # a blank line below the title
    if activity.title and activity.title != kind.name:
        _field(document, "会议名称", activity.title)
    _field(document, "时间", _date_text(activity))
    _field(document, "地点", activity.place)
    _field(document, "主持人", activity.host.name if activity.host else "")
    _field(document, "记录人", activity.recorder.name if activity.recorder else "")
    if activity.lecturer is not None:
        _field(document, "授课人", activity.lecturer.name)
    if kind.has_attendance:
        _field(document, "应到人数", f"{summary.expected}人　实到人数：{summary.present}人")
        if verdict is not None and verdict.voting_only:
            _field(document, "有表决权党员", f"应到{verdict.expected}人，实到{verdict.present}人")
        missing = [
            f"{row.person.name}（{'请假' if row.status == AttendanceStatus.LEAVE else '缺席'}"
            f"{'：' + row.reason if row.reason else ''}）"
            for row in rows
            if row.status in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT)
        ]
        _field(document, "缺席人员及原因", "、".join(missing) or "无")
        guests = [row.person.name for row in rows if row.status == AttendanceStatus.GUEST]
        _field(document, "列席人员", "、".join(guests) or "无")
        if verdict is not None:
            result = "符合，会议有效" if verdict.met else "不符合，会议不能进行表决"
            _field(document, "法定人数", f"{QUORUM_TEXT.get(verdict.rule, verdict.label)}；{result}")

    items = list(activity.agenda.all())  # type: ignore[attr-defined]
    _field(document, "议题", "" if items else ("无" if not kind.has_agenda else ""))
    for number, item in enumerate(items, start=1):
        marks = []
        if item.first_item:
            marks.append("第一议题")
        if item.major_matter:
            marks.append(f"“三重一大”：{MAJOR_MATTER_TEXT.get(item.major_matter, item.major_matter)}")
            if item.prior_study:
                marks.append("已前置研究")
        _text(_paragraph(document), f"{number}. {item.topic}" + (f"（{'；'.join(marks)}）" if marks else ""))

    _field(document, "会议内容", "" if activity.minutes.strip() else GAP)
    for line in (line.strip() for line in activity.minutes.splitlines()):
        if line:
            _text(_paragraph(document), line)

    decisions = list(activity.decisions.select_related("owner"))  # type: ignore[attr-defined]
    _field(document, "决议", "" if decisions else "无")
    for number, decision in enumerate(decisions, start=1):
        extra = []
        if decision.owner is not None:
            extra.append(f"责任人：{decision.owner.name}")
        if decision.deadline is not None:
            extra.append(f"时限：{_day_text(decision.deadline)}")
        _text(
            _paragraph(document), f"{number}. {decision.text}" + (f"（{'；'.join(extra)}）" if extra else "")
        )

    _paragraph(document, indent=False)
    signatures = _paragraph(document)
    set_fonts(signatures.add_run("主持人（签字）：　　　　　　记录人（签字）："), LABEL_FONT, BODY_SIZE)

    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def meeting_record_filename(activity: Activity) -> str:
    day = timezone.localtime(activity.held_start or activity.planned_start).date()
    return f"{day.isoformat()} {activity.org.display_name}{activity.kind.name}记录.docx"


@transaction.atomic
def meeting_record_export(*, actor: Any, activity: Activity) -> bytes:
    """The record for a user who may see the org's activities; the download is audited (it names people)."""
    require(actor, Action.VIEW, activity.org)
    audit.record(actor=actor, action="export.meeting_record", target=activity, org=activity.org)
    return meeting_record_docx(activity)
