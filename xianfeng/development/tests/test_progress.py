"""What comes next for a person (progress.next_steps): deadlines and earliest dates, with month-end
and leap-year cases, and agreement with what the service accepts."""

from __future__ import annotations

import datetime as dt

import pytest

from xianfeng.development import services
from xianfeng.development.progress import NextStep, next_steps
from xianfeng.development.steps import BY_CODE, Decision
from xianfeng.development.tests.builders import D, walk
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db

ONE_DAY = dt.timedelta(days=1)


def upcoming(walker) -> dict[str, NextStep]:
    walker.refresh()
    found = next_steps(walker.person, services.valid_steps(walker.person))
    return {n.step.code: n for n in found}


def codes(walker) -> list[str]:
    return list(upcoming(walker))


def test_next_step_days_left_overdue_and_too_early():
    n = NextStep(BY_CODE["talk"], due=D(2024, 2, 29), earliest=D(2024, 2, 1))
    assert [n.overdue(d) for d in (D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1))] == [False, False, True]
    assert [n.days_left(d) for d in (D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1))] == [1, 0, -1]
    assert [n.too_early(d) for d in (D(2024, 1, 31), D(2024, 2, 1), D(2024, 2, 2))] == [True, False, False]
    assert NextStep(BY_CODE["talk"]).days_left(D(2024, 1, 1)) is None
    assert not NextStep(BY_CODE["talk"]).overdue(D(2024, 1, 1))


# DEV-03 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("applied", "due"),
    [
        (D(2024, 1, 31), D(2024, 2, 29)),  # leap year
        (D(2023, 1, 31), D(2023, 2, 28)),
        (D(2024, 3, 31), D(2024, 4, 30)),
        (D(2024, 12, 31), D(2025, 1, 31)),
        (D(2024, 2, 29), D(2024, 3, 29)),
        (D(2024, 6, 15), D(2024, 7, 15)),
    ],
)
def test_dev03_the_talk_is_due_one_month_after_the_application(world, applied, due):
    walker = walk(world, "talk", applied=applied)
    talk = upcoming(walker)["talk"]
    assert talk.due == due and talk.rule == "DEV-03"
    assert [talk.overdue(d) for d in (due - ONE_DAY, due, due + ONE_DAY)] == [False, False, True]


def test_dev03_a_late_talk_is_still_recorded_the_deadline_is_the_branch_s(world):
    walker = walk(world, "talk", applied=D(2024, 1, 31))
    walker.record("talk", D(2024, 3, 1))
    assert codes(walker) == ["activist"]


def test_an_applicant_without_the_application_step_is_asked_for_it_before_the_talk(world):
    walker = walk(world, None, applied=D(2023, 1, 31))  # the record has an application date, no step
    found = upcoming(walker)
    assert list(found) == ["application", "talk"]
    assert found["application"].due == found["talk"].due == D(2023, 2, 28)
    walker.refused(
        "talk", rule="DEV-03", field="code"
    )  # what progress says comes first, the service requires
    walker.record("application")
    assert list(upcoming(walker)) == ["talk"]


# DEV-06 and DEV-08 ----------------------------------------------------------------------------------


def test_dev06_a_review_every_6_months_from_the_activist_date_then_from_the_last_review(world):
    walker = walk(world, "activist_filed", applied=D(2023, 7, 20), activist=D(2023, 8, 31))
    found = upcoming(walker)
    assert list(found) == ["activist_review", "activist_filed", "contacts", "candidate"]
    review = found["activist_review"]
    assert review.due == D(2024, 2, 29) and review.rule == "DEV-06"
    assert [review.overdue(d) for d in (D(2024, 2, 28), D(2024, 2, 29), D(2024, 3, 1))] == [
        False,
        False,
        True,
    ]
    walker.record("activist_filed")
    walker.record("contacts")
    walker.record("activist_review", D(2024, 2, 29))
    assert upcoming(walker)["activist_review"].due == D(2024, 8, 29)
    walker.record("activist_review", D(2024, 8, 30))  # a day late: still recorded
    assert upcoming(walker)["activist_review"].due == D(2025, 2, 28)


@pytest.mark.parametrize(
    ("activist", "earliest"),
    [(D(2024, 2, 29), D(2025, 2, 28)), (D(2023, 8, 31), D(2024, 8, 31)), (D(2023, 1, 31), D(2024, 1, 31))],
)
def test_dev08_the_earliest_candidate_date_is_the_one_the_service_accepts(world, activist, earliest):
    walker = walk(world, "candidate", applied=activist - dt.timedelta(days=40), activist=activist)
    candidate = upcoming(walker)["candidate"]
    assert candidate.earliest == earliest and candidate.due is None and candidate.rule == "DEV-08"
    assert candidate.too_early(earliest - ONE_DAY) and not candidate.too_early(earliest)
    walker.refused("candidate", earliest - ONE_DAY, rule="DEV-08", field="date")
    walker.record("candidate", earliest)


# Candidate ------------------------------------------------------------------------------------------


def test_a_candidate_s_steps_then_the_acceptance_in_order_then_the_approval_deadline(world):
    walker = walk(world, "candidate_filed", applied=D(2023, 6, 1), accepted=D(2024, 11, 30))
    assert codes(walker) == ["candidate_filed", "sponsors", "political_review", "training"]
    for code in ("candidate_filed", "sponsors", "political_review", "training"):
        walker.record(code)
    for code in ("committee_check", "pre_review", "volunteer_form", "acceptance_meeting", "higher_talk"):
        assert codes(walker) == [code]
        walker.record(code)
    approval = upcoming(walker)["approval"]
    assert approval.due == D(2025, 2, 28) and approval.rule == "DEV-15"  # 2024-11-30 + 3 months


def test_a_failed_political_review_is_asked_for_again(world):
    walker = walk(world, "political_review")
    walker.record("political_review", decision=Decision.FAILED, conclusion="不合格")
    assert "political_review" in codes(walker)


# Probation ------------------------------------------------------------------------------------------


def test_dev17_probation_ends_one_year_after_acceptance_on_29_february(world):
    walker = walk(world, "approval_filed", applied=D(2022, 6, 1), accepted=D(2024, 2, 29))
    found = upcoming(walker)
    assert list(found) == [
        "conversion_application",
        "conversion_meeting",
        "approval_filed",
        "placement",
        "oath",
    ]
    meeting = found["conversion_meeting"]
    assert meeting.earliest == meeting.due == D(2025, 2, 28)
    assert found["conversion_application"].due == D(2025, 2, 28)


def test_dev18_19_extension_pending_then_approved(world):
    walker = walk(world, "conversion_meeting", applied=D(2022, 6, 1), accepted=D(2024, 2, 29))
    walker.record("conversion_meeting", D(2025, 3, 31), decision=Decision.EXTENDED, extension_months=6)
    approval = upcoming(walker)["conversion_approval"]
    assert approval.due == D(2025, 6, 30) and approval.rule == "DEV-19"
    assert "conversion_meeting" not in codes(walker)
    walker.record("conversion_approval", D(2025, 4, 10))
    meeting = upcoming(walker)["conversion_meeting"]
    assert meeting.earliest == D(2025, 8, 29)
    walker.refused("conversion_meeting", D(2025, 8, 28), rule="DEV-19", field="date")
    walker.record("conversion_meeting", D(2025, 8, 29))


def test_after_conversion_the_archive_then_nothing(world):
    walker = walk(world, "archived")
    assert walker.person.status == PoliticalStatus.FULL
    assert codes(walker) == ["archived"]
    walker.record("archived")
    assert codes(walker) == []


def test_a_full_member_recorded_without_steps_has_nothing_next(world):
    member = make_member(world.branch_a)
    assert next_steps(member, []) == []


def test_next_steps_are_sorted_by_deadline_then_chart_order(world):
    walker = walk(world, "approval_filed", applied=D(2022, 6, 1), accepted=D(2024, 2, 29))
    found = list(upcoming(walker).values())
    dated = [n for n in found if n.due]
    assert dated == sorted(dated, key=lambda n: (n.due, n.step.number))
    assert all(n.due for n in found[: len(dated)])
