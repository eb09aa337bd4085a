"""activity_plan: who is expected on the planned date, which kinds an org holds, duplicates, scope, audit.

Module-level builders here are shared by the other activity test modules.
"""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from xianfeng.activities import services
from xianfeng.activities.choices import ActivityStatus, Audience
from xianfeng.activities.models import Activity, ActivityKind, Attendance
from xianfeng.core.models import AuditEvent
from xianfeng.people import services as people_services
from xianfeng.people.choices import Post
from xianfeng.testing import make_member


def kind(code):
    return ActivityKind.objects.get(code=code)


def at(day, hour=9, minute=0):
    """An aware datetime at local (Asia/Shanghai) wall-clock time on `day`."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def days_ago(n):
    return timezone.localdate() - dt.timedelta(days=n)


def plan(world, code="general_meeting", org=None, start=None, actor=None, **extra):
    return services.activity_plan(
        actor=actor or world.alice,
        org=org or world.branch_a,
        kind=kind(code),
        planned_start=start or at(days_ago(10), 14, 30),
        **extra,
    )


def expected_names(activity):
    return sorted(Attendance.objects.filter(activity=activity).values_list("person__name", flat=True))


def secretary(world, membership=None, org=None, start=dt.date(2024, 3, 1), post=Post.SECRETARY):
    return people_services.post_assign(
        actor=None,
        person=(membership or world.member_a).person,
        org=org or world.branch_a,
        post=post,
        start_date=start,
    )


def in_group(membership, group):
    return people_services.membership_update(
        actor=None, membership=membership, data={"party_group": group}, reason="分组"
    )


class TestExpectedPeople:
    def test_a_general_meeting_expects_the_party_members_of_the_branch_on_that_date(self, world):
        make_member(world.branch_a, name="申请人甲", status="applicant", admission_date=dt.date(2025, 1, 1))
        activity = plan(world)
        assert expected_names(activity) == sorted(["张三", "王党员"])
        assert activity.status == ActivityStatus.PLANNED
        assert activity.title == "支部党员大会"

    def test_a_member_admitted_after_the_date_is_not_expected(self, world):
        admitted = days_ago(5)
        make_member(world.branch_a, name="新预备", status="probationary", admission_date=admitted)
        assert "新预备" not in expected_names(plan(world, start=at(admitted - dt.timedelta(days=1))))
        assert "新预备" in expected_names(plan(world, start=at(admitted), code="theme_day"))

    def test_an_election_expects_full_members_only(self, world):
        make_member(world.branch_a, name="预备乙", status="probationary", admission_date=days_ago(100))
        activity = plan(world, code="election_meeting")
        assert expected_names(activity) == sorted(["张三", "王党员"])

    def test_a_committee_meeting_expects_the_holders_of_committee_posts_on_that_date(self, world):
        secretary(world)
        secretary(world, world.dang_membership, post=Post.ORGANIZATION_MEMBER, start=days_ago(3))
        assert expected_names(plan(world, code="committee_meeting", start=at(days_ago(5)))) == ["张三"]
        later = plan(world, code="committee_meeting", start=at(days_ago(2)))
        assert expected_names(later) == sorted(["张三", "王党员"])

    def test_a_group_meeting_expects_the_members_of_the_group(self, world):
        in_group(world.dang_membership, world.group_a1)
        activity = plan(world, code="group_meeting", org=world.group_a1)
        assert expected_names(activity) == ["王党员"]

    def test_named_kinds_expect_nobody_until_people_are_added(self, world):
        activity = plan(world, code="training", participants=[world.member_a.person])
        assert expected_names(activity) == ["张三"]

    def test_an_everyone_kind_also_expects_applicants(self, world):
        ActivityKind.objects.create(
            code="open_day", name="开放日", category="service", audience=Audience.EVERYONE
        )
        make_member(world.branch_a, name="申请人丙", status="applicant", admission_date=dt.date(2024, 1, 1))
        assert "申请人丙" in expected_names(plan(world, code="open_day"))

    def test_a_member_who_left_is_expected_before_leaving_and_not_after(self, world):
        left = days_ago(20)
        people_services.member_leave(actor=None, membership=world.member_a, reason="death", date=left)
        assert "张三" in expected_names(plan(world, start=at(left - dt.timedelta(days=1))))
        assert "张三" not in expected_names(plan(world, start=at(left), code="theme_day"))


class TestTransferredMember:
    """Membership.org is today's org; TRANSFER events after the date say where the member was then."""

    def test_expected_in_the_old_org_before_the_transfer_date_and_in_the_new_one_from_it(self, world):
        moved = days_ago(10)
        people_services.member_transfer(
            actor=None, membership=world.member_a, to_org=world.branch_b, date=moved, reason="调动"
        )
        before, on = at(moved - dt.timedelta(days=1)), at(moved)
        assert "张三" in expected_names(plan(world, org=world.branch_a, start=before))
        assert "张三" not in expected_names(plan(world, org=world.branch_a, start=on, code="theme_day"))
        assert "张三" in expected_names(plan(world, org=world.branch_b, start=on, actor=world.boss))
        assert "张三" not in expected_names(
            plan(world, org=world.branch_b, start=before, actor=world.boss, code="theme_day")
        )


class TestKindsAndOrgs:
    def test_a_branch_does_not_hold_a_party_group_meeting(self, world):
        with pytest.raises(ValidationError) as err:
            plan(world, code="group_meeting")
        assert "kind" in err.value.message_dict
        assert "Party group" in err.value.message_dict["kind"][0]
        assert not Activity.objects.exists()

    def test_a_branch_does_not_hold_a_party_committee_meeting(self, world):
        with pytest.raises(ValidationError) as err:
            plan(world, code="party_committee_meeting")
        assert "kind" in err.value.message_dict

    def test_an_inactive_kind_is_refused(self, world):
        ActivityKind.objects.filter(code="theme_day").update(active=False)
        with pytest.raises(ValidationError) as err:
            plan(world, code="theme_day")
        assert "kind" in err.value.message_dict

    def test_the_end_must_come_after_the_start(self, world):
        start = at(days_ago(3), 14)
        with pytest.raises(ValidationError) as err:
            plan(world, start=start, planned_end=start)
        assert "planned_end" in err.value.message_dict

    def test_only_lectures_have_a_lecturer(self, world):
        with pytest.raises(ValidationError) as err:
            plan(world, lecturer=world.member_a.person)
        assert "lecturer" in err.value.message_dict
        lecture = plan(world, code="party_lecture", lecturer=world.member_a.person)
        assert lecture.lecturer == world.member_a.person


class TestDuplicates:
    def test_the_same_meeting_on_the_same_day_is_refused(self, world):
        day = days_ago(4)
        plan(world, start=at(day, 9))
        with pytest.raises(ValidationError) as err:
            plan(world, start=at(day, 23, 59))
        message = err.value.message_dict["planned_start"][0]
        assert "already recorded" in message and day.isoformat() in message
        assert Activity.objects.count() == 1

    def test_the_next_day_and_other_kinds_or_orgs_are_fine(self, world):
        day = days_ago(4)
        plan(world, start=at(day, 9))
        plan(world, start=at(day + dt.timedelta(days=1), 0, 0))
        plan(world, start=at(day, 9), code="theme_day")
        plan(world, start=at(day, 9), org=world.branch_b, actor=world.boss)
        assert Activity.objects.count() == 4

    def test_a_cancelled_meeting_does_not_block_a_new_one(self, world):
        first = plan(world)
        services.activity_cancel(actor=world.alice, activity=first, reason="停电")
        plan(world)
        assert Activity.objects.count() == 2

    def test_talks_may_happen_several_times_a_day(self, world):
        parties = [world.member_a.person, world.dang_membership.person]
        plan(world, code="talk", participants=parties)
        plan(world, code="talk", participants=parties)
        assert Activity.objects.filter(kind__code="talk").count() == 2


class TestTalks:
    def test_a_talk_records_both_parties(self, world):
        talk = plan(world, code="talk", participants=[world.member_a.person, world.dang_membership.person])
        assert expected_names(talk) == sorted(["张三", "王党员"])
        assert talk.host == world.member_a.person

    def test_a_talk_with_one_or_three_people_is_refused(self, world):
        extra = make_member(world.branch_a, name="第三人").person
        for people in ([world.member_a.person], [world.member_a.person, world.dang_membership.person, extra]):
            with pytest.raises(ValidationError) as err:
                plan(world, code="talk", participants=people)
            assert "participants" in err.value.message_dict
        assert not Activity.objects.exists()

    def test_a_party_from_another_branch_is_refused(self, world):
        with pytest.raises(ValidationError) as err:
            plan(world, code="talk", participants=[world.member_a.person, world.member_b.person])
        assert "was not a member" in err.value.message_dict["participants"][0]


class TestScopeAndAudit:
    def test_a_read_only_user_cannot_plan(self, world):
        with pytest.raises(PermissionDenied):
            plan(world, actor=world.bob)

    def test_an_outsider_cannot_plan_in_another_branch(self, world):
        with pytest.raises(PermissionDenied):
            plan(world, actor=world.charlie)
        assert not Activity.objects.exists()

    def test_planning_is_audited(self, world):
        activity = plan(world)
        event = AuditEvent.objects.get(action="activity.plan")
        assert (event.actor, event.org, event.target_id) == (world.alice, world.branch_a, str(activity.code))
        assert activity.created_by == world.alice
