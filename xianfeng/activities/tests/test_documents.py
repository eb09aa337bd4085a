"""The meeting record .docx (DOCUMENTS.md §2.4 fields, GB/T 9704 body profile), read back with python-docx."""

import io

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt

from xianfeng.activities import documents, services
from xianfeng.activities.tests.test_services_plan import at, days_ago, plan, secretary
from xianfeng.core.models import AuditEvent
from xianfeng.testing import make_member


@pytest.fixture
def record(world):
    secretary(world)
    guest = make_member(world.branch_b, name="列席人").person
    meeting = plan(world, start=at(days_ago(2), 14, 30), place="三楼会议室")
    services.attendance_set(
        actor=world.alice, activity=meeting, person=world.member_a.person, status="present"
    )
    services.attendance_set(
        actor=world.alice,
        activity=meeting,
        person=world.dang_membership.person,
        status="leave",
        reason="出差",
    )
    services.attendance_set(actor=world.alice, activity=meeting, person=guest, status="guest")
    services.agenda_item_add(
        actor=world.alice,
        activity=meeting,
        topic="学习党的二十届三中全会精神",
        first_item=True,
        tags=["ideology"],
    )
    services.agenda_item_add(
        actor=world.alice, activity=meeting, topic="讨论年度预算", major_matter="fund", prior_study=True
    )
    services.activity_record_held(
        actor=world.alice,
        activity=meeting,
        held_start=at(days_ago(2), 14, 30),
        held_end=at(days_ago(2), 16, 5),
        host=world.member_a.person,
        minutes="张三：传达会议精神。\n与会党员逐一发言。",
    )
    services.decision_add(
        actor=world.alice,
        activity=meeting,
        text="开展专题学习",
        owner=world.member_a.person,
        deadline=days_ago(0),
    )
    meeting.refresh_from_db()
    return meeting


def read(activity):
    return Document(io.BytesIO(documents.meeting_record_docx(activity)))


def text_of(document):
    return "\n".join(p.text for p in document.paragraphs)


def east_asia(run):
    return run._element.rPr.rFonts.get(qn("w:eastAsia"))


def test_it_has_every_field_of_a_meeting_record(world, record):
    document = read(record)
    text = text_of(document)
    day = days_ago(2)
    assert document.paragraphs[0].text == "变电运维一班党支部支部党员大会记录"
    assert f"时间：{day.year}年{day.month}月{day.day}日 14:30—16:05" in text
    assert "地点：三楼会议室" in text
    assert "主持人：张三" in text
    assert "应到人数：2人　实到人数：1人" in text
    assert "有表决权党员：应到2人，实到1人" in text
    assert "缺席人员及原因：王党员（请假：出差）" in text
    assert "列席人员：列席人" in text
    assert "法定人数：有表决权的党员到会半数以上" in text and "会议有效" in text
    assert "1. 学习党的二十届三中全会精神（第一议题）" in text
    assert "2. 讨论年度预算（“三重一大”：大额资金使用；已前置研究）" in text
    assert "张三：传达会议精神。" in text and "与会党员逐一发言。" in text
    today = days_ago(0)
    assert f"1. 开展专题学习（责任人：张三；时限：{today.year}年{today.month}月{today.day}日）" in text
    assert "主持人（签字）" in text and "记录人（签字）" in text


def test_a_missing_field_is_marked_to_be_completed_not_invented(world):
    meeting = plan(world)
    document = read(meeting)
    recorder = next(p for p in document.paragraphs if p.text.startswith("记录人："))
    assert recorder.text == "记录人：【待补充】"
    assert recorder.runs[-1].font.highlight_color is not None


def test_the_layout_is_the_gb_t_9704_body_profile(world, record):
    document = read(record)
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4, stored in twips
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(round(m.mm) for m in margins) == (37, 35, 28, 26)
    title = document.paragraphs[0]
    assert title.alignment == WD_ALIGN_PARAGRAPH.CENTER
    assert title.runs[0].font.size == Pt(22)
    assert east_asia(title.runs[0]) == "方正小标宋简体"
    body = next(p for p in document.paragraphs if p.text.startswith("地点："))
    label, value = body.runs[0], body.runs[1]
    assert (east_asia(label), label.font.size) == ("黑体", Pt(16))
    assert (east_asia(value), value.font.size, value.font.name) == ("仿宋_GB2312", Pt(16), "Times New Roman")
    assert body.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert body.paragraph_format.line_spacing == Pt(28.95)
    assert body.paragraph_format.first_line_indent == Pt(32)
    normal = document.styles["Normal"].element.rPr.rFonts
    assert normal.get(qn("w:eastAsia")) == "仿宋_GB2312"


def test_page_numbers_on_odd_and_even_pages(world, record):
    document = read(record)
    section = document.sections[0]
    assert document.settings.odd_and_even_pages_header_footer
    odd, even = section.footer.paragraphs[0], section.even_page_footer.paragraphs[0]
    assert (odd.alignment, even.alignment) == (WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT)
    assert "PAGE" in odd._element.xml and "— " in odd.text and " —" in odd.text


def test_the_export_is_audited(world, record):
    documents.meeting_record_export(actor=world.bob, activity=record)
    event = AuditEvent.objects.get(action="export.meeting_record")
    assert (event.actor, event.target_id) == (world.bob, str(record.code))


def test_the_file_name_names_the_day_the_org_and_the_kind(world, record):
    name = documents.meeting_record_filename(record)
    assert name == f"{days_ago(2).isoformat()} 变电运维一班党支部支部党员大会记录.docx"
