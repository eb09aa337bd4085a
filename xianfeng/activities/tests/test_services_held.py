"""activity_record_held, activity_update, activity_cancel: no future dates, metrics of the kind, quorum
through the service at its edges (RULES.md MISC-08), cancel rules, re-derived expectations."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xianfeng.activities import services
from xianfeng.activities.choices import ActivityStatus
from xianfeng.activities.models import Activity
from xianfeng.activities.tests.test_services_plan import at, days_ago, expected_names, plan, secretary
from xianfeng.core.models import AuditEvent
from xianfeng.people.choices import Post
from xianfeng.testing import make_member


def held(world, activity, start=None, actor=None, **extra):
    return services.activity_record_held(
        actor=actor or world.alice, activity=activity, held_start=start or activity.planned_start, **extra
    )


class TestNoFutureDates:
    def test_held_earlier_today_is_accepted(self, world):
        today_start = at(timezone.localdate(), 0, 0)
        activity = plan(world, start=today_start)
        held(world, activity, start=today_start, minutes="讨论了三项议题")
        activity.refresh_from_db()
        assert (activity.status, activity.held_start, activity.minutes) == (
            ActivityStatus.HELD,
            today_start,
            "讨论了三项议题",
        )

    def test_held_tomorrow_is_refused_and_nothing_is_written(self, world):
        activity = plan(world, start=at(timezone.localdate()))
        with pytest.raises(ValidationError) as err:
            held(world, activity, start=at(timezone.localdate() + dt.timedelta(days=1), 0, 0))
        assert "future" in err.value.message_dict["held_start"][0]
        activity.refresh_from_db()
        assert activity.status == ActivityStatus.PLANNED
        assert not AuditEvent.objects.filter(action="activity.record_held").exists()

    def test_an_end_in_the_future_is_refused(self, world):
        activity = plan(world)
        with pytest.raises(ValidationError) as err:
            held(world, activity, held_end=timezone.now() + dt.timedelta(minutes=5))
        assert "held_end" in err.value.message_dict

    def test_an_end_before_the_start_is_refused(self, world):
        activity = plan(world)
        with pytest.raises(ValidationError) as err:
            held(world, activity, held_end=activity.planned_start - dt.timedelta(minutes=1))
        assert "held_end" in err.value.message_dict


class TestRecordContents:
    def test_metrics_are_limited_to_the_kinds_own(self, world):
        theme_day = plan(world, code="theme_day")
        with pytest.raises(ValidationError) as err:
            held(world, theme_day, metrics={"service_hours": 3})
        assert "is not recorded for a 主题党日" in err.value.message_dict["metrics"][0]
        held(world, theme_day, metrics={"people_served": 120, "problems_solved": "7", "volunteers": None})
        theme_day.refresh_from_db()
        assert theme_day.metrics == {"people_served": 120, "problems_solved": 7}

    def test_a_negative_metric_is_refused(self, world):
        theme_day = plan(world, code="theme_day")
        with pytest.raises(ValidationError) as err:
            held(world, theme_day, metrics={"people_served": -1})
        assert "metrics" in err.value.message_dict

    def test_a_lecturer_only_for_lectures(self, world):
        meeting = plan(world)
        with pytest.raises(ValidationError) as err:
            held(world, meeting, lecturer=world.member_a.person)
        assert "lecturer" in err.value.message_dict
        lecture = plan(world, code="party_lecture")
        held(world, lecture, lecturer=world.member_a.person, host=world.dang_membership.person)
        lecture.refresh_from_db()
        assert (lecture.lecturer, lecture.host) == (world.member_a.person, world.dang_membership.person)

    def test_a_held_meeting_on_a_day_with_the_same_meeting_is_refused(self, world):
        day = days_ago(6)
        plan(world, start=at(day))
        other = plan(world, start=at(day + dt.timedelta(days=1)))
        with pytest.raises(ValidationError) as err:
            held(world, other, start=at(day, 15))
        assert "already recorded" in err.value.message_dict["held_start"][0]

    def test_recording_is_audited(self, world):
        activity = held(world, plan(world))
        event = AuditEvent.objects.get(action="activity.record_held")
        assert event.target_id == str(activity.code)
        assert event.after["status"] == "held"

    def test_a_read_only_user_cannot_record(self, world):
        activity = plan(world)
        with pytest.raises(PermissionDenied):
            held(world, activity, actor=world.bob)


class TestQuorumThroughTheService:
    """Each threshold at its edge; guests and non-voting members do not count."""

    def _branch_of(self, world, full=4, probationary=0):
        org = world.branch_b
        people = [
            make_member(org, name=f"党员{i}", admission_date=dt.date(2015, 1, 1)).person for i in range(full)
        ]
        people[0:0] = [world.member_b.person]
        probation = [
            make_member(org, name=f"预备{i}", status="probationary", admission_date=days_ago(60)).person
            for i in range(probationary)
        ]
        return people, probation

    def test_general_meeting_half_or_more_of_voting_members(self, world):
        full, _ = self._branch_of(world, full=3)  # 4 full members with 李四
        meeting = plan(world, org=world.branch_b, actor=world.boss)
        for person in full[:1]:
            services.attendance_set(actor=world.boss, activity=meeting, person=person, status="present")
        held(world, meeting, actor=world.boss)
        meeting.refresh_from_db()
        assert meeting.quorum_met is False  # 1 of 4
        services.attendance_set(actor=world.boss, activity=meeting, person=full[1], status="present")
        meeting.refresh_from_db()
        assert meeting.quorum_met is True  # 2 of 4: exactly half is enough (以上)

    def test_probationary_members_and_guests_do_not_count_for_the_vote(self, world):
        _full, probation = self._branch_of(world, full=1, probationary=2)  # 2 full, 2 probationary
        meeting = plan(world, org=world.branch_b, actor=world.boss)
        assert len(expected_names(meeting)) == 4
        for person in probation:
            services.attendance_set(actor=world.boss, activity=meeting, person=person, status="present")
        services.attendance_set(
            actor=world.boss, activity=meeting, person=world.member_a.person, status="guest"
        )
        held(world, meeting, actor=world.boss)
        meeting.refresh_from_db()
        assert meeting.quorum_met is False  # 0 of 2 voting members, although 3 people came

    def test_admission_meeting_needs_more_than_half(self, world):
        full, _ = self._branch_of(world, full=3)  # 4 full members
        meeting = plan(world, org=world.branch_b, actor=world.boss, code="admission_meeting")
        for person in full[:2]:
            services.attendance_set(actor=world.boss, activity=meeting, person=person, status="present")
        held(world, meeting, actor=world.boss)
        meeting.refresh_from_db()
        assert meeting.quorum_met is False  # 2 of 4 is not more than half (超过半数)
        services.attendance_set(actor=world.boss, activity=meeting, person=full[2], status="present")
        meeting.refresh_from_db()
        assert meeting.quorum_met is True

    def test_election_needs_more_than_four_fifths(self, world):
        full, _ = self._branch_of(world, full=4)  # 5 full members
        meeting = plan(world, org=world.branch_b, actor=world.boss, code="election_meeting")
        for person in full[:4]:
            services.attendance_set(actor=world.boss, activity=meeting, person=person, status="present")
        held(world, meeting, actor=world.boss)
        meeting.refresh_from_db()
        assert meeting.quorum_met is False  # 4 of 5 is exactly 4/5, not more
        services.attendance_set(actor=world.boss, activity=meeting, person=full[4], status="present")
        meeting.refresh_from_db()
        assert meeting.quorum_met is True

    def test_committee_meeting_counts_committee_members_only(self, world):
        secretary(world)
        secretary(world, world.dang_membership, post=Post.ORGANIZATION_MEMBER)
        meeting = plan(world, code="committee_meeting")
        services.attendance_set(
            actor=world.alice, activity=meeting, person=world.member_a.person, status="present"
        )
        held(world, meeting)
        meeting.refresh_from_db()
        assert meeting.quorum_met is True  # 1 of 2 committee members (半数以上)

    def test_a_kind_without_a_quorum_rule_has_no_verdict(self, world):
        theme_day = held(world, plan(world, code="theme_day"))
        assert theme_day.quorum_met is None


class TestTalkHeld:
    def test_a_talk_needs_both_parties_and_both_are_present_when_held(self, world):
        talk = plan(world, code="talk")
        with pytest.raises(ValidationError) as err:
            held(world, talk)
        assert "participants" in err.value.message_dict
        for person in (world.member_a.person, world.dang_membership.person):
            services.attendance_set(actor=world.alice, activity=talk, person=person, status="expected")
        held(world, talk)
        assert set(talk.attendance.values_list("status", flat=True)) == {"present"}


class TestUpdateAndCancel:
    def test_moving_the_date_re_derives_who_is_expected(self, world):
        joined = days_ago(5)
        make_member(world.branch_a, name="新预备", status="probationary", admission_date=joined)
        meeting = plan(world, start=at(joined - dt.timedelta(days=2)))
        assert "新预备" not in expected_names(meeting)
        services.activity_update(actor=world.alice, activity=meeting, data={"planned_start": at(joined)})
        assert "新预备" in expected_names(meeting)
        assert AuditEvent.objects.filter(action="activity.update").count() == 1

    def test_a_held_activity_keeps_its_planned_time(self, world):
        meeting = held(world, plan(world))
        with pytest.raises(ValidationError) as err:
            services.activity_update(
                actor=world.alice, activity=meeting, data={"planned_start": at(days_ago(1))}
            )
        assert "planned_start" in err.value.message_dict

    def test_unknown_fields_are_refused(self, world):
        with pytest.raises(ValidationError) as err:
            services.activity_update(actor=world.alice, activity=plan(world), data={"org": world.branch_b})
        assert "org" in err.value.message_dict

    def test_cancelling_needs_a_reason(self, world):
        meeting = plan(world)
        with pytest.raises(ValidationError) as err:
            services.activity_cancel(actor=world.alice, activity=meeting, reason="  ")
        assert "reason" in err.value.message_dict
        services.activity_cancel(actor=world.alice, activity=meeting, reason="防汛值班")
        meeting.refresh_from_db()
        assert (meeting.status, meeting.cancel_reason) == (ActivityStatus.CANCELLED, "防汛值班")
        assert AuditEvent.objects.get(action="activity.cancel").message == "防汛值班"

    def test_a_held_activity_cannot_be_cancelled(self, world):
        meeting = held(world, plan(world))
        with pytest.raises(ValidationError) as err:
            services.activity_cancel(actor=world.alice, activity=meeting, reason="错误")
        assert "status" in err.value.message_dict

    def test_a_cancelled_activity_cannot_be_recorded_or_changed(self, world):
        meeting = plan(world)
        services.activity_cancel(actor=world.alice, activity=meeting, reason="停电")
        with pytest.raises(ValidationError):
            held(world, meeting)
        with pytest.raises(ValidationError):
            services.attendance_set(
                actor=world.alice, activity=meeting, person=world.member_a.person, status="present"
            )
        assert Activity.objects.get().status == ActivityStatus.CANCELLED
