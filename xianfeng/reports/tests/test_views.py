"""The pages: the access matrix for every view (anonymous, outsider in a sibling branch, read-only,
permitted; a branch admin cannot build a committee's summary), building through the page, the
preview with figures that open their records, editing a block, downloads, settings, query bounds."""

from __future__ import annotations

import io

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from xianfeng.reports import jobs, services
from xianfeng.reports.models import JobStatus, ReportJob, SummaryDocument
from xianfeng.reports.tests.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _inline_jobs(settings):
    settings.XIANFENG_REPORTS_JOB_MODE = "inline"


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def built(world, org, actor=None) -> SummaryDocument:
    job = services.summary_job_create(actor=actor or world.boss, org=org, year=YEAR, today=TODAY)
    doc = jobs.run(job.pk, today=TODAY).document
    assert doc is not None
    return doc


class TestAccessMatrix:
    """Branch A's summary: alice (its admin) builds; bob (viewer of A) reads; charlie (admin of the
    sibling B) sees nothing; anonymous goes to the login page; the committee's summary is not alice's."""

    @pytest.fixture
    def docs(self, records):
        w = records.world
        return built(w, w.branch_a, w.alice), built(w, w.committee)

    @pytest.mark.parametrize(
        ("user", "expected"),
        [(None, 302), ("alice", 200), ("bob", 200), ("charlie", 404), ("boss", 200)],
    )
    def test_preview(self, docs, records, user, expected):
        branch_doc, _ = docs
        client = client_for(getattr(records.world, user) if user else None)
        assert client.get(reverse("reports:document", args=[branch_doc.code])).status_code == expected

    @pytest.mark.parametrize(
        ("user", "expected"),
        [(None, 302), ("alice", 200), ("bob", 200), ("charlie", 404)],
    )
    def test_records_behind_a_figure(self, docs, records, user, expected):
        branch_doc, _ = docs
        client = client_for(getattr(records.world, user) if user else None)
        url = reverse("reports:records", args=[branch_doc.code, "activities.kind.theme_day"])
        assert client.get(url).status_code == expected

    @pytest.mark.parametrize(
        ("user", "expected"),
        [(None, 302), ("alice", 200), ("bob", 403), ("charlie", 404)],
    )
    def test_download(self, docs, records, user, expected):
        branch_doc, _ = docs
        client = client_for(getattr(records.world, user) if user else None)
        assert client.get(reverse("reports:download", args=[branch_doc.code, "docx"])).status_code == expected

    @pytest.mark.parametrize(
        ("user", "expected"),
        [(None, 302), ("alice", 200), ("bob", 403), ("charlie", 404)],
    )
    def test_edit_form(self, docs, records, user, expected):
        branch_doc, _ = docs
        client = client_for(getattr(records.world, user) if user else None)
        assert client.get(reverse("reports:block", args=[branch_doc.code, "b2"])).status_code == expected

    def test_the_committees_summary_is_not_a_branch_admins(self, docs, records):
        _, committee_doc = docs
        client = client_for(records.world.alice)
        assert client.get(reverse("reports:document", args=[committee_doc.code])).status_code == 404
        response = client.post(reverse("reports:build"), {"org": records.world.committee.pk, "year": YEAR})
        assert response.status_code == 404  # the committee is out of her sight from the branch
        assert not ReportJob.objects.filter(
            org=records.world.committee, created_by=records.world.alice
        ).exists()

    @pytest.mark.parametrize(
        ("user", "expected"),
        [(None, 302), ("alice", 302), ("bob", 403), ("charlie", 404)],
    )
    def test_build_branch_a(self, records, user, expected):
        client = client_for(getattr(records.world, user) if user else None)
        response = client.post(reverse("reports:build"), {"org": records.world.branch_a.pk, "year": YEAR})
        assert response.status_code == expected

    @pytest.mark.parametrize(
        ("user", "expected"), [(None, 302), ("alice", 200), ("bob", 200), ("charlie", 404), ("dang", 403)]
    )
    def test_summaries_and_facts_pages(self, records, user, expected):
        client = client_for(getattr(records.world, user) if user else None)
        for name in ("reports:summaries", "reports:facts"):
            url = reverse(name) + f"?org={records.world.branch_a.pk}&year={YEAR}"
            assert client.get(url).status_code == expected, name

    @pytest.mark.parametrize(
        ("user", "expected"), [(None, 302), ("alice", 200), ("bob", 403), ("charlie", 404)]
    )
    def test_settings(self, records, user, expected):
        client = client_for(getattr(records.world, user) if user else None)
        url = reverse("reports:settings") + f"?org={records.world.branch_a.pk}"
        assert client.get(url).status_code == expected

    def test_job_page_of_another_branch(self, records):
        job = services.summary_job_create(
            actor=records.world.alice, org=records.world.branch_a, year=YEAR, today=TODAY
        )
        assert (
            client_for(records.world.charlie).get(reverse("reports:job", args=[job.code])).status_code == 404
        )
        assert client_for(records.world.bob).get(reverse("reports:job", args=[job.code])).status_code == 200


class TestJourney:
    def test_build_from_the_page_then_preview(self, records):
        client = client_for(records.world.boss)
        response = client.post(reverse("reports:build"), {"org": records.world.committee.pk, "year": YEAR})
        job = ReportJob.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("reports:job", args=[job.code])
        assert job.status == JobStatus.DONE
        finished = client.get(reverse("reports:job", args=[job.code]))  # a finished job is its document
        assert finished.status_code == 302 and finished["Location"] == reverse(
            "reports:document", args=[job.document.code]
        )
        page = client.get(reverse("reports:document", args=[job.document.code])).content.decode()
        assert 'data-fact="activities.kind.party_committee_meeting"' in page
        assert "【待补充】" in page

    def test_the_job_page_polls_then_redirects(self, records, settings):
        settings.XIANFENG_REPORTS_JOB_MODE = "command"
        client = client_for(records.world.boss)
        client.post(reverse("reports:build"), {"org": records.world.committee.pk, "year": YEAR})
        job = ReportJob.objects.get()
        page = client.get(reverse("reports:job", args=[job.code])).content.decode()
        assert 'hx-trigger="every 1s"' in page and "progress" in page
        jobs.run(job.pk, today=TODAY)
        response = client.get(reverse("reports:job", args=[job.code]), HTTP_HX_REQUEST="true")
        assert response.status_code == 204 and response["HX-Redirect"].startswith("/reports/documents/")

    def test_a_failed_job_shows_its_reason(self, records):
        client = client_for(records.world.boss)
        client.post(reverse("reports:build"), {"org": records.world.committee.pk, "year": 2001})
        job = ReportJob.objects.get()
        page = client.get(reverse("reports:job", args=[job.code])).content.decode()
        assert 'data-testid="job-error"' in page and "没有任何可统计的记录" in page

    def test_an_out_of_range_year_is_a_clear_message(self, records):
        client = client_for(records.world.boss)
        response = client.post(reverse("reports:build"), {"org": records.world.committee.pk, "year": 1990})
        assert response.status_code == 400 and "年度应在" in response.content.decode()

    def test_records_behind_a_figure_are_exactly_the_counted_ones(self, records):
        doc = built(records.world, records.world.committee)
        client = client_for(records.world.boss)
        url = reverse("reports:records", args=[doc.code, "activities.kind.party_committee_meeting"])
        page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
        assert "党委会（3月）" in page and "党委会（9月）" in page
        assert "党委会（上年）" not in page and "党委会（未登记）" not in page
        missing = client.get(url + "?missing=1", HTTP_HX_REQUEST="true").content.decode()
        assert "党委会（未登记）" in missing and "党委会（3月）" not in missing

    def test_edit_a_block_through_the_page(self, records):
        doc = built(records.world, records.world.committee)
        client = client_for(records.world.boss)
        url = reverse("reports:block", args=[doc.code, "b2"])
        response = client.post(
            url,
            {"source": "一年来，坚决做到二个维护，召开党委会{{activities.kind.party_committee_meeting}}次。"},
            HTTP_HX_REQUEST="true",
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert 'data-fact="activities.kind.party_committee_meeting"' in body and 'hx-swap-oob="true"' in body
        assert "两个维护" in body  # the term check shown at once
        bad = client.post(url, {"source": "{{no.such}}"}, HTTP_HX_REQUEST="true")
        assert bad.status_code == 400 and "no.such" in bad.content.decode()

    def test_downloads(self, records):
        doc = built(records.world, records.world.committee)
        client = client_for(records.world.boss)
        word = client.get(reverse("reports:download", args=[doc.code, "docx"]))
        assert word.status_code == 200 and Document(io.BytesIO(word.content)).paragraphs[0].text == doc.title
        excel = client.get(reverse("reports:download", args=[doc.code, "xlsx"]))
        sheet = load_workbook(io.BytesIO(excel.content))["统计表"]
        rows = {r[7]: r for r in sheet.iter_rows(min_row=5, values_only=True)}
        assert rows["activities.kind.party_committee_meeting"][2] == 2
        assert rows["dues.collected"][2] == "【待补充】"

    def test_settings_show_a_broken_profile_message(self, records):
        client = client_for(records.world.boss)
        url = reverse("reports:settings") + f"?org={records.world.committee.pk}"
        response = client.post(
            url,
            {
                "form": "profile",
                "org": records.world.committee.pk,
                "profile": '{"margins_mm": {"top": "wide"}}',
            },
        )
        assert response.status_code == 400 and "页边距“top”" in response.content.decode()


class TestQueries:
    def test_the_preview_does_not_grow_with_the_records(self, records, django_assert_max_num_queries):
        doc = built(records.world, records.world.committee)
        client = client_for(records.world.boss)
        url = reverse("reports:document", args=[doc.code])
        client.get(url)
        with django_assert_max_num_queries(15):
            client.get(url)

    def test_a_page_of_records_is_bounded(self, records, django_assert_max_num_queries):
        doc = built(records.world, records.world.committee)
        client = client_for(records.world.boss)
        url = reverse("reports:records", args=[doc.code, "members.party_members"])
        with django_assert_max_num_queries(12):
            assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200


def test_the_summaries_page_does_not_grow_with_the_documents(records, django_assert_max_num_queries):
    client = client_for(records.world.boss)
    url = reverse("reports:summaries") + f"?org={records.world.committee.pk}"
    built(records.world, records.world.committee)
    client.get(url)
    with django_assert_max_num_queries(20) as first:
        client.get(url)
    for _ in range(3):
        built(records.world, records.world.committee)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


def test_templates_and_terms_through_the_settings_page(records):
    client = client_for(records.world.boss)
    url = reverse("reports:settings") + f"?org={records.world.committee.pk}"
    org = records.world.committee.pk
    bad = client.post(url, {"form": "template", "org": org, "template": "标题：x\n{{dues.colected}}"})
    assert bad.status_code == 400 and "dues.collected" in bad.content.decode()
    good = client.post(
        url,
        {
            "form": "template",
            "org": org,
            "template": "标题：{{单位}}总结\n= 主要工作\n党员{{members.party_members}}名",
        },
    )
    assert good.status_code == 302
    assert client.post(url, {"form": "terms", "org": org, "terms": "二个维护 => 两个维护"}).status_code == 302
    alice = client_for(records.world.alice)
    branch_url = reverse("reports:settings") + f"?org={records.world.branch_a.pk}"
    refused = alice.post(branch_url, {"form": "terms", "org": records.world.branch_a.pk, "terms": "x => y"})
    assert refused.status_code == 400  # the term list is not a branch admin's
    doc = built(records.world, records.world.committee)
    assert doc.title == "测试供电公司党委总结"
    assert [c["code"] for c in doc.checks if c["level"] == "error"] == ["section", "section"]  # 问题, 下一步
