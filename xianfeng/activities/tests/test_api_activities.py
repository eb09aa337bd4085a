"""/api/v1/activity-kinds/, /api/v1/activities/…: scoping, filters, writes through the services, the error
shape {"errors": [{"field", "message", "code"}]}, check-in and leave for the logged-in member."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from xianfeng.activities import services
from xianfeng.activities.models import Activity, Attendance
from xianfeng.activities.tests.test_services_plan import at, days_ago, plan
from xianfeng.core.api_auth import token_issue
from xianfeng.core.models import AuditEvent

LIST = "/api/v1/activities/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def codes(response):
    return {row["code"] for row in response.json()["results"]}


def fields(response):
    return {error["field"] for error in response.json()["errors"]}


def detail(activity, suffix=""):
    return f"{LIST}{activity.code}/{suffix}"


@pytest.fixture
def meeting(world):
    return plan(world, start=at(days_ago(3), 14, 30), title="支部大会")


class TestKinds:
    def test_every_user_reads_the_catalogue(self, world):
        assert api().get("/api/v1/activity-kinds/").status_code == 401
        response = api(world.dang).get("/api/v1/activity-kinds/")
        kinds = {row["code"]: row for row in response.json()["results"]}
        assert kinds["general_meeting"]["quorum"] == "branch_general_meeting"
        assert kinds["theme_day"]["metrics"] == ["people_served", "problems_solved", "volunteers"]
        assert kinds["talk"]["is_talk"] is True


class TestList:
    def test_the_matrix(self, world, meeting):
        other = plan(world, org=world.branch_b, actor=world.boss)
        assert api().get(LIST).status_code == 401
        assert codes(api(world.alice).get(LIST)) == {str(meeting.code)}
        assert codes(api(world.bob).get(LIST)) == {str(meeting.code)}
        assert codes(api(world.charlie).get(LIST)) == {str(other.code)}
        assert codes(api(world.dang).get(LIST)) == {str(meeting.code)}
        assert codes(api(world.boss).get(LIST)) == {str(meeting.code), str(other.code)}

    def test_filters(self, world, meeting):
        theme = plan(world, code="theme_day", start=at(days_ago(40)))
        other = plan(world, org=world.branch_b, actor=world.boss, start=at(days_ago(40)))
        services.activity_cancel(actor=world.boss, activity=other, reason="改期")
        client = api(world.boss)
        assert codes(client.get(LIST, {"org": world.branch_a.pk})) == {str(meeting.code), str(theme.code)}
        assert codes(client.get(LIST, {"org": world.general_branch.pk, "kind": "theme_day"})) == {
            str(theme.code)
        }
        assert codes(client.get(LIST, {"status": "cancelled"})) == {str(other.code)}
        recent = client.get(LIST, {"from": days_ago(5).isoformat(), "to": days_ago(0).isoformat()})
        assert codes(recent) == {str(meeting.code)}
        assert codes(client.get(LIST, {"to": days_ago(40).isoformat()})) == {str(theme.code), str(other.code)}

    def test_a_bad_filter_is_named(self, world):
        response = api(world.alice).get(LIST, {"status": "maybe"})
        assert response.status_code == 400
        assert "status" in fields(response)

    def test_it_is_paginated(self, world):
        for day in range(1, 4):
            plan(world, start=at(dt.date(2025, 1, day)))
        body = api(world.alice).get(LIST, {"page_size": 2}).json()
        assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]


class TestPlan:
    def _body(self, world, **over):
        return {
            "org": world.branch_a.pk,
            "kind": "committee_meeting",
            "planned_start": at(days_ago(-3), 14).isoformat(),
            "place": "会议室",
            **over,
        }

    def test_a_permitted_user_plans_and_it_is_audited(self, world):
        response = api(world.alice).post(LIST, self._body(world), format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["kind"], body["status"], body["org"]["id"]) == (
            "committee_meeting",
            "planned",
            world.branch_a.pk,
        )
        assert AuditEvent.objects.filter(action="activity.plan", actor=world.alice).count() == 1

    def test_read_only_and_outsiders_are_refused(self, world):
        assert api(world.bob).post(LIST, self._body(world), format="json").status_code == 403
        response = api(world.charlie).post(LIST, self._body(world), format="json")
        assert response.status_code == 400 and fields(response) == {"org"}  # invisible org: same as unknown
        assert not Activity.objects.exists()

    def test_service_errors_name_the_field(self, world):
        response = api(world.alice).post(LIST, self._body(world, kind="group_meeting"), format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "kind"
        api(world.alice).post(LIST, self._body(world), format="json")
        duplicate = api(world.alice).post(LIST, self._body(world), format="json")
        assert fields(duplicate) == {"planned_start"}

    def test_a_talk_with_its_two_parties(self, world):
        body = self._body(
            world,
            kind="talk",
            participants=[str(world.member_a.person.code), str(world.dang_membership.person.code)],
        )
        response = api(world.alice).post(LIST, body, format="json")
        assert response.status_code == 201
        activity = Activity.objects.get()
        assert activity.attendance.count() == 2

    def test_an_invisible_person_is_unknown(self, world):
        body = self._body(world, host=str(world.member_b.person.code))
        response = api(world.alice).post(LIST, body, format="json")
        assert response.status_code == 400 and fields(response) == {"host"}


class TestDetailAndChanges:
    def test_read(self, world, meeting):
        services.agenda_item_add(actor=world.alice, activity=meeting, topic="议题一", first_item=True)
        assert api(world.charlie).get(detail(meeting)).status_code == 404
        body = api(world.bob).get(detail(meeting)).json()
        assert body["title"] == "支部大会"
        assert body["agenda"][0]["first_item"] is True

    def test_patch(self, world, meeting):
        assert api(world.bob).patch(detail(meeting), {"place": "x"}, format="json").status_code == 403
        assert api(world.charlie).patch(detail(meeting), {"place": "x"}, format="json").status_code == 404
        response = api(world.alice).patch(
            detail(meeting), {"place": "新会议室", "host": str(world.member_a.person.code)}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["place"] == "新会议室" and response.json()["host"]["name"] == "张三"

    def test_held(self, world, meeting):
        body = {"held_start": meeting.planned_start.isoformat(), "minutes": "记录"}
        assert api(world.bob).post(detail(meeting, "held"), body, format="json").status_code == 403
        response = api(world.alice).post(detail(meeting, "held"), body, format="json")
        assert response.status_code == 200
        assert (response.json()["status"], response.json()["quorum_met"]) == ("held", False)

    def test_held_in_the_future_is_refused(self, world, meeting):
        future = (timezone.now() + dt.timedelta(days=1)).isoformat()
        response = api(world.alice).post(detail(meeting, "held"), {"held_start": future}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "held_start"
        assert Activity.objects.get().status == "planned"

    def test_cancel(self, world, meeting):
        assert (
            api(world.bob).post(detail(meeting, "cancel"), {"reason": "x"}, format="json").status_code == 403
        )
        response = api(world.alice).post(detail(meeting, "cancel"), {"reason": "改期"}, format="json")
        assert response.json()["status"] == "cancelled"


class TestAttendance:
    def test_list_for_staff_and_own_row_for_members(self, world, meeting):
        staff = api(world.bob).get(detail(meeting, "attendance")).json()
        assert sorted(row["person"]["name"] for row in staff) == sorted(["张三", "王党员"])
        own = api(world.dang).get(detail(meeting, "attendance")).json()
        assert [row["person"]["name"] for row in own] == ["王党员"]
        assert api(world.charlie).get(detail(meeting, "attendance")).status_code == 404

    def test_set_one_persons_status(self, world, meeting):
        body = {"person": str(world.member_a.person.code), "status": "leave", "reason": "出差"}
        assert api(world.bob).post(detail(meeting, "attendance"), body, format="json").status_code == 403
        response = api(world.alice).post(detail(meeting, "attendance"), body, format="json")
        assert response.status_code == 200 and response.json()["status"] == "leave"

    def test_a_non_member_present_is_refused_with_the_rule(self, world, meeting):
        body = {"person": str(world.member_b.person.code), "status": "present"}
        response = api(world.boss).post(detail(meeting, "attendance"), body, format="json")
        assert response.status_code == 400
        error = response.json()["errors"][0]
        assert error["field"] == "person" and "was not a member" in error["message"]
        assert not Attendance.objects.filter(person=world.member_b.person).exists()


class TestCheckinAndLeave:
    def test_check_in_once(self, world):
        meeting = plan(world, start=timezone.now() + dt.timedelta(minutes=5))
        body = {"code": str(meeting.code), "token": meeting.checkin_token}
        first = api(world.dang).post(f"{LIST}checkin", body, format="json")
        assert first.status_code == 200 and first.json()["already"] is False
        assert first.json()["attendance"]["source"] == "qr"
        again = api(world.dang).post(f"{LIST}checkin", body, format="json")
        assert again.json()["already"] is True

    def test_refusals_carry_a_code(self, world):
        later = plan(world, start=timezone.now() + dt.timedelta(hours=2))
        early = api(world.dang).post(
            f"{LIST}checkin", {"code": str(later.code), "token": later.checkin_token}, format="json"
        )
        assert early.status_code == 400
        assert early.json()["errors"][0]["code"] == "too_early"
        wrong = api(world.dang).post(f"{LIST}checkin", {"code": str(later.code), "token": "x"}, format="json")
        assert wrong.json()["errors"][0] == {
            "field": "token",
            "message": "This check-in code is not valid for this activity.",
            "code": "token",
        }
        assert (
            api().post(f"{LIST}checkin", {"code": str(later.code), "token": "x"}, format="json").status_code
            == 401
        )

    def test_leave(self, world):
        upcoming = plan(world, start=at(days_ago(-2)))
        response = api(world.dang).post(detail(upcoming, "leave"), {"reason": "出差"}, format="json")
        assert response.status_code == 200 and response.json()["status"] == "leave"
        missing = api(world.dang).post(detail(upcoming, "leave"), {}, format="json")
        assert missing.status_code == 400 and fields(missing) == {"reason"}


class TestEveryEndpointMatrix:
    def test_anonymous_outsider_and_read_only(self, world, meeting):
        reads = [LIST, detail(meeting), detail(meeting, "attendance"), "/api/v1/activity-kinds/"]
        writes = [
            ("patch", detail(meeting), {"place": "x"}),
            ("post", detail(meeting, "held"), {"held_start": meeting.planned_start.isoformat()}),
            ("post", detail(meeting, "cancel"), {"reason": "x"}),
            (
                "post",
                detail(meeting, "attendance"),
                {"person": str(world.member_a.person.code), "status": "present"},
            ),
        ]
        for path in reads:
            assert api().get(path).status_code == 401, path
        for method, path, body in writes:
            assert getattr(api(), method)(path, body, format="json").status_code == 401, path
            assert getattr(api(world.charlie), method)(path, body, format="json").status_code == 404, path
            assert getattr(api(world.bob), method)(path, body, format="json").status_code == 403, path
            assert getattr(api(world.dang), method)(path, body, format="json").status_code == 403, path
        assert api(world.charlie).get(detail(meeting)).status_code == 404
        assert (
            api(world.charlie).post(detail(meeting, "leave"), {"reason": "x"}, format="json").status_code
            == 404
        )
        assert Activity.objects.get().status == "planned"
        assert (
            not AuditEvent.objects.filter(action__startswith="activity.")
            .exclude(action="activity.plan")
            .exists()
        )
