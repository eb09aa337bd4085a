"""/api/v1/development/…: the access matrix of every endpoint, refusals naming the field and the rule
with nothing written, the timeline with voided steps, and bounded queries on the board."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.development.models import DevelopmentPlan, DevelopmentStep
from xianfeng.development.tests.builders import nothing_written, votes, walk
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db

D = dt.date
URL = "/api/v1/development/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def client_of(world, who):
    return api(getattr(world, who) if who else None)


def errors(response):
    return [(e["field"], e["code"]) for e in response.json()["errors"]]


def steps_url(membership):
    return f"{URL}memberships/{membership.code}/steps"


@pytest.fixture
def walker(world):
    """An applicant of branch A with the application recorded (2021-03-10)."""
    return walk(world, "talk")


def talk(walker, day=None):
    return {
        "code": "talk",
        "date": str(day or walker.dates["talk"]),
        "people": [{"membership": str(walker.helpers[0].code), "role": "talker"}],
    }


# --- Access ------------------------------------------------------------------------------------------


class TestAccess:
    @pytest.mark.parametrize(
        ("who", "expected"), [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 200), ("alice", 200)]
    )
    def test_the_board(self, world, walker, who, expected):
        response = client_of(world, who).get(f"{URL}board", {"org": world.branch_a.pk})
        assert response.status_code == expected, response.content

    @pytest.mark.parametrize(
        ("who", "expected"), [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 200), ("alice", 200)]
    )
    def test_the_timeline(self, world, walker, who, expected):
        assert client_of(world, who).get(steps_url(walker.person)).status_code == expected

    @pytest.mark.parametrize(
        ("who", "expected"), [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 403), ("alice", 201)]
    )
    def test_recording_a_step(self, world, walker, who, expected):
        response = client_of(world, who).post(steps_url(walker.person), talk(walker), format="json")
        assert response.status_code == expected, response.content
        assert DevelopmentStep.objects.filter(step="talk").count() == (1 if expected == 201 else 0)

    @pytest.mark.parametrize(
        ("who", "expected"), [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 403), ("alice", 200)]
    )
    def test_voiding_a_step(self, world, walker, who, expected):
        step = walker.record("talk")
        response = client_of(world, who).post(
            f"{URL}steps/{step.code}/void", {"reason": "录错了"}, format="json"
        )
        assert response.status_code == expected, response.content
        step.refresh_from_db()
        assert step.voided is (expected == 200)

    @pytest.mark.parametrize(
        ("who", "expected"), [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 200), ("boss", 200)]
    )
    def test_reading_plans(self, world, who, expected):
        response = client_of(world, who).get(f"{URL}plans", {"org": world.branch_a.pk, "year": 2026})
        assert response.status_code == expected

    @pytest.mark.parametrize(
        ("who", "expected"),
        [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 403), ("alice", 403), ("boss", 201)],
    )
    def test_setting_a_plan(self, world, who, expected):
        """A quota is set from above: branch A's by whoever may change the general branch."""
        body = {"org": world.branch_a.pk, "year": 2026, "quota": 2}
        response = client_of(world, who).post(f"{URL}plans", body, format="json")
        assert response.status_code == expected, response.content
        assert DevelopmentPlan.objects.count() == (1 if expected == 201 else 0)

    def test_an_unknown_code_is_a_404(self, world):
        client = client_of(world, "alice")
        assert client.get(f"{URL}memberships/00000000-0000-0000-0000-000000000000/steps").status_code == 404
        assert (
            client.post(f"{URL}steps/00000000-0000-0000-0000-000000000000/void", {"reason": "x"}).status_code
            == 404
        )


# --- Reading -------------------------------------------------------------------------------------------


class TestBoard:
    def test_people_with_their_stage_and_next_steps(self, world, walker):
        body = client_of(world, "alice").get(f"{URL}board", {"org": world.branch_a.pk}).json()
        assert body["org"] == {"id": world.branch_a.pk, "name": world.branch_a.name}
        assert body["total"] == 1
        (person,) = body["people"]
        assert person["membership"]["code"] == str(walker.person.code)
        assert person["membership"]["status"] == PoliticalStatus.APPLICANT
        assert person["stage"] == 1
        (nxt,) = person["next_steps"]
        assert nxt["step"] == "talk" and nxt["rule"] == "DEV-03"
        assert nxt["due"] == "2021-04-10" and nxt["level"] == "overdue"

    def test_the_default_org_and_bad_parameters(self, world, walker):
        client = client_of(world, "alice")
        assert client.get(f"{URL}board").json()["org"]["id"] == world.branch_a.pk
        response = client.get(f"{URL}board", {"org": "abc"})
        assert response.status_code == 400 and errors(response) == [("org", "invalid")]

    def test_the_queries_do_not_grow_with_the_people(self, world):
        client = client_of(world, "alice")
        walk(world, "candidate")

        def count():
            client.get(f"{URL}board", {"org": world.branch_a.pk})
            with CaptureQueriesContext(connection) as captured:
                response = client.get(f"{URL}board", {"org": world.branch_a.pk})
            assert response.status_code == 200
            return len(captured.captured_queries), response.json()["total"]

        first, total = count()
        for _ in range(4):
            walk(world, "sponsors")
        make_member(world.branch_a, status=PoliticalStatus.APPLICANT, admission_date=D(2024, 1, 1))
        again, more = count()
        assert more == total + 5
        assert again == first <= 8


class TestTimeline:
    def test_every_step_with_the_people_and_the_voided_ones(self, world, walker):
        wrong = walker.record("talk", walker.dates["talk"] + dt.timedelta(days=1))
        client = client_of(world, "alice")
        client.post(f"{URL}steps/{wrong.code}/void", {"reason": "日期录错"}, format="json")
        walker.record("talk")
        body = client.get(steps_url(walker.person)).json()
        assert [(s["step"], s["voided"]) for s in body["steps"]] == [
            ("application", False),
            ("talk", False),
            ("talk", True),
        ]
        talked = body["steps"][1]
        assert talked["number"] == 2 and talked["stage"] == 1 and talked["date"] == str(walker.dates["talk"])
        assert talked["people"] == [
            {
                "membership": str(walker.helpers[0].code),
                "name": walker.helpers[0].person.name,
                "role": "talker",
            }
        ]
        assert body["steps"][2]["void_reason"] == "日期录错"
        assert [n["step"] for n in body["next_steps"]] == ["activist"]


# --- Recording and refusals ------------------------------------------------------------------------------


class TestRecording:
    def test_a_step_is_recorded_and_returned(self, world, walker):
        response = client_of(world, "alice").post(
            steps_url(walker.person), {**talk(walker), "note": "在会议室"}, format="json"
        )
        assert response.status_code == 201
        body = response.json()
        assert body["step"] == "talk" and body["decision"] == "done" and body["note"] == "在会议室"
        assert body["people"][0]["role"] == "talker"

    def test_out_of_order(self, world, walker):
        client = client_of(world, "alice")  # issuing the token is audited
        with nothing_written(walker.person):
            response = client.post(
                steps_url(walker.person), {"code": "activist", "date": "2021-06-01"}, format="json"
            )
        assert response.status_code == 400
        assert errors(response) == [("code", "DEV-04")]
        assert "DEV-04" in response.json()["errors"][0]["message"]

    def test_a_date_before_the_previous_step(self, world, walker):
        client = client_of(world, "alice")  # issuing the token is audited
        with nothing_written(walker.person):
            response = client.post(steps_url(walker.person), talk(walker, D(2021, 3, 9)), format="json")
        assert response.status_code == 400
        assert errors(response) == [("date", "DEV-03")]

    def test_a_probationary_sponsor(self, world):
        walker = walk(world, "sponsors")
        probationary = make_member(
            world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=D(2021, 6, 1)
        )
        body = {
            "code": "sponsors",
            "date": str(walker.dates["sponsors"]),
            "people": [
                {"membership": str(walker.helpers[0].code), "role": "sponsor"},
                {"membership": str(probationary.code), "role": "sponsor"},
            ],
        }
        client = client_of(world, "alice")  # issuing the token is audited
        with nothing_written(walker.person):
            response = client.post(steps_url(walker.person), body, format="json")
        assert response.status_code == 400
        assert errors(response) == [("people", "DEV-09")]
        assert "is not a full member" in response.json()["errors"][0]["message"]

    def test_votes_exceeding_the_members_present(self, world):
        walker = walk(world, "acceptance_meeting")
        body = {
            "code": "acceptance_meeting",
            "date": str(walker.dates["acceptance_meeting"]),
            **votes(present=8, yes=9),
        }
        body["votes_against"] = 0
        client = client_of(world, "alice")  # issuing the token is audited
        with nothing_written(walker.person):
            response = client.post(steps_url(walker.person), body, format="json")
        assert response.status_code == 400
        assert errors(response) == [("votes_for", "DEV-13")]

    def test_the_approving_committee_above_the_branch_may_be_named(self, world):
        """Alice sees only branch A, but the committee above it approves."""
        walker = walk(world, "approval")
        body = {
            "code": "approval",
            "date": str(walker.dates["approval"]),
            "approving_org": world.committee.pk,
        }
        response = client_of(world, "alice").post(steps_url(walker.person), body, format="json")
        assert response.status_code == 201, response.content
        walker.refresh()
        assert walker.person.status == PoliticalStatus.PROBATIONARY

    def test_a_general_branch_may_not_approve(self, world):
        walker = walk(world, "approval")
        body = {
            "code": "approval",
            "date": str(walker.dates["approval"]),
            "approving_org": world.general_branch.pk,
        }
        response = client_of(world, "alice").post(steps_url(walker.person), body, format="json")
        assert errors(response) == [("approving_org", "DEV-15")]

    def test_people_and_orgs_out_of_sight_are_unknown(self, world, walker):
        outsider = make_member(world.branch_b)
        body = talk(walker)
        body["people"] = [{"membership": str(outsider.code), "role": "talker"}]
        response = client_of(world, "alice").post(steps_url(walker.person), body, format="json")
        assert errors(response) == [("people[0].membership", "invalid")]
        walker = walk(world, "approval")
        body = {"code": "approval", "date": str(walker.dates["approval"]), "approving_org": world.branch_b.pk}
        response = client_of(world, "alice").post(steps_url(walker.person), body, format="json")
        assert errors(response) == [("approving_org", "invalid")]

    def test_malformed_input(self, world, walker):
        response = client_of(world, "alice").post(
            steps_url(walker.person), {"code": "nonsense", "date": "yesterday", "present": -1}, format="json"
        )
        assert response.status_code == 400
        assert {field for field, _code in errors(response)} == {"code", "date", "present"}

    def test_voiding_refusals_name_the_problem(self, world, walker):
        application = walker.steps("application")[0]
        response = client_of(world, "alice").post(
            f"{URL}steps/{application.code}/void", {"reason": "x"}, format="json"
        )
        assert response.status_code == 400
        assert errors(response) == [("", "invalid")]
        step = walker.record("talk")
        response = client_of(world, "alice").post(
            f"{URL}steps/{step.code}/void", {"reason": " "}, format="json"
        )
        assert [f for f, _c in errors(response)] == ["reason"]


class TestPlans:
    def test_setting_and_replacing_a_quota(self, world):
        client = client_of(world, "boss")
        body = {"org": world.branch_a.pk, "year": 2026, "quota": 2, "note": "上级下达"}
        response = client.post(f"{URL}plans", body, format="json")
        assert response.status_code == 201
        assert response.json() == {
            "org": {"id": world.branch_a.pk, "name": world.branch_a.name},
            "year": 2026,
            "quota": 2,
            "note": "上级下达",
        }
        assert client.post(f"{URL}plans", {**body, "quota": 3}, format="json").status_code == 200
        assert DevelopmentPlan.objects.get().quota == 3
        assert errors(client.post(f"{URL}plans", {**body, "quota": -1}, format="json")) == [
            ("quota", "invalid")
        ]

    def test_the_plan_against_what_happened(self, world):
        DevelopmentPlan.objects.create(org=world.branch_a, year=2026, quota=2)
        body = client_of(world, "bob").get(f"{URL}plans", {"org": world.general_branch.pk, "year": 2026})
        assert body.status_code == 404  # bob sees branch A only
        body = (
            client_of(world, "boss").get(f"{URL}plans", {"org": world.general_branch.pk, "year": 2026}).json()
        )
        assert body["year"] == 2026 and body["quota_total"] == 2
        rows = {r["org"]["id"]: r for r in body["rows"]}
        assert rows[world.branch_a.pk]["quota"] == 2 and rows[world.branch_a.pk]["accepted"] == 0

    def test_a_bad_year(self, world):
        response = client_of(world, "boss").get(f"{URL}plans", {"year": "1999"})
        assert response.status_code == 400 and errors(response) == [("year", "invalid")]
