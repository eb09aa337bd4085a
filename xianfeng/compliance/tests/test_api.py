"""/api/v1/obligations/, /findings/, /notifications/: scoping, filters, errors, pagination, schema."""

import datetime as dt

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from xianfeng.compliance.models import Notification
from xianfeng.compliance.tests.builders import held
from xianfeng.core.api_auth import token_issue

D = dt.date


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


class TestObligations:
    def test_it_lists_the_national_profile_with_citations(self, world):
        response = api(world.bob).get("/api/v1/obligations/", {"profile": "national", "page_size": 100})
        assert response.status_code == 200
        rows = {row["code"]: row for row in response.json()["results"]}
        theme = rows["br13-theme-day-monthly"]
        assert (theme["kinds"], theme["period"], theme["min_count"], theme["rule_ref"]) == (
            ["theme_day"],
            "month",
            1,
            "BR-13",
        )
        assert "支部工作条例" in theme["citation"]

    def test_it_answers_401_to_anonymous(self, world):
        assert api().get("/api/v1/obligations/").status_code == 401


class TestFindings:
    URL = "/api/v1/findings/"

    def test_it_returns_findings_with_evidence_codes(self, world):
        activity = held(world.branch_a, "theme_day", D(2025, 3, 10))
        response = api(world.bob).get(self.URL, {"period": "2025-03", "page_size": 500})
        assert response.status_code == 200
        rows = response.json()["results"]
        theme = next(
            r
            for r in rows
            if r["rule"] == "national/br13-theme-day-monthly" and r["org"]["id"] == world.branch_a.pk
        )
        assert (theme["status"], theme["done"], theme["required"], theme["period"]) == (
            "met",
            1,
            1,
            "2025-03",
        )
        assert theme["evidence"] == [str(activity.code)]
        assert {r["period"] for r in rows} >= {"2025-03", "2025-Q1", "2025"}  # every period overlapping March

    def test_it_is_scoped_to_the_caller(self, world):
        rows = api(world.charlie).get(self.URL, {"period": "2025", "page_size": 500}).json()["results"]
        assert {r["org"]["id"] for r in rows} == {world.branch_b.pk}

    def test_org_and_status_filters(self, world):
        response = api(world.boss).get(
            self.URL, {"org": world.branch_a.pk, "period": "2025", "status": "missed,met", "page_size": 500}
        )
        rows = response.json()["results"]
        assert rows and {r["org"]["id"] for r in rows} <= {world.branch_a.pk, world.group_a1.pk}
        assert {r["status"] for r in rows} <= {"missed", "met"}

    @pytest.mark.parametrize(
        ("params", "field"),
        [
            ({"org": "999999"}, "org"),
            ({"org": "abc"}, "org"),
            ({"period": "2025-13"}, "period"),
            ({"period": "last year"}, "period"),
            ({"status": "late"}, "status"),
        ],
    )
    def test_bad_parameters_answer_400_naming_the_field(self, world, params, field):
        response = api(world.boss).get(self.URL, params)
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == [field]

    def test_an_invisible_org_is_the_same_400_as_an_unknown_one(self, world):
        response = api(world.charlie).get(self.URL, {"org": world.branch_a.pk})
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "org"

    def test_it_paginates(self, world):
        body = api(world.boss).get(self.URL, {"period": "2025", "page_size": 5}).json()
        assert body["count"] > 5 and len(body["results"]) == 5 and body["next"]

    def test_it_includes_the_coded_rules_when_the_period_contains_today(self, world):
        rows = api(world.bob).get(self.URL, {"page_size": 500}).json()["results"]  # default: this month
        assert any(r["rule"] == "rule/too_few_members" and r["subject"] == "org" for r in rows)

    def test_a_member_without_a_scope_gets_nothing(self, world):
        assert api(world.dang).get(self.URL).json()["count"] == 0

    def test_it_answers_401_to_anonymous(self, world):
        assert api().get(self.URL).status_code == 401


class TestNotifications:
    def test_own_only(self, world):
        Notification.objects.create(user=world.alice, key="a", title="mine")
        Notification.objects.create(user=world.bob, key="a", title="theirs")
        rows = api(world.alice).get("/api/v1/notifications/").json()["results"]
        assert [r["title"] for r in rows] == ["mine"]

    def test_it_answers_401_to_anonymous(self, world):
        assert api().get("/api/v1/notifications/").status_code == 401

    def test_unread_filter(self, world):
        from django.utils import timezone

        Notification.objects.create(user=world.alice, key="a", title="read", read_at=timezone.now())
        Notification.objects.create(user=world.alice, key="b", title="unread")
        rows = api(world.alice).get("/api/v1/notifications/", {"unread": "true"}).json()["results"]
        assert [r["title"] for r in rows] == ["unread"]


def test_the_schema_stays_valid(db):
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")
