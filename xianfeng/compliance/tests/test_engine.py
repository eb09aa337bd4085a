"""The compliance engine: what counts, for which period, and which status a finding has on which day."""

import datetime as dt

import pytest

from xianfeng.compliance.engine import Engine, Scope, Status, deadline_in, findings, open_status
from xianfeng.compliance.periods import PeriodKind, period_containing
from xianfeng.compliance.tests.builders import (
    contact_point,
    enterprise_profile,
    held,
    obligation,
    post,
)
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Post
from xianfeng.testing import make_member, make_org

D = dt.date
THEME_DAY = "national/br13-theme-day-monthly"
GENERAL_MEETING = "national/br09-general-meeting-quarterly"
COMMITTEE_MEETING = "national/br10-committee-meeting-monthly"
GROUP_MEETING = "national/br11-group-meeting-monthly"
ORG_LIFE = "national/br14-org-life-meeting-yearly"
SECRETARY_LECTURE = "national/br12-branch-secretary-lecture"


def run(scope, start, end, today, **kw):
    return findings(scope=scope, start=start, end=end, today=today, **kw)


def one(found, rule, org, label, person=None):
    matches = [
        f
        for f in found
        if f.rule == rule
        and f.org_id == org.pk
        and f.period_label == label
        and (person is None or f.person_id == person)
    ]
    assert len(matches) == 1, (rule, label, [(f.rule, f.period_label) for f in found if f.org_id == org.pk])
    return matches[0]


def status(org, rule, label, today, **kw):
    period = _period_of(label)
    found = run(Scope.exact([org]), period.start, period.last_day, today, **kw)
    return one(found, rule, org, label).status


def _period_of(label):
    if len(label) == 4:
        return period_containing(D(int(label), 1, 1), PeriodKind.YEAR)
    if "Q" in label:
        return period_containing(D(int(label[:4]), (int(label[-1]) - 1) * 3 + 1, 1), PeriodKind.QUARTER)
    if "H" in label:
        return period_containing(D(int(label[:4]), (int(label[-1]) - 1) * 6 + 1, 1), PeriodKind.HALF_YEAR)
    return period_containing(D(int(label[:4]), int(label[5:]), 1), PeriodKind.MONTH)


class TestPeriodEdges:
    def test_a_meeting_late_on_the_last_day_of_a_month_counts_for_that_month(self, world):
        activity = held(world.branch_a, "theme_day", D(2026, 1, 31), hour=23, minute=59)
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 2, 28), D(2026, 3, 15))
        january = one(found, THEME_DAY, world.branch_a, "2026-01")
        assert (january.status, january.done, january.evidence) == (Status.MET, 1, (activity.pk,))
        assert one(found, THEME_DAY, world.branch_a, "2026-02").status == Status.MISSED

    def test_a_meeting_just_after_midnight_on_the_first_counts_for_the_next_month(self, world):
        held(world.branch_a, "theme_day", D(2026, 2, 1), hour=0, minute=0)
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 2, 28), D(2026, 3, 15))
        assert one(found, THEME_DAY, world.branch_a, "2026-01").status == Status.MISSED
        assert one(found, THEME_DAY, world.branch_a, "2026-02").status == Status.MET

    @pytest.mark.parametrize(
        ("day", "label"),
        [(D(2026, 3, 31), "2026-Q1"), (D(2026, 4, 1), "2026-Q2"), (D(2026, 12, 31), "2026-Q4")],
    )
    def test_quarter_edges(self, world, day, label):
        held(world.branch_a, "general_meeting", day, hour=23, minute=30)
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 12, 31), D(2027, 2, 1))
        met = {f.period_label for f in found if f.rule == GENERAL_MEETING and f.status == Status.MET}
        assert met == {label}

    def test_half_year_edges(self, world):
        profile = enterprise_profile(world.committee)
        obligation(profile, "report-half-yearly", ["work_report"], period="half_year")
        held(world.branch_a, "work_report", D(2026, 6, 30), hour=23, minute=59)
        held(world.branch_b, "work_report", D(2026, 7, 1), hour=0, minute=1)
        found = run(world.general_branch, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 5))
        rule = "ent/report-half-yearly"
        assert one(found, rule, world.branch_a, "2026-H1").status == Status.MET
        assert one(found, rule, world.branch_a, "2026-H2").status == Status.MISSED
        assert one(found, rule, world.branch_b, "2026-H1").status == Status.MISSED
        assert one(found, rule, world.branch_b, "2026-H2").status == Status.MET

    def test_year_edges(self, world):
        held(world.branch_a, "org_life_meeting", D(2026, 12, 31), hour=23, minute=59)
        held(world.branch_b, "org_life_meeting", D(2027, 1, 1), hour=0, minute=0)
        found = run(world.general_branch, D(2026, 1, 1), D(2027, 12, 31), D(2028, 1, 2))
        assert one(found, ORG_LIFE, world.branch_a, "2026").status == Status.MET
        assert one(found, ORG_LIFE, world.branch_a, "2027").status == Status.MISSED
        assert one(found, ORG_LIFE, world.branch_b, "2026").status == Status.MISSED
        assert one(found, ORG_LIFE, world.branch_b, "2027").status == Status.MET

    def test_leap_year_february_ends_on_the_29th(self, world):
        held(world.branch_a, "theme_day", D(2024, 2, 29), hour=20)
        found = run(world.branch_a, D(2024, 2, 1), D(2024, 2, 29), D(2024, 3, 1))
        february = one(found, THEME_DAY, world.branch_a, "2024-02")
        assert (february.status, february.period_end, february.due) == (
            Status.MET,
            D(2024, 2, 29),
            D(2024, 2, 29),
        )

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (D(2024, 1, 31), Status.PENDING),  # the period has not started
            (D(2024, 2, 21), Status.PENDING),
            (D(2024, 2, 22), Status.DUE_SOON),  # 7 days before the 29th
            (D(2024, 2, 29), Status.DUE_SOON),  # the last day is still in time
            (D(2024, 3, 1), Status.MISSED),
        ],
    )
    def test_a_monthly_obligation_through_a_leap_february(self, world, today, expected):
        assert status(world.branch_a, THEME_DAY, "2024-02", today) == expected


class TestDeadlines:
    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (D(2026, 9, 29), Status.PENDING),
            (D(2026, 9, 30), Status.DUE_SOON),  # 92 days before 31 December
            (D(2026, 12, 31), Status.DUE_SOON),  # the deadline day itself is in time
            (D(2027, 1, 1), Status.MISSED),  # the year is over: missed, not overdue
        ],
    )
    def test_the_organizational_life_meeting_by_31_december(self, world, today, expected):
        assert status(world.branch_a, ORG_LIFE, "2026", today) == expected

    def test_a_deadline_inside_the_period_makes_it_overdue_then_missed(self, world):
        profile = enterprise_profile(world.committee)
        obligation(
            profile,
            "by-june",
            ["work_report"],
            period="year",
            deadline_month=6,
            deadline_day=30,
            due_soon_days=10,
        )
        rule = "ent/by-june"
        assert status(world.branch_a, rule, "2026", D(2026, 6, 19)) == Status.PENDING
        assert status(world.branch_a, rule, "2026", D(2026, 6, 20)) == Status.DUE_SOON
        assert status(world.branch_a, rule, "2026", D(2026, 6, 30)) == Status.DUE_SOON
        assert status(world.branch_a, rule, "2026", D(2026, 7, 1)) == Status.OVERDUE
        assert status(world.branch_a, rule, "2026", D(2027, 1, 1)) == Status.MISSED
        held(world.branch_a, "work_report", D(2026, 8, 1))  # late, but done: met
        assert status(world.branch_a, rule, "2026", D(2026, 8, 2)) == Status.MET

    def test_deadline_arithmetic(self):
        year = period_containing(D(2026, 5, 1), PeriodKind.YEAR)
        assert deadline_in(year, 12, 31) == D(2026, 12, 31)
        assert deadline_in(year, 2, 31) == D(2026, 2, 28)  # clamped to the month's end
        assert deadline_in(period_containing(D(2024, 2, 1), PeriodKind.YEAR), 2, 29) == D(2024, 2, 29)
        quarter = period_containing(D(2026, 5, 1), PeriodKind.QUARTER)
        assert deadline_in(quarter, None, 15) == D(2026, 6, 15)  # a day of the period's last month
        assert deadline_in(quarter, None, None) is None

    def test_open_status_never_calls_a_future_period_due(self):
        period = period_containing(D(2026, 5, 1), PeriodKind.MONTH)
        assert open_status(period, period.last_day, 400, D(2026, 4, 30)) == Status.PENDING


class TestValidity:
    @pytest.mark.parametrize(
        ("valid_from", "valid_to", "labels"),
        [
            (D(2026, 3, 1), None, ["2026-03", "2026-04"]),  # in force on the period's first day
            (D(2026, 3, 2), None, ["2026-04"]),  # from the 2nd: March is not judged by it
            (D(2026, 1, 1), D(2026, 3, 1), ["2026-02", "2026-03"]),  # valid_to is inclusive
            (D(2026, 1, 1), D(2026, 2, 28), ["2026-02"]),
        ],
    )
    def test_obligations_apply_to_periods_starting_while_they_are_in_force(
        self, world, valid_from, valid_to, labels
    ):
        profile = enterprise_profile(world.committee)
        obligation(profile, "monthly-report", ["work_report"], valid_from=valid_from, valid_to=valid_to)
        found = run(world.branch_a, D(2026, 2, 1), D(2026, 4, 30), D(2026, 5, 1))
        assert sorted(f.period_label for f in found if f.rule == "ent/monthly-report") == labels

    def test_an_inactive_obligation_applies_nowhere(self, world):
        profile = enterprise_profile(world.committee)
        obligation(profile, "off", ["work_report"], active=False)
        found = run(world.branch_a, D(2026, 2, 1), D(2026, 2, 28), D(2026, 3, 1))
        assert not [f for f in found if f.rule == "ent/off"]


class TestSubjects:
    def test_an_org_founded_or_dissolved_during_the_year_is_judged_only_while_it_exists(self, world):
        Org.objects.filter(pk=world.branch_b.pk).update(
            founded_date=D(2026, 3, 31), status=OrgStatus.DISSOLVED, dissolved_date=D(2026, 5, 1)
        )
        found = run(world.branch_b, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1))
        assert sorted(f.period_label for f in found if f.rule == THEME_DAY) == [
            "2026-03",
            "2026-04",
            "2026-05",
        ]

    def test_a_dissolved_org_without_a_date_is_not_judged(self, world):
        Org.objects.filter(pk=world.branch_b.pk).update(status=OrgStatus.DISSOLVED)
        assert not run(world.branch_b, D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 1))

    def test_group_meetings_belong_to_the_group(self, world):
        held(world.branch_a, "group_meeting", D(2026, 1, 10))  # recorded on the branch: not the group's
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 1))
        assert one(found, GROUP_MEETING, world.group_a1, "2026-01").status == Status.MISSED
        held(world.group_a1, "group_meeting", D(2026, 1, 11))
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 1))
        assert one(found, GROUP_MEETING, world.group_a1, "2026-01").status == Status.MET
        assert not [f for f in found if f.rule == GROUP_MEETING and f.org_id == world.branch_a.pk]

    def test_planned_and_cancelled_activities_do_not_count(self, world):
        held(world.branch_a, "theme_day", D(2026, 1, 10), status="planned")
        held(world.branch_a, "theme_day", D(2026, 1, 11), status="cancelled")
        assert status(world.branch_a, THEME_DAY, "2026-01", D(2026, 2, 1)) == Status.MISSED

    def test_a_topic_tag_counts_only_activities_with_that_tag(self, world):
        profile = enterprise_profile(world.committee)
        obligation(profile, "safety-month", ["theme_day"], topic_tag="safety")
        held(world.branch_a, "theme_day", D(2026, 1, 5), tags=["safety_culture"])  # not "safety"
        held(world.branch_a, "theme_day", D(2026, 1, 6), tags=["ideology"])
        assert status(world.branch_a, "ent/safety-month", "2026-01", D(2026, 2, 1)) == Status.MISSED
        held(world.branch_a, "theme_day", D(2026, 1, 7), tags=["ideology", "safety"])
        assert status(world.branch_a, "ent/safety-month", "2026-01", D(2026, 2, 1)) == Status.MET

    def test_an_enterprise_profile_applies_to_its_subtree_only(self, world):
        profile = enterprise_profile(world.branch_b)
        obligation(profile, "b-only", ["work_report"])
        found = run(world.committee, D(2026, 1, 1), D(2026, 1, 31), D(2026, 2, 1))
        assert {f.org_id for f in found if f.rule == "ent/b-only"} == {world.branch_b.pk}

    def test_an_enterprise_obligation_replaces_a_local_default_with_the_same_code(self, world):
        profile = enterprise_profile(world.branch_a)
        obligation(
            profile, "br12-branch-lecture-quarterly", ["party_lecture"], period="month", level="enterprise"
        )
        found = run(world.general_branch, D(2026, 1, 1), D(2026, 3, 31), D(2026, 4, 1))
        local = "national/br12-branch-lecture-quarterly"
        assert {f.org_id for f in found if f.rule == local} == {world.branch_b.pk}
        assert {f.period_label for f in found if f.rule == "ent/br12-branch-lecture-quarterly"} == {
            "2026-01",
            "2026-02",
            "2026-03",
        }


class TestCommitteeCondition:
    """BR-10 applies when the branch has a committee: 7+ full members, or 2+ committee-member posts."""

    def test_a_small_branch_without_committee_posts_has_no_monthly_committee_meeting(self, world):
        assert status(world.branch_a, COMMITTEE_MEETING, "2026-01", D(2026, 2, 1)) == Status.NOT_APPLICABLE

    def test_seven_full_members_make_it_apply(self, world):
        for _ in range(4):
            make_member(world.branch_a)
        assert (
            status(world.branch_a, COMMITTEE_MEETING, "2026-01", D(2026, 2, 1)) == Status.NOT_APPLICABLE
        )  # 6
        make_member(world.branch_a)
        assert status(world.branch_a, COMMITTEE_MEETING, "2026-01", D(2026, 2, 1)) == Status.MISSED  # 7

    def test_members_converted_after_the_period_do_not_count_for_it(self, world):
        for _ in range(5):
            make_member(world.branch_a, admission_date=D(2025, 6, 1))  # full from 2026-06-01
        assert status(world.branch_a, COMMITTEE_MEETING, "2026-05", D(2026, 7, 1)) == Status.NOT_APPLICABLE
        assert status(world.branch_a, COMMITTEE_MEETING, "2026-06", D(2026, 7, 1)) == Status.MISSED

    def test_two_committee_member_posts_make_it_apply(self, world):
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2025, 1, 1))
        post(world.member_a.person, world.branch_a, Post.ORGANIZATION_MEMBER, D(2025, 1, 1))
        assert status(world.branch_a, COMMITTEE_MEETING, "2026-01", D(2026, 2, 1)) == Status.NOT_APPLICABLE
        # a holding's end date is the first day without the post: held through 31 January
        post(
            world.dang_membership.person, world.branch_a, Post.PUBLICITY_MEMBER, D(2025, 1, 1), D(2026, 2, 1)
        )
        assert status(world.branch_a, COMMITTEE_MEETING, "2026-01", D(2026, 3, 1)) == Status.MISSED
        # on February's reference day (its last day) there is one committee-member post left
        assert status(world.branch_a, COMMITTEE_MEETING, "2026-02", D(2026, 3, 1)) == Status.NOT_APPLICABLE


class TestPeople:
    def test_a_secretary_lecture_counts_lectures_given_anywhere_as_lecturer_or_host(self, world):
        secretary = world.member_a.person
        post(secretary, world.branch_a, Post.SECRETARY, D(2024, 1, 1))
        held(world.branch_a, "party_lecture", D(2026, 3, 1), lecturer=world.dang_membership.person)
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1))
        assert one(found, SECRETARY_LECTURE, world.branch_a, "2026", secretary.pk).status == Status.MISSED
        lecture = held(world.branch_b, "party_lecture", D(2026, 5, 1), host=secretary)
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1))
        finding = one(found, SECRETARY_LECTURE, world.branch_a, "2026", secretary.pk)
        assert (finding.status, finding.evidence, finding.person_code) == (
            Status.MET,
            (lecture.pk,),
            str(secretary.code),
        )

    def test_the_holder_on_the_reference_day_is_the_subject(self, world):
        old, new = world.member_a.person, world.dang_membership.person
        post(old, world.branch_a, Post.SECRETARY, D(2024, 1, 1), D(2026, 6, 1))
        post(new, world.branch_a, Post.SECRETARY, D(2026, 6, 1))
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1))
        assert {f.person_id for f in found if f.rule == SECRETARY_LECTURE} == {new.pk}
        found = run(world.branch_a, D(2026, 1, 1), D(2026, 12, 31), D(2026, 3, 1))  # judged in March
        assert {f.person_id for f in found if f.rule == SECRETARY_LECTURE} == {old.pk}

    def test_contact_point_visits_count_at_the_contact_point_with_the_leader(self, world):
        profile = enterprise_profile(world.committee)
        obligation(
            profile,
            "visits",
            ["contact_point_visit"],
            subject="contact_point",
            org_types=[],
            at_contact_point=True,
            given_by_subject=True,
            min_count=2,
            period="year",
        )
        leader = make_member(world.committee, name="领导").person
        contact_point(leader, world.branch_a, D(2025, 1, 1))
        held(world.branch_a, "contact_point_visit", D(2026, 3, 1), host=leader)
        held(world.branch_b, "contact_point_visit", D(2026, 4, 1), host=leader)  # not at the contact point
        held(
            world.branch_a, "contact_point_visit", D(2026, 5, 1), host=world.member_a.person
        )  # not the leader
        finding = one(
            run(world.committee, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1)),
            "ent/visits",
            world.branch_a,
            "2026",
        )
        assert (finding.status, finding.done, finding.person_id) == (Status.MISSED, 1, leader.pk)
        held(world.branch_a, "contact_point_visit", D(2026, 6, 1), lecturer=leader)
        finding = one(
            run(world.committee, D(2026, 1, 1), D(2026, 12, 31), D(2027, 1, 1)),
            "ent/visits",
            world.branch_a,
            "2026",
        )
        assert (finding.status, finding.done) == (Status.MET, 2)

    def test_person_ids_limit_personal_findings_to_one_person(self, world):
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2024, 1, 1))
        post(world.member_b.person, world.branch_b, Post.SECRETARY, D(2024, 1, 1))
        found = Engine(
            scope=Scope.everything(),
            start=D(2026, 5, 1),
            end=D(2026, 5, 1),
            today=D(2026, 5, 1),
            subjects=["post_holder"],
            person_ids=[world.member_b.person.pk],
        ).run()
        assert {(f.rule, f.person_id) for f in found} == {(SECRETARY_LECTURE, world.member_b.person.pk)}


class TestQueries:
    """One aggregate per (subject class, topic tag), whatever the number of branches (docs/decisions.md)."""

    def _grow(self, world, n):
        for i in range(n):
            branch = make_org(world.general_branch, OrgType.BRANCH, f"扩展支部{i}")
            make_org(branch, OrgType.PARTY_GROUP, f"扩展小组{i}")
            member = make_member(branch)
            post(member.person, branch, Post.SECRETARY, D(2024, 1, 1))
            held(branch, "theme_day", D(2026, 2, 3))
            held(branch, "party_lecture", D(2026, 2, 4), lecturer=member.person, tags=["integrity"])

    @pytest.mark.parametrize("evidence", [True, False])
    def test_the_national_profile_takes_eight_queries(self, world, django_assert_num_queries, evidence):
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2024, 1, 1))
        # orgs, obligations, their kinds, full members, committee posts, org activities, holdings, lectures
        with django_assert_num_queries(8):
            run(world.committee, D(2026, 1, 1), D(2026, 12, 31), D(2026, 7, 1), evidence=evidence)
        self._grow(world, 6)
        with django_assert_num_queries(8):
            found = run(world.committee, D(2026, 1, 1), D(2026, 12, 31), D(2026, 7, 1), evidence=evidence)
        assert len({f.org_id for f in found}) > 12

    def test_an_enterprise_profile_adds_one_query_per_topic_tag_and_subject_class(
        self, world, django_assert_num_queries
    ):
        from xianfeng.compliance.services import profile_import
        from xianfeng.compliance.tests.builders import seed004

        profile_import(actor=None, data=seed004(), org=world.committee)
        leader = make_member(world.committee).person
        post(leader, world.committee, Post.SECRETARY, D(2024, 1, 1))
        contact_point(leader, world.branch_a, D(2025, 1, 1))
        # orgs, obligations, kinds, assignments; full members and committee posts (has_committee);
        # org activities for 6 topic tags ("", ideology, culture, integrity, united_front,
        # mass_organizations); post holdings and their activities for 3 tags ("", organization,
        # integrity); contact points and their activities (1 tag)
        with django_assert_num_queries(4 + 2 + 6 + 1 + 3 + 1 + 1):
            run(world.committee, D(2026, 1, 1), D(2026, 12, 31), D(2026, 7, 1), evidence=False)
        self._grow(world, 5)
        with django_assert_num_queries(18):
            run(world.committee, D(2026, 1, 1), D(2026, 12, 31), D(2026, 7, 1), evidence=False)


class TestEvidenceAndAggregateAgree:
    def test_both_paths_give_the_same_counts_and_statuses(self, world):
        for day in (D(2026, 1, 31), D(2026, 2, 1), D(2026, 3, 31), D(2026, 12, 31)):
            held(world.branch_a, "theme_day", day, hour=23, minute=30)
            held(world.group_a1, "group_meeting", day, hour=0, minute=5)
            held(world.branch_b, "general_meeting", day, hour=12)

        def strip(found):
            return sorted((f.rule, f.org_id, f.period_label, f.status, f.done) for f in found)

        with_ids = run(world.committee, D(2026, 1, 1), D(2026, 12, 31), D(2026, 8, 1), evidence=True)
        without = run(world.committee, D(2026, 1, 1), D(2026, 12, 31), D(2026, 8, 1), evidence=False)
        assert strip(with_ids) == strip(without)
        assert all(len(f.evidence) == f.done for f in with_ids if f.subject == "org")
