"""Coded rules at their boundaries: term expiry, vacant posts, branch size, committee, absence."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta

from xianfeng.compliance.engine import Scope, Status
from xianfeng.compliance.rules import coded_findings
from xianfeng.compliance.tests.builders import attend, held, post
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PoliticalStatus, Post
from xianfeng.testing import make_member, make_org

D = dt.date
TODAY = D(2026, 6, 15)


def coded(org, today=TODAY, rule=None, **kw):
    found = coded_findings(scope=Scope.org_and_groups(org), today=today, **kw)
    return [f for f in found if rule is None or f.rule == f"rule/{rule}"]


def statuses(org, rule, today=TODAY):
    return [f.status for f in coded(org, today, rule)]


class TestTermExpiry:
    @pytest.mark.parametrize(
        ("term_end", "expected"),
        [
            (TODAY + relativedelta(months=6, days=1), []),
            (TODAY + relativedelta(months=6), [Status.DUE_SOON]),  # reminded 6 months ahead (BR-06)
            (TODAY, [Status.DUE_SOON]),  # the last day of the term
            (TODAY - dt.timedelta(days=1), [Status.OVERDUE]),
        ],
    )
    def test_it_warns_six_months_ahead_and_is_overdue_after_the_end(self, world, term_end, expected):
        Org.objects.filter(pk=world.branch_a.pk).update(term_end=term_end)
        assert statuses(world.branch_a, "term_expiry") == expected

    def test_it_cites_the_term_rules(self, world):
        Org.objects.filter(pk=world.branch_a.pk).update(term_end=TODAY)
        (finding,) = coded(world.branch_a, rule="term_expiry")
        assert finding.rule_ref == "BR-04–BR-06" and "任期" in finding.citation


class TestVacancies:
    @pytest.mark.parametrize(
        ("ended", "expected"),
        [
            (TODAY - relativedelta(months=3), [Status.DUE_SOON]),  # vacant exactly 3 months
            (TODAY - relativedelta(months=3) - dt.timedelta(days=1), [Status.OVERDUE]),  # a day more
            (TODAY - dt.timedelta(days=1), [Status.DUE_SOON]),
        ],
    )
    def test_a_secretary_post_vacant_for_more_than_three_months(self, world, ended, expected):
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2020, 1, 1), ended)
        post(world.dang_membership.person, world.group_a1, Post.GROUP_LEADER, D(2020, 1, 1))
        assert statuses(world.branch_a, "secretary_vacant") == expected
        assert statuses(world.branch_a, "group_leader_vacant") == []

    def test_a_filled_post_is_fine(self, world):
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2020, 1, 1), D(2026, 1, 1))
        post(world.dang_membership.person, world.branch_a, Post.SECRETARY, D(2026, 1, 1))
        assert statuses(world.branch_a, "secretary_vacant") == []

    @pytest.mark.parametrize(
        ("founded", "expected"),
        [
            (TODAY - relativedelta(months=3), [Status.DUE_SOON]),
            (TODAY - relativedelta(months=3, days=1), [Status.OVERDUE]),
        ],
    )
    def test_a_group_never_given_a_leader_counts_from_its_founding(self, world, founded, expected):
        group = make_org(world.branch_b, OrgType.PARTY_GROUP, "新小组", founded_date=founded)
        post(world.member_b.person, world.branch_b, Post.SECRETARY, D(2020, 1, 1))
        found = coded_findings(scope=Scope.exact([group]), today=TODAY)
        assert [f.status for f in found if f.rule == "rule/group_leader_vacant"] == expected


class TestBranchSize:
    def test_fewer_than_three_full_members(self, world):
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2020, 1, 1))
        assert statuses(world.branch_a, "too_few_members") == [Status.OVERDUE]  # 2 full members
        make_member(world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=D(2026, 1, 1))
        assert statuses(world.branch_a, "too_few_members") == [Status.OVERDUE]  # probationary: not full
        make_member(world.branch_a)
        assert statuses(world.branch_a, "too_few_members") == []  # 3

    def test_more_than_fifty_members(self, world):
        for _ in range(48):
            make_member(world.branch_a)
        assert statuses(world.branch_a, "too_many_members") == []  # 50
        make_member(world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=D(2026, 1, 1))
        (finding,) = coded(world.branch_a, rule="too_many_members")
        assert (finding.status, finding.done, finding.rule_ref) == (Status.DUE_SOON, 51, "BR-01")

    def test_seven_full_members_and_no_committee(self, world):
        for _ in range(4):
            make_member(world.branch_a)
        assert statuses(world.branch_a, "no_committee") == []  # 6
        make_member(world.branch_a)
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2020, 1, 1))
        post(world.member_a.person, world.branch_a, Post.ORGANIZATION_MEMBER, D(2020, 1, 1))
        assert statuses(world.branch_a, "no_committee") == [Status.OVERDUE]  # 7, one member post
        post(world.dang_membership.person, world.branch_a, Post.PUBLICITY_MEMBER, D(2020, 1, 1))
        assert statuses(world.branch_a, "no_committee") == []


class TestAbsence:
    """No organizational life (present) for 6 consecutive months: the 自行脱党 risk (MEM-09)."""

    def _records_begin(self, world):
        held(world.branch_a, "theme_day", D(2024, 1, 10))  # the branch has records since 2024

    def test_six_months_since_the_last_attendance(self, world):
        self._records_begin(world)
        meeting = held(world.branch_a, "theme_day", D(2025, 12, 15), hour=9)
        attend(meeting, world.dang_membership.person)
        for person in (world.member_a.person,):
            attend(held(world.branch_a, "general_meeting", D(2026, 6, 1)), person)
        found = {f.person_id: f for f in coded(world.branch_a, D(2026, 6, 14), "absent_from_org_life")}
        assert found[world.dang_membership.person.pk].status == Status.DUE_SOON  # a day short of 6 months
        found = {f.person_id: f for f in coded(world.branch_a, D(2026, 6, 15), "absent_from_org_life")}
        finding = found[world.dang_membership.person.pk]
        assert (finding.status, finding.rule_ref, finding.subject) == (Status.OVERDUE, "MEM-09", "member")
        assert world.member_a.person.pk not in found

    def test_leave_or_absence_is_not_attendance(self, world):
        self._records_begin(world)
        attend(held(world.branch_a, "theme_day", D(2025, 12, 1)), world.dang_membership.person)
        attend(held(world.branch_a, "theme_day", D(2026, 3, 1)), world.dang_membership.person, "leave")
        attend(held(world.branch_a, "training", D(2026, 4, 1)), world.dang_membership.person)  # not org life
        statuses_by_person = {
            f.person_id: f.status for f in coded(world.branch_a, D(2026, 6, 1), "absent_from_org_life")
        }
        assert statuses_by_person[world.dang_membership.person.pk] == Status.OVERDUE

    def test_a_group_meeting_is_organizational_life(self, world):
        self._records_begin(world)
        attend(held(world.group_a1, "group_meeting", D(2026, 5, 1)), world.dang_membership.person)
        assert world.dang_membership.person.pk not in {
            f.person_id for f in coded(world.branch_a, TODAY, "absent_from_org_life")
        }

    def test_members_who_joined_less_than_six_months_ago_are_not_flagged(self, world):
        self._records_begin(world)
        newcomer = make_member(
            world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=D(2026, 1, 1)
        )
        found = {f.person_id: f.status for f in coded(world.branch_a, D(2026, 6, 30), "absent_from_org_life")}
        assert found[newcomer.person.pk] == Status.DUE_SOON  # a warning, not the 6-month flag
        found = {f.person_id: f.status for f in coded(world.branch_a, D(2026, 7, 1), "absent_from_org_life")}
        assert found[newcomer.person.pk] == Status.OVERDUE

    def test_nobody_is_flagged_for_months_before_anything_was_recorded(self, world):
        assert coded(world.branch_a, TODAY, "absent_from_org_life") == []  # no records at all
        held(world.branch_a, "theme_day", D(2026, 3, 1))  # records begin in March
        assert {f.status for f in coded(world.branch_a, TODAY, "absent_from_org_life")} == {Status.DUE_SOON}
        assert {f.status for f in coded(world.branch_a, D(2026, 9, 1), "absent_from_org_life")} == {
            Status.OVERDUE
        }

    def test_members_can_be_left_out(self, world):
        self._records_begin(world)
        assert coded(world.branch_a, TODAY, "absent_from_org_life", members=False) == []


def test_the_coded_rules_take_a_bounded_number_of_queries(world, django_assert_num_queries):
    held(world.branch_a, "theme_day", D(2024, 1, 10))
    # orgs, posts (vacancies), members by org, committee posts, party members, attendance, first
    # activities, the dues arrears scan (memberships, bases, payments, reasons, the members in
    # arrears), the people in development with their steps, the overdue transfer letters, and the
    # supervision deadlines (key tasks, rectifications, work orders)
    with django_assert_num_queries(18):
        coded_findings(scope=world.committee, today=TODAY)
    for i in range(5):
        branch = make_org(world.general_branch, OrgType.BRANCH, f"扩展{i}")
        make_member(branch)
        held(branch, "theme_day", D(2025, 1, 1))
    with django_assert_num_queries(18):
        found = coded_findings(scope=world.committee, today=TODAY)
    assert len({f.org_id for f in found}) >= 7
