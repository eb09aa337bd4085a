"""Development time limits in the compliance engine: each one on the day before, on and after its limit,
its warning window, the scope, and a query count that does not grow with the number of people."""

import datetime as dt

import pytest

from xianfeng.compliance.engine import Scope, Status
from xianfeng.compliance.rules import coded_findings
from xianfeng.development.findings import limits_of, load, open_limits
from xianfeng.development.models import DevelopmentStep
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db

D = dt.date
ONE_DAY = dt.timedelta(days=1)
ACCEPTANCE_STEPS = (
    "candidate_filed",
    "sponsors",
    "political_review",
    "training",
    "committee_check",
    "pre_review",
    "volunteer_form",
)


def person(org, status, name=None, *, recorded=True, **dates):
    """A person at `status` with the given key dates; `recorded`: with their first step recorded (the
    application, or the activist decision), so their development is kept in the system."""
    membership = make_member(org, status=status, name=name, admission_date=D(2024, 1, 1))
    if status != PoliticalStatus.PROBATIONARY:
        dates.setdefault("admission_date", None)
    Membership.objects.filter(pk=membership.pk).update(**dates)
    membership.refresh_from_db()
    if recorded and status == PoliticalStatus.APPLICANT:
        step(membership, "application", membership.application_date)
    elif recorded and status == PoliticalStatus.ACTIVIST:
        step(membership, "activist", membership.activist_date)
    return membership


def step(membership, code, day, decision="done", **extra):
    return DevelopmentStep.objects.create(
        membership=membership, step=code, date=day, decision=decision, **extra
    )


def found(org, today, rule, scope=None):
    every = coded_findings(scope=scope or Scope.org_and_groups(org), today=today)
    return [f for f in every if f.rule == f"rule/{rule}"]


def statuses(org, today, rule):
    return [f.status for f in found(org, today, rule)]


class TestTalk:
    """DEV-03: the talk is due one month after the application (2026-03-31 → 2026-04-30)."""

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (D(2026, 3, 31), [Status.DUE_SOON]),  # from the day of the application
            (D(2026, 4, 29), [Status.DUE_SOON]),
            (D(2026, 4, 30), [Status.DUE_SOON]),
            (D(2026, 5, 1), [Status.OVERDUE]),
        ],
    )
    def test_due_one_month_after_the_application(self, world, today, expected):
        person(world.branch_a, PoliticalStatus.APPLICANT, application_date=D(2026, 3, 31))
        assert statuses(world.branch_a, today, "dev_talk") == expected

    def test_the_finding_names_the_person_the_rule_and_its_article(self, world):
        applicant = person(
            world.branch_a, PoliticalStatus.APPLICANT, "周申请", application_date=D(2026, 3, 31)
        )
        (finding,) = found(world.branch_a, D(2026, 5, 1), "dev_talk")
        assert (finding.rule_ref, finding.subject, finding.org_id) == ("DEV-03", "member", world.branch_a.pk)
        assert (finding.person_name, finding.person_code) == ("周申请", str(applicant.person.code))
        assert finding.due == D(2026, 4, 30) and finding.anchor == "2026-04-30"
        assert "一个月内" in finding.citation and "第七条" in finding.citation

    def test_a_recorded_talk_closes_it(self, world):
        applicant = person(world.branch_a, PoliticalStatus.APPLICANT, application_date=D(2026, 3, 31))
        step(applicant, "talk", D(2026, 4, 20))
        assert found(world.branch_a, D(2026, 5, 1), "dev_talk") == []

    def test_a_voided_talk_does_not(self, world):
        applicant = person(world.branch_a, PoliticalStatus.APPLICANT, application_date=D(2026, 3, 31))
        DevelopmentStep.objects.create(
            membership=applicant, step="talk", date=D(2026, 4, 20), voided=True, void_reason="错录"
        )
        assert statuses(world.branch_a, D(2026, 5, 1), "dev_talk") == [Status.OVERDUE]


class TestActivistReview:
    """DEV-06: a review every 6 months from the activist date or the last review (2025-06-15 →
    2025-12-15), a warning in the last 30 days."""

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (D(2025, 11, 14), []),  # 31 days before
            (D(2025, 11, 15), [Status.DUE_SOON]),  # 30 days before
            (D(2025, 12, 14), [Status.DUE_SOON]),
            (D(2025, 12, 15), [Status.DUE_SOON]),
            (D(2025, 12, 16), [Status.OVERDUE]),
        ],
    )
    def test_due_six_months_after_the_activist_date(self, world, today, expected):
        person(
            world.branch_a,
            PoliticalStatus.ACTIVIST,
            application_date=D(2025, 1, 2),
            activist_date=D(2025, 6, 15),
            candidate_date=None,
        )
        assert statuses(world.branch_a, today, "dev_activist_review") == expected

    def test_the_next_review_counts_from_the_last_one(self, world):
        activist = person(
            world.branch_a,
            PoliticalStatus.ACTIVIST,
            application_date=D(2025, 1, 2),
            activist_date=D(2025, 6, 15),
            candidate_date=None,
        )
        step(activist, "activist_review", D(2025, 12, 1))
        assert found(world.branch_a, D(2025, 12, 16), "dev_activist_review") == []
        (finding,) = found(world.branch_a, D(2026, 6, 2), "dev_activist_review")
        assert (finding.status, finding.due, finding.rule_ref) == (Status.OVERDUE, D(2026, 6, 1), "DEV-06")


class TestProbationEnd:
    """DEV-17/19: accepted on 2025-06-15, probation ends on 2026-06-15; warned 30 days ahead (a setting),
    overdue the day after the end while no conversion meeting is recorded."""

    @pytest.fixture
    def member(self, world):
        member = person(world.branch_a, PoliticalStatus.PROBATIONARY, admission_date=D(2025, 6, 15))
        step(member, "acceptance_meeting", D(2025, 6, 15), decision="passed")
        step(member, "approval", D(2025, 7, 1), decision="passed")
        return member

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (D(2026, 5, 15), []),  # 31 days before the end
            (D(2026, 5, 16), [Status.DUE_SOON]),  # 30 days before
            (D(2026, 6, 14), [Status.DUE_SOON]),
            (D(2026, 6, 15), [Status.DUE_SOON]),  # the last day of probation
            (D(2026, 6, 16), [Status.OVERDUE]),
        ],
    )
    def test_due_when_probation_ends(self, world, member, today, expected):
        assert statuses(world.branch_a, today, "dev_probation_end") == expected

    def test_the_warning_window_is_a_setting(self, world, member, settings):
        settings.XIANFENG_DEV_PROBATION_NOTICE_DAYS = 60
        assert statuses(world.branch_a, D(2026, 4, 16), "dev_probation_end") == [Status.DUE_SOON]
        assert statuses(world.branch_a, D(2026, 4, 15), "dev_probation_end") == []

    def test_the_detail_says_whether_the_application_is_in(self, world, member):
        (finding,) = found(world.branch_a, D(2026, 6, 1), "dev_probation_end")
        assert "2026-06-15" in finding.detail and "No written application" in finding.detail
        assert finding.rule_ref == "DEV-17/DEV-19" and "预备期" in finding.citation
        step(member, "conversion_application", D(2026, 5, 20))
        (finding,) = found(world.branch_a, D(2026, 6, 1), "dev_probation_end")
        assert "No written application" not in finding.detail

    def test_the_conversion_meeting_closes_it(self, world, member):
        step(member, "conversion_application", D(2026, 5, 20))
        step(member, "conversion_meeting", D(2026, 6, 16), decision="passed")
        assert found(world.branch_a, D(2026, 6, 17), "dev_probation_end") == []

    def test_an_extension_moves_the_end(self, world, member):
        step(member, "conversion_application", D(2026, 5, 20))
        step(member, "conversion_meeting", D(2026, 6, 16), decision="extended", extension_months=6)
        step(member, "conversion_approval", D(2026, 7, 1), decision="passed")
        assert found(world.branch_a, D(2026, 7, 2), "dev_probation_end") == []
        (finding,) = found(world.branch_a, D(2026, 12, 16), "dev_probation_end")
        assert (finding.status, finding.anchor) == (Status.OVERDUE, "2026-12-15")


class TestApprovals:
    """DEV-15 / DEV-19: the committee approves within 3 months of the branch meeting."""

    def _candidate(self, world, meeting):
        candidate = person(
            world.branch_a,
            PoliticalStatus.CANDIDATE,
            application_date=D(2023, 1, 1),
            activist_date=D(2023, 4, 1),
            candidate_date=D(2024, 5, 1),
        )
        for code in ACCEPTANCE_STEPS:
            step(candidate, code, meeting - dt.timedelta(days=20), decision="passed")
        step(candidate, "acceptance_meeting", meeting, decision="passed")
        step(candidate, "higher_talk", meeting + dt.timedelta(days=5))
        return candidate

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (D(2026, 5, 1), []),  # 31 days before the limit
            (D(2026, 5, 2), [Status.DUE_SOON]),
            (D(2026, 5, 31), [Status.DUE_SOON]),
            (D(2026, 6, 1), [Status.DUE_SOON]),  # 3 months after the meeting
            (D(2026, 6, 2), [Status.OVERDUE]),
        ],
    )
    def test_acceptance_approved_within_three_months(self, world, today, expected):
        self._candidate(world, D(2026, 3, 1))
        assert statuses(world.branch_a, today, "dev_approval") == expected

    def test_an_approval_closes_it(self, world):
        candidate = self._candidate(world, D(2026, 3, 1))
        step(candidate, "approval", D(2026, 5, 20), decision="passed")
        Membership.objects.filter(pk=candidate.pk).update(
            status=PoliticalStatus.PROBATIONARY, admission_date=D(2026, 3, 1)
        )
        assert found(world.branch_a, D(2026, 6, 2), "dev_approval") == []

    @pytest.mark.parametrize(
        ("today", "expected"),
        [
            (D(2026, 8, 17), [Status.DUE_SOON]),  # 30 days before
            (D(2026, 9, 15), [Status.DUE_SOON]),
            (D(2026, 9, 16), [Status.DUE_SOON]),
            (D(2026, 9, 17), [Status.OVERDUE]),
        ],
    )
    def test_conversion_approved_within_three_months(self, world, today, expected):
        member = person(world.branch_a, PoliticalStatus.PROBATIONARY, admission_date=D(2025, 6, 15))
        step(member, "conversion_application", D(2026, 5, 20))
        step(member, "conversion_meeting", D(2026, 6, 16), decision="passed")
        assert statuses(world.branch_a, today, "dev_conversion_approval") == expected
        (finding,) = found(world.branch_a, today, "dev_conversion_approval")
        assert finding.rule_ref == "DEV-19" and finding.due == D(2026, 9, 16)

    def test_the_window_of_the_conversion_approval_opens_30_days_ahead(self, world):
        member = person(world.branch_a, PoliticalStatus.PROBATIONARY, admission_date=D(2025, 6, 15))
        step(member, "conversion_meeting", D(2026, 6, 16), decision="passed")
        assert statuses(world.branch_a, D(2026, 8, 16), "dev_conversion_approval") == []
        assert statuses(world.branch_a, D(2026, 8, 17), "dev_conversion_approval") == [Status.DUE_SOON]


class TestScope:
    def test_a_sibling_branchs_people_are_not_included(self, world):
        mine = person(world.branch_a, PoliticalStatus.APPLICANT, "甲申请", application_date=D(2026, 3, 1))
        theirs = person(world.branch_b, PoliticalStatus.APPLICANT, "乙申请", application_date=D(2026, 3, 1))
        names = {f.person_name for f in found(world.branch_a, D(2026, 5, 1), "dev_talk")}
        assert names == {"甲申请"}
        both = found(world.branch_a, D(2026, 5, 1), "dev_talk", scope=Scope.subtree(world.committee))
        assert {(f.person_name, f.org_id) for f in both} == {
            ("甲申请", mine.org_id),
            ("乙申请", theirs.org_id),
        }

    def test_people_who_left_and_party_members_are_not_judged(self, world):
        gone = person(world.branch_a, PoliticalStatus.APPLICANT, application_date=D(2026, 3, 1))
        Membership.objects.filter(pk=gone.pk).update(left_date=D(2026, 3, 20))
        assert found(world.branch_a, D(2026, 5, 1), "dev_talk") == []
        assert [m.pk for m, _ in load(Scope.org_and_groups(world.branch_a).q)] == []

    def test_members_false_leaves_them_out(self, world):
        person(world.branch_a, PoliticalStatus.APPLICANT, application_date=D(2026, 3, 1))
        every = coded_findings(scope=world.branch_a, today=D(2026, 5, 1), members=False)
        assert not [f for f in every if f.rule.startswith("rule/dev_")]


class TestPeopleKnownOnlyByTheirKeyDates:
    """Imported, or entered before the branch kept development records: no step recorded."""

    def test_no_talk_or_review_is_claimed_for_them(self, world):
        person(world.branch_a, PoliticalStatus.APPLICANT, recorded=False, application_date=D(2025, 1, 1))
        person(
            world.branch_a,
            PoliticalStatus.ACTIVIST,
            recorded=False,
            application_date=D(2024, 1, 1),
            activist_date=D(2024, 3, 1),
            candidate_date=None,
        )
        every = coded_findings(scope=world.branch_a, today=D(2026, 5, 1))
        assert not [f for f in every if f.rule.startswith("rule/dev_")]

    def test_their_first_recorded_step_starts_the_limits(self, world):
        applicant = person(
            world.branch_a, PoliticalStatus.APPLICANT, recorded=False, application_date=D(2025, 1, 1)
        )
        step(applicant, "application", D(2025, 1, 1))
        assert statuses(world.branch_a, D(2026, 5, 1), "dev_talk") == [Status.OVERDUE]

    def test_the_end_of_probation_is_judged_for_everyone(self, world):
        person(world.branch_a, PoliticalStatus.PROBATIONARY, admission_date=D(2025, 4, 20))
        assert statuses(world.branch_a, D(2026, 5, 1), "dev_probation_end") == [Status.OVERDUE]


def test_limits_of_one_person_without_queries(world, django_assert_num_queries):
    applicant = person(world.branch_a, PoliticalStatus.APPLICANT, application_date=D(2026, 3, 31))
    steps = list(DevelopmentStep.objects.filter(membership=applicant))
    with django_assert_num_queries(0):
        (limit,) = limits_of(applicant, steps, D(2026, 5, 1))
    assert (limit.rule, limit.status, limit.rule_ref) == ("dev_talk", Status.OVERDUE, "DEV-03")
    assert limits_of(applicant, [], D(2026, 5, 1)) == []


def _people_in_development(org, n):
    for i in range(n):
        person(org, PoliticalStatus.APPLICANT, application_date=D(2026, 3, 1) + i * ONE_DAY)
        member = person(org, PoliticalStatus.PROBATIONARY, admission_date=D(2025, 5, 1) + i * ONE_DAY)
        step(member, "acceptance_meeting", member.admission_date, decision="passed")


def test_the_query_count_does_not_grow_with_the_number_of_people(world, django_assert_num_queries):
    scope = Scope.subtree(world.committee)
    _people_in_development(world.branch_a, 1)  # 2 people
    with django_assert_num_queries(2):
        few = open_limits(scope.q, D(2026, 5, 1))
    _people_in_development(world.branch_b, 4)  # 10 people
    with django_assert_num_queries(2):
        many = open_limits(scope.q, D(2026, 5, 1))
    assert len(few) == 2 and len(many) == 10
    assert {limit.rule for limit in many} == {"dev_talk", "dev_probation_end"}
