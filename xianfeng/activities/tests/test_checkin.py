"""QR check-in and leave requests (activities.checkin): the window's edges, double scans, wrong tokens,
cancelled activities, non-members, leave only before the start. Nothing is written on a refusal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xianfeng.activities import checkin, services
from xianfeng.activities.choices import AttendanceSource, AttendanceStatus
from xianfeng.activities.models import Attendance
from xianfeng.activities.tests.test_services_plan import at, days_ago, plan
from xianfeng.core.models import AuditEvent
from xianfeng.core.roles import Role
from xianfeng.testing import make_member, make_user

MINUTE = dt.timedelta(minutes=1)
HALF_HOUR = dt.timedelta(minutes=30)


@pytest.fixture
def meeting(world):
    return plan(world, start=at(days_ago(1), 14, 30))


def scan(world, activity, now, user=None, token=None):
    return checkin.checkin(
        actor=user or world.dang, activity=activity, token=token or activity.checkin_token, now=now
    )


def row(activity, membership):
    return Attendance.objects.get(activity=activity, person=membership.person)


def refused(world, activity, now, code, **kwargs):
    audited = AuditEvent.objects.filter(action="attendance.checkin").count()
    with pytest.raises(ValidationError) as err:
        scan(world, activity, now, **kwargs)
    assert err.value.error_dict, err.value
    codes = {e.code for errors in err.value.error_dict.values() for e in errors}
    assert code in codes, codes
    assert AuditEvent.objects.filter(action="attendance.checkin").count() == audited
    return err.value


class TestWindow:
    def test_exactly_at_the_opening_is_accepted(self, world, meeting):
        result = scan(world, meeting, meeting.planned_start - HALF_HOUR)
        assert not result.already
        saved = row(meeting, world.dang_membership)
        assert (saved.status, saved.source) == (AttendanceStatus.PRESENT, AttendanceSource.QR)
        assert saved.checked_in_at == meeting.planned_start - HALF_HOUR

    def test_exactly_at_the_closing_is_accepted(self, world, meeting):
        assert not scan(world, meeting, meeting.planned_start + HALF_HOUR).already

    def test_one_minute_before_the_opening_is_refused(self, world, meeting):
        error = refused(world, meeting, meeting.planned_start - HALF_HOUR - MINUTE, "too_early")
        assert "opens at" in error.messages[0]
        assert row(meeting, world.dang_membership).status == AttendanceStatus.EXPECTED

    def test_one_minute_after_the_closing_is_refused(self, world, meeting):
        error = refused(world, meeting, meeting.planned_start + HALF_HOUR + MINUTE, "too_late")
        assert "closed at" in error.messages[0]

    def test_the_window_follows_the_settings(self, world, meeting, settings):
        settings.XIANFENG_CHECKIN_BEFORE_MINUTES = 60
        settings.XIANFENG_CHECKIN_AFTER_MINUTES = 0
        assert not scan(world, meeting, meeting.planned_start - dt.timedelta(minutes=60)).already
        other = plan(world, code="theme_day", start=meeting.planned_start)
        refused(world, other, other.planned_start + MINUTE, "too_late")


class TestOnce:
    def test_a_second_scan_says_already_checked_in_and_writes_nothing(self, world, meeting):
        first_time = meeting.planned_start - MINUTE
        scan(world, meeting, first_time)
        again = scan(world, meeting, meeting.planned_start + MINUTE)
        assert again.already
        assert row(meeting, world.dang_membership).checked_in_at == first_time
        assert AuditEvent.objects.filter(action="attendance.checkin").count() == 1

    def test_a_member_on_leave_who_comes_after_all_is_present(self, world, meeting):
        services.attendance_set(
            actor=world.alice,
            activity=meeting,
            person=world.dang_membership.person,
            status="leave",
            reason="病假",
        )
        scan(world, meeting, meeting.planned_start)
        saved = row(meeting, world.dang_membership)
        assert (saved.status, saved.reason) == ("present", "")

    def test_a_member_of_the_org_who_was_not_on_the_list_is_added(self, world):
        training = plan(world, code="training", start=at(days_ago(2), 9))
        scan(world, training, training.planned_start)
        assert row(training, world.dang_membership).status == "present"

    def test_a_check_in_after_the_meeting_was_recorded_updates_the_quorum(self, world):
        meeting = plan(world, start=at(days_ago(0), 0, 0))
        services.activity_record_held(actor=world.alice, activity=meeting, held_start=meeting.planned_start)
        meeting.refresh_from_db()
        assert meeting.quorum_met is False
        scan(world, meeting, meeting.planned_start)
        meeting.refresh_from_db()
        assert meeting.quorum_met is True  # 1 of 2 full members: half or more


class TestRefusals:
    def test_a_wrong_token(self, world, meeting):
        refused(world, meeting, meeting.planned_start, "token", token="not-the-token")

    def test_a_cancelled_activity(self, world, meeting):
        services.activity_cancel(actor=world.alice, activity=meeting, reason="改期")
        refused(world, meeting, meeting.planned_start, "cancelled")

    def test_a_member_of_another_branch(self, world, meeting):
        outsider = make_user("li", grants=[(Role.MEMBER, world.branch_b)])
        world.member_b.person.user = outsider
        world.member_b.person.save(update_fields=["user"])
        error = refused(world, meeting, meeting.planned_start, "not_member", user=outsider)
        assert "李四 was not a member of" in error.messages[0]
        assert not Attendance.objects.filter(person=world.member_b.person).exists()

    def test_an_account_without_a_member_record(self, world, meeting):
        refused(world, meeting, meeting.planned_start, "not_linked", user=world.bob)

    def test_an_applicant_at_a_party_meeting(self, world, meeting):
        applicant = make_member(
            world.branch_a, name="申请人", status="applicant", admission_date=dt.date(2025, 1, 1)
        )
        user = make_user("applicant")
        applicant.person.user = user
        applicant.person.save(update_fields=["user"])
        refused(world, meeting, meeting.planned_start, "not_member", user=user)


class TestLeaveRequest:
    @pytest.fixture
    def upcoming(self, world):
        return plan(world, start=at(days_ago(-3), 14, 30))

    def test_a_leave_request_before_the_start(self, world, upcoming):
        saved = checkin.leave_request(actor=world.dang, activity=upcoming, reason="出差在外")
        assert (saved.status, saved.reason, saved.source) == (
            "leave",
            "出差在外",
            AttendanceSource.LEAVE_REQUEST,
        )
        event = AuditEvent.objects.get(action="attendance.leave_request")
        assert (event.actor, event.message) == (world.dang, "出差在外")

    def test_the_reason_is_required(self, world, upcoming):
        with pytest.raises(ValidationError) as err:
            checkin.leave_request(actor=world.dang, activity=upcoming, reason=" ")
        assert "reason" in err.value.message_dict
        assert row(upcoming, world.dang_membership).status == "expected"

    def test_exactly_at_the_start_and_after_it_are_refused(self, world, meeting):
        for now in (meeting.planned_start, meeting.planned_start + MINUTE):
            with pytest.raises(ValidationError) as err:
                checkin.leave_request(actor=world.dang, activity=meeting, reason="迟到", now=now)
            assert "has started" in err.value.message_dict["reason"][0]
        checkin.leave_request(
            actor=world.dang, activity=meeting, reason="出差", now=meeting.planned_start - MINUTE
        )
        assert row(meeting, world.dang_membership).status == "leave"

    def test_not_for_a_cancelled_or_held_activity(self, world, upcoming):
        services.activity_cancel(actor=world.alice, activity=upcoming, reason="改期")
        with pytest.raises(ValidationError) as err:
            checkin.leave_request(actor=world.dang, activity=upcoming, reason="出差")
        assert "activity" in err.value.message_dict

    def test_not_after_checking_in(self, world, meeting):
        scan(world, meeting, meeting.planned_start - MINUTE)
        with pytest.raises(ValidationError) as err:
            checkin.leave_request(
                actor=world.dang, activity=meeting, reason="x", now=meeting.planned_start - MINUTE
            )
        assert "already checked in" in err.value.message_dict["reason"][0]


def test_the_window_of_an_activity(world, meeting):
    span = checkin.window(meeting)
    assert (span.opens, span.closes) == (meeting.planned_start - HALF_HOUR, meeting.planned_start + HALF_HOUR)
    assert span.contains(span.opens) and span.contains(span.closes)
    assert not span.contains(span.closes + MINUTE)
