"""The reports API: facts, build (a job), job, documents, provenance and files, with the access matrix."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.reports.models import ReportJob, SummaryDocument
from xianfeng.reports.tests.conftest import YEAR

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/"


@pytest.fixture(autouse=True)
def _inline_jobs(settings):
    settings.XIANFENG_REPORTS_JOB_MODE = "inline"


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def build(world, user, org):
    return api(getattr(world, user)).post(f"{URL}summaries/", {"org": org.pk, "year": YEAR}, format="json")


class TestFacts:
    def test_list_with_rules_and_counts(self, records):
        body = (
            api(records.world.boss)
            .get(f"{URL}facts/", {"org": records.world.committee.pk, "year": YEAR})
            .json()
        )
        by_name = {f["name"]: f for f in body["results"]}
        pcm = by_name["activities.kind.party_committee_meeting"]
        assert (pcm["value"], pcm["record_count"], pcm["status"], pcm["missing_count"]) == (
            "2",
            2,
            "partial",
            1,
        )
        assert pcm["rule"] and pcm["unit"] == "次"
        assert by_name["dues.rate"]["value"] is None and by_name["dues.rate"]["status"] == "missing"

    @pytest.mark.parametrize(
        ("user", "expected"), [(None, 401), ("alice", 200), ("bob", 200), ("charlie", 404)]
    )
    def test_access(self, records, user, expected):
        client = api(getattr(records.world, user) if user else None)
        assert (
            client.get(f"{URL}facts/", {"org": records.world.branch_a.pk, "year": YEAR}).status_code
            == expected
        )

    def test_bad_input(self, records):
        client = api(records.world.boss)
        response = client.get(f"{URL}facts/", {"org": records.world.committee.pk, "year": 1990})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "year"
        assert client.get(f"{URL}facts/", {"org": "x", "year": YEAR}).status_code == 400


class TestBuild:
    @pytest.mark.parametrize(("user", "expected"), [("alice", 202), ("bob", 403), ("charlie", 404)])
    def test_access_on_a_branch(self, records, user, expected):
        assert build(records.world, user, records.world.branch_a).status_code == expected

    def test_anonymous(self, records):
        assert APIClient().post(f"{URL}summaries/", {"org": 1, "year": YEAR}).status_code == 401

    def test_a_branch_admin_cannot_build_the_committees(self, records):
        assert build(records.world, "alice", records.world.committee).status_code == 404
        assert not ReportJob.objects.exists()

    def test_build_then_fetch_everything(self, records):
        w = records.world
        job = build(w, "boss", w.committee).json()
        assert job["status"] == "done" and job["document"]
        assert api(w.boss).get(f"{URL}jobs/{job['code']}/").json()["status"] == "done"
        code = job["document"]
        listed = api(w.boss).get(f"{URL}summaries/").json()
        assert [d["code"] for d in listed["results"]] == [code]
        detail = api(w.boss).get(f"{URL}summaries/{code}/").json()
        block = next(b for b in detail["blocks"] if "召开党委会" in b["text"])
        assert "全年召开党委会2次" in block["text"]
        assert "activities.kind.party_committee_meeting" in block["figures"]
        assert detail["checks"]
        prov = api(w.boss).get(f"{URL}summaries/{code}/facts/activities.kind.party_committee_meeting/").json()
        assert sorted(prov["ids"]) == sorted([records.pcm_march.pk, records.pcm_sept.pk])
        assert {r["id"] for r in prov["records"]} == set(prov["ids"])
        missing = (
            api(w.boss)
            .get(f"{URL}summaries/{code}/facts/activities.kind.party_committee_meeting/", {"missing": "1"})
            .json()
        )
        assert missing["ids"] == [records.pcm_stale.pk]
        file = api(w.boss).get(f"{URL}summaries/{code}/file", {"type": "docx"})
        assert file.status_code == 200 and file["Content-Type"].startswith("application/vnd.openxmlformats")
        assert api(w.boss).get(f"{URL}summaries/{code}/file", {"type": "xlsx"}).status_code == 200
        assert api(w.boss).get(f"{URL}summaries/{code}/file", {"type": "odt"}).status_code == 400
        assert api(w.boss).get(f"{URL}summaries/{code}/facts/no.such/").status_code == 404

    def test_a_failed_build_is_visible(self, records):
        body = (
            api(records.world.boss)
            .post(f"{URL}summaries/", {"org": records.world.committee.pk, "year": 2001}, format="json")
            .json()
        )
        assert (
            body["status"] == "failed"
            and "没有任何可统计的记录" in body["error"]
            and body["document"] is None
        )
        assert not SummaryDocument.objects.exists()


class TestDocumentAccess:
    @pytest.fixture
    def code(self, records):
        return build(records.world, "alice", records.world.branch_a).json()["document"]

    @pytest.mark.parametrize(
        ("user", "expected"), [(None, 401), ("alice", 200), ("bob", 200), ("charlie", 404)]
    )
    def test_detail_and_provenance(self, records, code, user, expected):
        client = api(getattr(records.world, user) if user else None)
        assert client.get(f"{URL}summaries/{code}/").status_code == expected
        assert client.get(f"{URL}summaries/{code}/facts/members.party_members/").status_code == expected

    @pytest.mark.parametrize(
        ("user", "expected"), [(None, 401), ("alice", 200), ("bob", 403), ("charlie", 404)]
    )
    def test_file(self, records, code, user, expected):
        client = api(getattr(records.world, user) if user else None)
        assert client.get(f"{URL}summaries/{code}/file").status_code == expected

    def test_lists_are_scoped(self, records, code):
        assert api(records.world.charlie).get(f"{URL}summaries/").json()["results"] == []
        assert len(api(records.world.bob).get(f"{URL}summaries/").json()["results"]) == 1

    def test_job_access(self, records, code):
        job = ReportJob.objects.get()
        assert api(records.world.charlie).get(f"{URL}jobs/{job.code}/").status_code == 404


def test_the_list_does_not_grow_with_the_documents(records):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api(records.world.boss)
    build(records.world, "boss", records.world.committee)
    client.get(f"{URL}summaries/")
    with CaptureQueriesContext(connection) as first:
        client.get(f"{URL}summaries/")
    for _ in range(3):
        build(records.world, "boss", records.world.committee)
    with CaptureQueriesContext(connection) as later:
        assert len(client.get(f"{URL}summaries/").json()["results"]) == 4
    assert len(later.captured_queries) == len(first.captured_queries) <= 12
