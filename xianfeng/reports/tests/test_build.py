"""Building a summary as a job: the stored document and its snapshot, the Word file read back in the
GB/T 9704 profile, the PDF's text, placeholders for missing data, and bad input failing visibly."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from xianfeng.core.models import AuditEvent
from xianfeng.reports import jobs, pdf, services
from xianfeng.reports.models import JobStatus, LayoutProfile, ReportJob, SummaryDocument, SummaryTemplate
from xianfeng.reports.tests.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


def build(world, org=None, year=YEAR, actor=None):
    job = services.summary_job_create(
        actor=actor or world.boss, org=org or world.committee, year=year, today=TODAY
    )
    return jobs.run(job.pk, today=TODAY)


def text_of(document: SummaryDocument) -> str:
    doc = Document(io.BytesIO(bytes(document.docx)))
    return "\n".join(p.text for p in doc.paragraphs)


class TestJob:
    def test_done_with_the_document_and_its_snapshot(self, records):
        job = build(records.world)
        assert job.status == JobStatus.DONE and job.progress == 100
        doc = job.document
        assert doc.title == "测试供电公司党委关于2025年度党建工作情况的总结"
        names = {f["name"] for f in doc.facts["facts"]}
        assert "activities.kind.party_committee_meeting" in names
        assert AuditEvent.objects.filter(action="reports.summary_build").count() == 1

    def test_the_figures_come_from_the_records(self, records):
        text = text_of(build(records.world).document)
        assert "全年召开党委会2次，研究议题4项，其中“三重一大”事项1项" in text
        assert "“第一议题”学习1项" in text
        assert "服务群众30人次，解决实际问题4项" in text
        assert "共有党员4名，其中正式党员3名、预备党员1名" in text

    def test_missing_data_reads_placeholder_highlighted(self, records):
        doc = Document(io.BytesIO(bytes(build(records.world).document.docx)))
        dues = next(p for p in doc.paragraphs if "应交党费" in p.text)
        assert "应交党费【待补充】元" in dues.text
        gaps = [r for r in dues.runs if r.text == "【待补充】"]
        assert gaps and all(r.font.highlight_color is not None for r in gaps)

    def test_checks_are_stored(self, records):
        checks = build(records.world).document.checks
        assert any(c["code"] == "placeholder" for c in checks)
        assert any(c["code"] == "partial" for c in checks)  # the meeting planned but never recorded
        assert not any(c["code"] == "section" for c in checks)

    def test_a_year_without_records_fails_visibly_without_a_document(self, records):
        job = build(records.world, year=2001)
        assert job.status == JobStatus.FAILED
        assert "没有任何可统计的记录" in job.error
        assert job.document is None and not SummaryDocument.objects.exists()

    def test_a_broken_profile_fails_the_job(self, records):
        LayoutProfile.objects.create(org=records.world.committee, data={"margins_mm": {"top": 500}})
        job = build(records.world)
        assert job.status == JobStatus.FAILED and "版式配置有误" in job.error and "top" in job.error
        assert not SummaryDocument.objects.exists()

    def test_an_unknown_fact_in_the_template_fails_the_job(self, records):
        SummaryTemplate.objects.create(
            org=records.world.committee,
            text="标题：总结\n召开党委会{{activities.kind.party_comittee_meeting}}次",
        )
        job = build(records.world)
        assert job.status == JobStatus.FAILED
        assert "未知的统计项“activities.kind.party_comittee_meeting”" in job.error
        assert "activities.kind.party_committee_meeting" in job.error  # the suggestion
        assert not SummaryDocument.objects.exists()

    def test_an_unexpected_error_fails_the_job_and_writes_nothing(self, records, monkeypatch):
        def boom(**kwargs):
            raise RuntimeError("disk full")

        monkeypatch.setattr("xianfeng.reports.docx_builder.build", boom)
        job = build(records.world)
        assert job.status == JobStatus.FAILED and "RuntimeError" in job.error
        assert not SummaryDocument.objects.exists()

    def test_a_job_runs_once(self, records):
        job = services.summary_job_create(
            actor=records.world.boss, org=records.world.committee, year=YEAR, today=TODAY
        )
        jobs.run(job.pk, today=TODAY)
        jobs.run(job.pk, today=TODAY)
        assert SummaryDocument.objects.count() == 1

    def test_a_second_request_while_one_is_queued_follows_it(self, records):
        first = services.summary_job_create(
            actor=records.world.boss, org=records.world.committee, year=YEAR, today=TODAY
        )
        again = services.summary_job_create(
            actor=records.world.boss, org=records.world.committee, year=YEAR, today=TODAY
        )
        assert again.pk == first.pk
        jobs.run(first.pk, today=TODAY)
        third = services.summary_job_create(
            actor=records.world.boss, org=records.world.committee, year=YEAR, today=TODAY
        )
        assert third.pk != first.pk  # once it has ended, a new build is a new job

    def test_the_command_runs_queued_jobs(self, records, settings):
        settings.XIANFENG_REPORTS_JOB_MODE = "command"
        job = services.summary_job_create(
            actor=records.world.boss, org=records.world.committee, year=YEAR, today=TODAY
        )
        jobs.dispatch(job)
        assert ReportJob.objects.get(pk=job.pk).status == JobStatus.QUEUED
        from django.core.management import call_command

        call_command("reports_run_jobs")
        assert ReportJob.objects.get(pk=job.pk).status == JobStatus.DONE


class TestAccess:
    def test_a_branch_admin_cannot_build_the_committees_summary(self, records):
        with pytest.raises(PermissionDenied):
            services.summary_job_create(
                actor=records.world.alice, org=records.world.committee, year=YEAR, today=TODAY
            )

    def test_a_branch_admin_builds_their_branchs(self, records):
        job = build(records.world, org=records.world.branch_a, actor=records.world.alice)
        assert job.status == JobStatus.DONE
        assert "主题党日2次" in text_of(job.document)

    def test_a_viewer_cannot_build(self, records):
        with pytest.raises(PermissionDenied):
            services.summary_job_create(
                actor=records.world.bob, org=records.world.branch_a, year=YEAR, today=TODAY
            )

    def test_a_year_out_of_range(self, records):
        with pytest.raises(ValidationError):
            services.summary_job_create(
                actor=records.world.boss, org=records.world.committee, year=1999, today=TODAY
            )


class TestWordLayout:
    """The document read back with python-docx has the profile's margins, fonts and sizes."""

    @pytest.fixture
    def doc(self, records):
        return Document(io.BytesIO(bytes(build(records.world).document.docx)))

    def test_page_and_margins(self, doc):
        s = doc.sections[0]
        mm = [round(v.mm, 1) for v in (s.page_width, s.page_height)]  # stored in twips
        assert mm == [210, 297]
        margins = [round(v.mm, 1) for v in (s.top_margin, s.bottom_margin, s.left_margin, s.right_margin)]
        assert margins == [37, 35, 28, 26]

    def test_title_2hao_xiaobiaosong_centred(self, doc):
        title = doc.paragraphs[0]
        run = title.runs[0]
        assert run.font.size == Pt(22)
        assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
        assert title.alignment == 1  # centre

    def test_body_3hao_fangsong_with_east_asian_font_and_exact_spacing(self, doc):
        body = next(p for p in doc.paragraphs if p.text.startswith("2025年，"))
        for run in body.runs:
            assert run.font.size == Pt(16)
            assert run._element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
            assert run.font.name == "Times New Roman"
        fmt = body.paragraph_format
        assert fmt.line_spacing == Pt(28.95) and fmt.line_spacing_rule == 4  # EXACTLY
        assert fmt.first_line_indent == Pt(32)

    def test_heading_fonts_and_numbering(self, doc):
        texts = {p.text: p for p in doc.paragraphs}
        h1 = texts["一、主要工作及成效"]
        assert h1.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "黑体"
        h2 = next(p for t, p in texts.items() if t.startswith("（一）加强政治建设"))
        assert h2.runs[0]._element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体_GB2312"
        assert any(t.startswith("1.党员队伍建设") for t in texts)
        assert "二、存在的问题" in texts and "三、下一步打算" in texts

    def test_line_grid_and_page_numbers(self, doc):
        grid = doc.sections[0]._sectPr.find(qn("w:docGrid"))
        assert grid.get(qn("w:linePitch")) == "579"
        footer = doc.sections[0].footer.paragraphs[0]
        xml = footer._p.xml
        assert "PAGE" in xml and footer.text.replace(" ", "") == "——"
        assert doc.settings.odd_and_even_pages_header_footer
        assert doc.sections[0].even_page_footer.paragraphs[0].alignment == 0  # left

    def test_appendix_tables(self, doc):
        assert doc.tables and doc.tables[0].rows[0].cells[0].text == "统计项"

    def test_a_unit_profile_changes_the_layout(self, records):
        services.profile_save(
            actor=records.world.boss,
            org=records.world.committee,
            text='{"margins_mm": {"top": 30, "left": 30}, "sizes_pt": {"body": 15}, "line_spacing_pt": 28}',
        )
        doc = Document(io.BytesIO(bytes(build(records.world).document.docx)))
        assert round(doc.sections[0].top_margin.mm, 1) == 30
        body = next(p for p in doc.paragraphs if p.text.startswith("2025年，"))
        assert body.runs[0].font.size == Pt(15)


class TestEditing:
    def test_editing_prose_keeps_figures_traceable(self, records):
        document = build(records.world).document
        block = next(b for b in document.blocks if "党委会{{" in b["source"])
        services.block_update(
            actor=records.world.boss,
            document=document,
            block_id=block["id"],
            source="全年共召开党委会{{activities.kind.party_committee_meeting}}次，决策科学民主。",
        )
        document.refresh_from_db()
        assert document.edited
        assert "全年共召开党委会2次，决策科学民主。" in text_of(document)

    def test_an_edit_naming_an_unknown_fact_is_refused(self, records):
        document = build(records.world).document
        with pytest.raises(ValidationError) as exc:
            services.block_update(
                actor=records.world.boss, document=document, block_id="b2", source="{{made.up}}次"
            )
        assert "made.up" in str(exc.value)

    def test_a_mistaken_term_is_flagged(self, records):
        document = build(records.world).document
        saved = services.block_update(
            actor=records.world.boss, document=document, block_id="b2", source="坚决做到二个维护。"
        )
        assert any(c["code"] == "term" and "两个维护" in c["message"] for c in saved.checks)

    def test_a_branch_admin_cannot_edit_the_committees(self, records):
        document = build(records.world).document
        with pytest.raises(PermissionDenied):
            services.block_update(actor=records.world.alice, document=document, block_id="b2", source="x")


class TestSettings:
    def test_a_broken_profile_is_refused_with_the_reason(self, records):
        with pytest.raises(ValidationError) as exc:
            services.profile_save(
                actor=records.world.boss, org=records.world.committee, text='{"line_spacing_pt": 40}'
            )
        assert "超过版心高度" in str(exc.value)
        with pytest.raises(ValidationError) as exc:
            services.profile_save(actor=records.world.boss, org=records.world.committee, text="{not json")
        assert "不是有效的 JSON" in str(exc.value)

    def test_a_template_with_an_unknown_fact_is_refused(self, records):
        with pytest.raises(ValidationError) as exc:
            services.template_save(
                actor=records.world.boss, org=records.world.committee, text="标题：x\n{{dues.colected}}"
            )
        assert "dues.collected" in str(exc.value)

    def test_the_nearest_profile_applies(self, records):
        services.profile_save(
            actor=records.world.boss, org=records.world.committee, text='{"chars_per_line": 27}'
        )
        data, owner = services.profile_for(records.world.branch_a)
        assert data == {"chars_per_line": 27} and owner == records.world.committee

    def test_terms_are_edited_by_committee_admins_only(self, records):
        assert (
            services.terms_save(actor=records.world.boss, text="四个自信心 => 四个自信\n二个维护 => 两个维护")
            == 2
        )
        with pytest.raises(PermissionDenied):
            services.terms_save(actor=records.world.alice, text="x => y")


@pytest.mark.skipif(
    not pdf.available() or not shutil.which("pdftotext"), reason="LibreOffice or poppler not installed"
)
def test_pdf_text_contains_the_figures(records):
    document = build(records.world).document
    data = pdf.convert(bytes(document.docx))
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    flat = "".join(text.split())
    assert "全年召开党委会2次，研究议题4项" in flat
    assert "服务群众30人次" in flat
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=False).stdout.decode()
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=False).stdout.decode()
    if info:  # the substitution is recorded in the PDF's metadata
        assert "开源替代字体" in info
    if fonts:  # the official names were mapped to distinct free faces (reports/data/fonts.conf)
        assert "UKai" in fonts and "NotoSansCJK" in fonts and "NotoSerifCJK" in fonts


def test_demo_builds_the_roots_summary(records):
    import datetime as dt

    from xianfeng.reports.demo import build_demo

    class Result:
        root = records.world.committee

    build_demo(Result(), today=dt.date(YEAR, 12, 31))  # type: ignore[arg-type]
    assert SummaryDocument.objects.get().org == records.world.committee
    build_demo(Result(), today=dt.date(2001, 12, 31))  # type: ignore[arg-type]
    assert not ReportJob.objects.filter(status=JobStatus.FAILED).exists()


def test_the_breakdown_by_child_org_adds_up(records):
    document = build(records.world).document
    table = document.facts["breakdown"]
    names = [c["name"] for c in table["columns"]]
    by_org = {r["org"]: r["values"] for r in table["rows"]}
    theme = names.index("activities.kind.theme_day")
    members = names.index("members.party_members")
    assert by_org["运维检修党总支"][theme] == 2 and by_org["运维检修党总支"][members] == 4
    for n, total in enumerate(table["total"]):
        if total is not None:
            assert sum(values[n] for values in by_org.values()) == total
    doc = Document(io.BytesIO(bytes(document.docx)))
    last = doc.tables[-1]
    assert last.rows[0].cells[0].text == "党组织" and last.rows[-1].cells[0].text == "合计"
