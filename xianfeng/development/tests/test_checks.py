"""The development rules (RULES.md §2), each time limit on the day before, on and after it, with
month-end and leap-year cases. Steps are recorded through the service (checks run there); every
refusal must name its rule code and write nothing (builders.Walker.refused checks both)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

import pytest

from xianfeng.development import checks, services
from xianfeng.development.checks import Proposed, age_reached, probation_end, vote_errors, vote_passes
from xianfeng.development.ruleset import rules_on
from xianfeng.development.steps import Decision, Role
from xianfeng.development.tests.builders import D, full_members, votes, walk
from xianfeng.orgs.choices import OrgType
from xianfeng.people import services as people_services
from xianfeng.people.choices import LeaveReason, PoliticalStatus
from xianfeng.testing import make_member, make_org

pytestmark = pytest.mark.django_db

RULES = rules_on(D(2024, 1, 1))


# DEV-01 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "years", "reached"),
    [
        (D(2000, 6, 15), 18, D(2018, 6, 15)),
        (D(2000, 12, 31), 18, D(2018, 12, 31)),
        (D(2000, 2, 28), 18, D(2018, 2, 28)),
        (D(2000, 3, 1), 18, D(2018, 3, 1)),
        (D(2000, 2, 29), 18, D(2018, 3, 1)),  # non-leap year: 1 March, not relativedelta's 28 February
        (D(2000, 2, 29), 16, D(2016, 2, 29)),  # leap year: the birthday itself
        (D(2000, 2, 29), 100, D(2100, 3, 1)),  # 2100 is not a leap year
    ],
)
def test_dev01_age_reached_on_the_birthday_and_on_1_march_for_29_february(birth, years, reached):
    assert age_reached(birth, years) == reached


@pytest.mark.parametrize(
    ("birth", "day", "allowed"),
    [
        (D(2000, 6, 15), D(2018, 6, 14), False),
        (D(2000, 6, 15), D(2018, 6, 15), True),
        (D(2000, 6, 15), D(2018, 6, 16), True),
        (D(2000, 12, 31), D(2018, 12, 30), False),
        (D(2000, 12, 31), D(2018, 12, 31), True),
        (D(2000, 2, 29), D(2018, 2, 28), False),  # relativedelta says 18 here; 周岁 not yet complete
        (D(2000, 2, 29), D(2018, 3, 1), True),
        (D(2000, 2, 29), D(2018, 3, 2), True),
    ],
)
def test_dev01_applicant_born_29_february_is_18_on_1_march_of_a_non_leap_year(world, birth, day, allowed):
    walker = walk(world, birth=birth, applied=day)
    if allowed:
        walker.record("application", day)
        assert walker.person.application_date == day
    else:
        errors = walker.refused("application", day, rule="DEV-01", field="date")
        assert age_reached(birth, 18).isoformat() in errors["date"][0]


# DEV-05 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "allowed"), [(0, False), (1, True), (2, True), (3, False)])
def test_dev05_one_or_two_cultivation_contacts(world, n, allowed):
    walker = walk(world, "contacts")
    people = [(m, Role.CONTACT) for m in walker.helpers[:n]]
    if allowed:
        step = walker.record("contacts", people=people)
        assert step.people.filter(role=Role.CONTACT).count() == n
    else:
        walker.refused("contacts", people=people, rule="DEV-05", field="people")


def test_dev05_a_probationary_member_cannot_be_a_contact(world):
    walker = walk(world, "contacts")
    probationary = make_member(
        world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=D(2020, 1, 1)
    )
    errors = walker.refused("contacts", people=[(probationary, Role.CONTACT)], rule="DEV-05", field="people")
    assert "not a full member" in errors["people"][0]


def test_dev05_a_member_converted_after_the_step_date_is_not_yet_a_full_member(world):
    walker = walk(world, "contacts")
    day = walker.dates["contacts"]
    late = make_member(world.branch_a, admission_date=day - dt.timedelta(days=300))  # converted after `day`
    walker.refused("contacts", people=[(late, Role.CONTACT)], rule="DEV-05", field="people")


def test_dev05_the_person_themselves_cannot_be_their_own_contact(world):
    walker = walk(world, "contacts")
    errors = walker.refused("contacts", people=[(walker.person, Role.CONTACT)], rule="DEV-05", field="people")
    assert "own development" in errors["people"][0]


def test_dev05_the_same_contact_twice_is_refused(world):
    walker = walk(world, "contacts")
    h = walker.helpers[0]
    walker.refused("contacts", people=[(h, Role.CONTACT), (h, Role.CONTACT)], rule="DEV-05", field="people")


def test_people_only_in_the_role_of_the_step_and_none_on_steps_without_people(world):
    walker = walk(world, "contacts")
    h = walker.helpers
    walker.refused(
        "contacts",
        people=[(h[0], Role.CONTACT), (h[1], Role.SPONSOR)],
        rule="DEV-05",
        field="people",
    )
    walker.record("contacts")
    walker.refused("activist_review", people=[(h[2], Role.CONTACT)], rule="DEV-06", field="people")


# DEV-08 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "allowed"),
    [(D(2025, 2, 27), False), (D(2025, 2, 28), True), (D(2025, 3, 1), True)],
)
def test_dev08_one_year_as_activist_from_29_february_ends_on_28_february(world, day, allowed):
    walker = walk(world, "candidate", applied=D(2024, 1, 15), activist=D(2024, 2, 29))
    if allowed:
        walker.record("candidate", day)
        assert walker.person.status == PoliticalStatus.CANDIDATE
        assert walker.person.candidate_date == day
    else:
        errors = walker.refused("candidate", day, rule="DEV-08", field="date")
        assert "2025-02-28" in errors["date"][0]


@pytest.mark.parametrize(("day", "allowed"), [(D(2024, 8, 30), False), (D(2024, 8, 31), True)])
def test_dev08_one_year_from_a_month_end(world, day, allowed):
    walker = walk(world, "candidate", applied=D(2023, 7, 20), activist=D(2023, 8, 31))
    if allowed:
        walker.record("candidate", day)
    else:
        walker.refused("candidate", day, rule="DEV-08", field="date")


# DEV-09 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("n", "allowed"), [(1, False), (2, True), (3, False)])
def test_dev09_exactly_two_sponsors(world, n, allowed):
    walker = walk(world, "sponsors")
    people = [(m, Role.SPONSOR) for m in walker.helpers[:n]]
    if allowed:
        walker.record("sponsors", people=people)
    else:
        errors = walker.refused("sponsors", people=people, rule="DEV-09", field="people")
        assert "exactly 2" in errors["people"][0]


def test_dev09_a_probationary_sponsor_is_refused(world):
    walker = walk(world, "sponsors")
    probationary = make_member(
        world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=D(2020, 1, 1)
    )
    walker.refused(
        "sponsors",
        people=[(walker.helpers[0], Role.SPONSOR), (probationary, Role.SPONSOR)],
        rule="DEV-09",
        field="people",
    )


def test_dev09_a_sponsor_who_left_is_refused_even_from_a_stale_copy(world):
    walker = walk(world, "sponsors")
    stale = walker.helpers[2]
    people_services.member_leave(
        actor=None, membership=stale, reason=LeaveReason.TRANSFER_OUT, date=walker.dates["sponsors"]
    )
    assert stale.left_date is None  # the caller's copy does not know; the service reads the database
    walker.refused(
        "sponsors",
        people=[(walker.helpers[0], Role.SPONSOR), (stale, Role.SPONSOR)],
        rule="DEV-09",
        field="people",
    )


def test_dev09_a_sponsor_who_left_after_the_step_date_still_counts(world):
    walker = walk(world, "sponsors")
    later = walker.helpers[2]
    people_services.member_leave(
        actor=None,
        membership=later,
        reason=LeaveReason.TRANSFER_OUT,
        date=walker.dates["sponsors"] + dt.timedelta(days=1),
    )
    walker.record("sponsors")


def test_dev09_rights_restricted_hook_is_honoured(world, monkeypatch):
    walker = walk(world, "sponsors")
    restricted = walker.helpers[2]
    monkeypatch.setattr(checks, "rights_restricted", lambda person, day: person.pk == restricted.person_id)
    errors = walker.refused("sponsors", rule="DEV-09", field="people")  # helpers 0 and 2
    assert "留党察看" in errors["people"][0]
    walker.record("sponsors", people=[(walker.helpers[0], Role.SPONSOR), (walker.helpers[1], Role.SPONSOR)])


# DEV-10 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("conclusion", ["", "   \n"])
def test_dev10_the_political_review_needs_a_written_conclusion(world, conclusion):
    walker = walk(world, "political_review")
    walker.refused("political_review", conclusion=conclusion, rule="DEV-10", field="conclusion")
    walker.refused(
        "political_review", decision=Decision.FAILED, conclusion=conclusion, rule="DEV-10", field="conclusion"
    )


def test_dev10_no_committee_check_after_a_failed_review_until_a_new_review_passes(world):
    walker = walk(world, "political_review")
    walker.record("political_review", decision=Decision.FAILED, conclusion="不合格：家庭成员情况未查清")
    walker.record("training")
    errors = walker.refused("committee_check", rule="DEV-10", field="code")
    assert "not passed" in errors["code"][0]
    walker.record("political_review", decision=Decision.PASSED, conclusion="补充调查后合格")
    walker.record("committee_check")


# DEV-11 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("days", "hours", "allowed"),
    [
        (Decimal("2.5"), 23, False),
        (Decimal("2.5"), None, False),
        (None, 23, False),
        (None, None, False),
        (Decimal("2.9"), 0, False),
        (Decimal("3"), None, True),
        (3, 0, True),
        (None, 24, True),
        (Decimal("2.5"), 24, True),
        (Decimal("3.5"), 40, True),
    ],
)
def test_dev11_training_of_3_days_or_24_class_hours(world, days, hours, allowed):
    walker = walk(world, "training")
    if allowed:
        step = walker.record("training", training_days=days, training_hours=hours)
        step.refresh_from_db()
        assert step.training_hours == hours
    else:
        walker.refused(
            "training", training_days=days, training_hours=hours, rule="DEV-11", field="training_days"
        )


# DEV-12 ---------------------------------------------------------------------------------------------


def test_dev12_leaving_the_unit_within_3_months_is_refused(world):
    walker = walk(world, "committee_check")
    walker.refused(
        "committee_check", leaving_within_3_months=True, rule="DEV-12", field="leaving_within_3_months"
    )
    walker.record("committee_check", leaving_within_3_months=False)


# DEV-13 ---------------------------------------------------------------------------------------------


def _p(**counts) -> Proposed:
    return Proposed(code="acceptance_meeting", date=D(2024, 1, 1), **counts)


@pytest.mark.parametrize(
    ("should", "present", "quorate"),
    [(10, 5, False), (10, 6, True), (9, 4, False), (9, 5, True), (1, 1, True), (2, 1, False)],
)
def test_dev13_quorum_is_strictly_more_than_half_present(should, present, quorate):
    errors = vote_errors(_p(**votes(should=should, present=present, yes=present)), RULES)
    if quorate:
        assert errors == {}
    else:
        assert list(errors) == ["present"] and "DEV-13" in errors["present"]


@pytest.mark.parametrize(
    ("counts", "field"),
    [
        ({**votes(should=10, present=11, yes=8)}, "present"),
        ({**votes(should=10, present=8, yes=7), "written_opinions": 3}, "written_opinions"),
        ({**votes(should=10, present=8, yes=7), "votes_against": 2}, "votes_for"),
        ({**votes(should=10, present=8, yes=5, written=2), "abstentions": 1}, "votes_for"),
        ({**votes(), "should_attend": 0, "present": 0, "votes_for": 0, "votes_against": 0}, "should_attend"),
        ({**votes(), "votes_against": None}, "votes_against"),
        ({**votes(), "should_attend": None}, "should_attend"),
        ({**votes(), "votes_for": -1}, "votes_for"),
        ({**votes(), "written_opinions": -1}, "written_opinions"),
    ],
)
def test_dev13_inconsistent_or_missing_counts_name_the_field(counts, field):
    assert field in vote_errors(_p(**counts), RULES)


def test_dev13_written_opinions_of_absent_members_count():
    p = _p(**votes(should=10, present=6, yes=6, written=2))
    assert vote_errors(p, RULES) == {} and vote_passes(p)
    assert vote_errors(_p(**votes(should=10, present=6, yes=8, written=2)), RULES) == {}


@pytest.mark.parametrize(
    ("should", "yes", "passes"), [(10, 5, False), (10, 6, True), (9, 4, False), (9, 5, True)]
)
def test_dev13_passed_only_with_more_than_half_of_those_who_should_attend(should, yes, passes):
    assert vote_passes(_p(**votes(should=should, present=should, yes=yes))) is passes


def test_dev13_exactly_half_for_records_a_failed_resolution_and_nothing_moves(world):
    walker = walk(world, "acceptance_meeting")
    before = walker.person.status
    proposed = walker.proposed("acceptance_meeting", **votes(should=10, present=10, yes=5))
    step = services.step_record(actor=world.alice, membership=walker.person, proposed=proposed)
    assert proposed.decision == Decision.DONE  # the caller's proposal is not changed by the service
    assert step.decision == Decision.FAILED
    assert walker.refresh().status == before == PoliticalStatus.CANDIDATE
    errors = walker.refused("higher_talk", rule="DEV-13", field="code")
    assert "not passed" in errors["code"][0]
    walker.record(
        "acceptance_meeting", walker.dates["acceptance_meeting"] + dt.timedelta(days=30), **votes(yes=6)
    )
    assert walker.steps("acceptance_meeting")[-1].decision == Decision.PASSED


def test_dev13_a_meeting_that_is_not_quorate_is_refused(world):
    walker = walk(world, "acceptance_meeting")
    walker.refused("acceptance_meeting", **votes(should=10, present=5, yes=5), rule="DEV-13", field="present")
    walker.refused("acceptance_meeting", **{**votes(), "present": 11, "should_attend": 10}, field="present")


# DEV-15 ---------------------------------------------------------------------------------------------


def _to_approval(world):
    return walk(world, "approval", applied=D(2023, 6, 1), accepted=D(2024, 11, 30))


def test_dev15_a_general_branch_cannot_approve(world):
    walker = _to_approval(world)
    walker.refused("approval", approving_org=world.general_branch, rule="DEV-15", field="approving_org")
    walker.refused("approval", approving_org=world.branch_a, rule="DEV-15", field="approving_org")
    walker.refused("approval", approving_org=None, field="approving_org")


def test_dev15_a_committee_that_is_not_above_the_branch_cannot_approve(world):
    walker = _to_approval(world)
    sibling = make_org(world.committee, OrgType.COMMITTEE, "另一个基层党委")
    other_root = make_org(None, OrgType.COMMITTEE, "别的公司党委")
    walker.refused("approval", approving_org=sibling, rule="DEV-15", field="approving_org")
    walker.refused("approval", approving_org=other_root, rule="DEV-15", field="approving_org")


def test_dev15_the_committee_above_approves_and_admission_dates_from_the_meeting(world):
    walker = _to_approval(world)
    walker.record("approval", D(2024, 12, 20))
    assert walker.person.status == PoliticalStatus.PROBATIONARY
    assert walker.person.admission_date == D(2024, 11, 30)  # DEV-17: from the branch meeting


@pytest.mark.parametrize(
    ("day", "reason", "error"),
    [
        (D(2025, 2, 28), "", None),  # meeting 2024-11-30 + 3 months: month end, no reason needed
        (D(2025, 3, 1), "", "delay_reason"),
        (D(2025, 3, 1), "党委会推迟召开", None),
        (D(2025, 5, 30), "党委会推迟召开", None),  # + 6 months: the last day
        (D(2025, 5, 31), "党委会推迟召开", "date"),
    ],
)
def test_dev15_approval_within_3_months_and_never_after_6(world, day, reason, error):
    walker = _to_approval(world)
    if error is None:
        step = walker.record("approval", day, delay_reason=reason)
        assert step.delay_reason == reason
    else:
        walker.refused("approval", day, delay_reason=reason, rule="DEV-15", field=error)


def test_dev15_a_failed_approval_leaves_a_candidate_and_may_be_taken_again(world):
    walker = _to_approval(world)
    walker.record("approval", D(2024, 12, 20), decision=Decision.FAILED)
    assert walker.person.status == PoliticalStatus.CANDIDATE
    walker.record("approval", D(2025, 1, 20))
    assert walker.person.status == PoliticalStatus.PROBATIONARY


# DEV-17 / 18 / 19 / 20 ------------------------------------------------------------------------------


def test_dev17_probation_end_is_acceptance_plus_12_months_plus_an_extension():
    member = SimpleNamespace(admission_date=D(2024, 2, 29))
    assert probation_end(member, []) == D(2025, 2, 28)
    extended = SimpleNamespace(
        step="conversion_meeting", decision=Decision.EXTENDED, voided=False, extension_months=6
    )
    assert probation_end(member, [extended]) == D(2025, 8, 29)  # 18 months in one go, not 12 then 6
    extended.voided = True
    assert probation_end(member, [extended]) == D(2025, 2, 28)
    assert probation_end(SimpleNamespace(admission_date=None), []) is None


def _probationary(world, accepted=None):
    """Accepted on `accepted` (2024-02-29), approved, with everything up to the conversion application."""
    return walk(world, "conversion_meeting", applied=D(2022, 6, 1), accepted=accepted or D(2024, 2, 29))


@pytest.mark.parametrize(
    ("day", "allowed"), [(D(2025, 2, 27), False), (D(2025, 2, 28), True), (D(2025, 3, 1), True)]
)
def test_dev19_no_conversion_meeting_before_probation_ends_and_dev20_party_age_from_the_end(
    world, day, allowed
):
    walker = _probationary(world)
    if not allowed:
        errors = walker.refused("conversion_meeting", day, rule="DEV-19", field="date")
        assert "2025-02-28" in errors["date"][0]
        return
    walker.record("conversion_meeting", day)
    walker.record("conversion_approval", day + dt.timedelta(days=10))
    assert walker.person.status == PoliticalStatus.FULL
    assert walker.person.conversion_date == D(2025, 2, 28)  # the end of probation, not the meeting date


@pytest.mark.parametrize(
    ("months", "allowed"), [(None, False), (5, False), (6, True), (12, True), (13, False)]
)
def test_dev18_an_extension_of_6_to_12_months(world, months, allowed):
    walker = _probationary(world)
    kw = {"decision": Decision.EXTENDED, "extension_months": months}
    if allowed:
        step = walker.record("conversion_meeting", **kw)
        assert step.decision == Decision.EXTENDED and step.extension_months == months
    else:
        walker.refused("conversion_meeting", **kw, rule="DEV-18", field="extension_months")


def test_dev18_dev20_extended_probation_converts_at_the_extended_end_and_only_once(world):
    walker = _probationary(world)
    walker.record("conversion_meeting", D(2025, 3, 5), decision=Decision.EXTENDED, extension_months=6)
    walker.refused("conversion_meeting", D(2025, 9, 1), field="code")  # the extension is not approved yet
    walker.record("conversion_approval", D(2025, 3, 20))
    assert walker.person.status == PoliticalStatus.PROBATIONARY  # still probationary: the end moved
    walker.refused("conversion_meeting", D(2025, 8, 28), rule="DEV-19", field="date")  # end is 2025-08-29
    walker.refused(
        "conversion_meeting",
        D(2025, 8, 29),
        decision=Decision.EXTENDED,
        extension_months=6,
        rule="DEV-18",
        field="decision",
    )
    walker.record("conversion_meeting", D(2025, 8, 29))
    walker.record("conversion_approval", D(2025, 9, 10))
    assert walker.person.status == PoliticalStatus.FULL
    assert walker.person.conversion_date == D(2025, 8, 29)  # DEV-20: party age from the extended end


def test_dev18_cancellation_makes_the_member_leave(world):
    walker = _probationary(world)
    walker.record("conversion_meeting", D(2025, 3, 5), decision=Decision.CANCELLED)
    assert walker.person.left_date is None  # only once the committee approves
    walker.record("conversion_approval", D(2025, 3, 20))
    person = walker.person
    assert person.left_date == D(2025, 3, 20)
    assert person.left_reason == LeaveReason.PROBATION_CANCELLED
    assert person.status == PoliticalStatus.PROBATIONARY and person.conversion_date is None
    errors = walker.refused("archived")
    assert "left" in " ".join(errors["__all__"])


def test_dev19_a_failed_conversion_vote_changes_nothing_and_the_branch_meets_again(world):
    walker = _probationary(world)
    step = walker.record("conversion_meeting", D(2025, 3, 5), **votes(yes=5))
    assert step.decision == Decision.FAILED
    assert walker.person.status == PoliticalStatus.PROBATIONARY
    walker.refused("conversion_approval", D(2025, 3, 10), rule="DEV-19", field="code")
    walker.record("conversion_meeting", D(2025, 4, 5))
    walker.record("conversion_approval", D(2025, 4, 10))
    assert walker.person.conversion_date == D(2025, 2, 28)


def test_dev19_a_conversion_meeting_that_is_not_quorate_cites_its_rule(world):
    walker = _probationary(world)
    walker.refused("conversion_meeting", **votes(present=5, yes=5), rule="DEV-19", field="present")


@pytest.mark.parametrize(
    ("day", "reason", "error"),
    [
        (D(2025, 2, 28), "", None),  # meeting 2024-11-30 + 3 months: the month end
        (D(2025, 3, 1), "", "delay_reason"),
        (D(2025, 3, 1), "党委会推迟召开", None),
        (D(2025, 6, 30), "党委会推迟召开", None),  # no 6-month ceiling is written for conversion
    ],
)
def test_dev19_conversion_approved_within_3_months_or_with_a_reason(world, day, reason, error):
    walker = _probationary(world, accepted=D(2023, 11, 30))
    walker.record("conversion_meeting", D(2024, 11, 30))
    if error is None:
        walker.record("conversion_approval", day, delay_reason=reason)
        assert walker.person.conversion_date == D(2024, 11, 30)
    else:
        walker.refused("conversion_approval", day, delay_reason=reason, rule="DEV-19", field=error)


def test_the_talkers_must_be_party_members(world):
    walker = walk(world, "talk")
    outsider = walk(world, birth=D(1990, 1, 1), applied=D(2020, 1, 1)).person  # an applicant
    walker.refused("talk", people=[(outsider, Role.TALKER)], rule="DEV-03", field="people")
    probationary = make_member(
        world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=D(2020, 1, 1)
    )
    walker.record("talk", people=[(probationary, Role.TALKER)])


def test_full_members_helper_are_full_before_the_default_dates(world):
    for m in full_members(world.branch_a, 1):
        assert m.status == PoliticalStatus.FULL and m.conversion_date <= D(2021, 1, 1)
