"""The phone pages: QR check-in (/activities/checkin/<code>/<token>/), "My meetings" and leave requests."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.activities.models import Attendance
from xianfeng.activities.tests.test_services_plan import at, days_ago, plan
from xianfeng.core.models import AuditEvent

MY = "/activities/my/"


@pytest.fixture
def now_meeting(world):
    """A general meeting starting in ten minutes: inside the check-in window."""
    return plan(world, start=timezone.now() + dt.timedelta(minutes=10), place="二楼会议室")


def checkin_url(activity, token=None):
    return reverse("activities:checkin", args=[activity.code, token or activity.checkin_token])


def dang_row(world, activity):
    return Attendance.objects.get(activity=activity, person=world.dang_membership.person)


class TestCheckinPage:
    def test_anonymous_users_log_in_first_and_come_back(self, client, now_meeting):
        target = checkin_url(now_meeting)
        response = client.get(target)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login")) and "next=" in response.url

    def test_opening_shows_the_meeting_and_a_big_button_then_posting_checks_in(
        self, client, world, now_meeting
    ):
        client.force_login(world.dang)
        page = client.get(checkin_url(now_meeting)).content.decode()
        assert "二楼会议室" in page and 'id="checkin-button"' in page and "xf-phone" in page
        assert dang_row(world, now_meeting).status == "expected"  # opening alone writes nothing
        response = client.post(checkin_url(now_meeting))
        assert "You are checked in" in response.content.decode()
        row = dang_row(world, now_meeting)
        assert (row.status, row.source) == ("present", "qr")
        assert AuditEvent.objects.filter(action="attendance.checkin", actor=world.dang).count() == 1

    def test_a_second_scan_says_already_checked_in(self, client, world, now_meeting):
        client.force_login(world.dang)
        client.post(checkin_url(now_meeting))
        assert "already checked in" in client.post(checkin_url(now_meeting)).content.decode()
        assert "already checked in" in client.get(checkin_url(now_meeting)).content.decode()
        assert AuditEvent.objects.filter(action="attendance.checkin").count() == 1

    def test_a_wrong_token_or_unknown_code_is_404_with_a_message(self, client, world, now_meeting):
        client.force_login(world.dang)
        response = client.post(checkin_url(now_meeting, token="guessed"))
        assert response.status_code == 404
        assert "not valid" in response.content.decode()
        assert now_meeting.title not in response.content.decode()
        assert dang_row(world, now_meeting).status == "expected"

    def test_outside_the_window_nothing_is_written(self, client, world):
        later = plan(world, start=timezone.now() + dt.timedelta(hours=3))
        client.force_login(world.dang)
        page = client.get(checkin_url(later)).content.decode()
        assert "Check-in opens at" in page and 'id="checkin-button"' not in page
        response = client.post(checkin_url(later))
        assert response.status_code == 400
        assert dang_row(world, later).status == "expected"

    def test_a_non_member_is_refused(self, client, world, now_meeting):
        client.force_login(world.charlie)  # an administrator without a member record
        response = client.post(checkin_url(now_meeting))
        assert response.status_code == 400
        assert "not linked to a member record" in response.content.decode()


class TestMyMeetings:
    def test_anonymous_users_go_to_the_login(self, client, world):
        assert client.get(MY).status_code == 302

    def test_a_member_sees_upcoming_and_recent_meetings_of_their_branch(self, client, world, now_meeting):
        past = plan(world, code="theme_day", start=at(days_ago(5)), title="上周主题党日")
        other = plan(world, org=world.branch_b, actor=world.boss, title="别的支部")
        client.force_login(world.dang)
        response = client.get(MY)
        content = response.content.decode()
        assert [m.activity for m in response.context["upcoming"]] == [now_meeting]
        assert [m.activity for m in response.context["recent"]] == [past]
        assert other.title not in content
        assert "Check-in is open" in content
        assert reverse("activities:leave_request", args=[now_meeting.code]) in content

    def test_a_leave_request_from_the_page(self, client, world):
        upcoming = plan(world, start=at(days_ago(-2), 14, 30))
        client.force_login(world.dang)
        response = client.post(reverse("activities:leave_request", args=[upcoming.code]), {"reason": "出差"})
        assert response.status_code == 302 and response.url == MY
        row = dang_row(world, upcoming)
        assert (row.status, row.reason) == ("leave", "出差")

    def test_a_leave_request_without_a_reason_keeps_the_page_and_names_the_field(self, client, world):
        upcoming = plan(world, start=at(days_ago(-2), 14, 30))
        client.force_login(world.dang)
        response = client.post(reverse("activities:leave_request", args=[upcoming.code]), {"reason": ""})
        assert response.status_code == 400
        assert "This field is required" in response.content.decode()
        assert dang_row(world, upcoming).status == "expected"

    def test_leave_after_the_start_is_refused(self, client, world):
        started = plan(world, start=timezone.now() - dt.timedelta(minutes=1))
        client.force_login(world.dang)
        response = client.post(reverse("activities:leave_request", args=[started.code]), {"reason": "迟到"})
        assert response.status_code == 400
        assert "has started" in response.content.decode()

    def test_leave_for_another_branchs_meeting_is_404(self, client, world):
        other = plan(world, org=world.branch_b, actor=world.boss, start=at(days_ago(-2)))
        client.force_login(world.dang)
        assert (
            client.post(reverse("activities:leave_request", args=[other.code]), {"reason": "x"}).status_code
            == 404
        )

    def test_an_account_without_a_member_record_is_told_so(self, client, world):
        client.force_login(world.bob)
        assert "not linked to a member record" in client.get(MY).content.decode()
