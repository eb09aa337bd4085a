"""The 整改通知单: GB/T 9704 body profile, the problems in a table, nothing invented."""

from __future__ import annotations

import io

from docx import Document
from docx.oxml.ns import qn

from xianfeng.supervision import documents
from xianfeng.supervision.tests.helpers import batch, rectification


def test_the_notice_layout_and_content(world):
    b = batch(world)
    first = rectification(world, b)
    second = rectification(
        world, b, responsible_person=None, immediate=True, deadline=None, category="discipline"
    )
    doc = Document(io.BytesIO(documents.rectification_notice(b, [first, second])))
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "整改通知单" in text and "立行立改问题1个" in text and world.committee.name in text
    table = doc.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "问题", "类别", "责任单位", "责任人", "完成时限"]
    assert table.rows[2].cells[4].text == "【待补充】"  # no person named: a gap, not a guess
    assert "立行立改" in table.rows[2].cells[5].text
    fonts = {
        r.element.rPr.rFonts.get(qn("w:eastAsia")) for p in doc.paragraphs for r in p.runs if r.text.strip()
    }
    assert "仿宋_GB2312" in fonts


def test_a_notice_for_one_org_names_only_it(world):
    b = batch(world)
    item = rectification(world, b)
    doc = Document(io.BytesIO(documents.rectification_notice(b, [item], to=world.branch_a)))
    assert doc.paragraphs[2].text.startswith(world.branch_a.name)
