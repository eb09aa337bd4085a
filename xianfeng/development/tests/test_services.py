"""The development services: the order of steps, what a step writes (status, key dates, people,
audit), voiding, plans and access. Refusals write nothing (builders.nothing_written)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.core.models import AuditEvent
from xianfeng.development import services
from xianfeng.development.checks import Proposed
from xianfeng.development.models import DevelopmentPlan, DevelopmentStep, StepPerson
from xianfeng.development.steps import STATUS_AFTER, STEPS, Decision, Role
from xianfeng.development.tests.builders import CODES, D, nothing_written, walk
from xianfeng.people.choices import LeaveReason, PoliticalStatus
from xianfeng.people.models import MembershipEvent

pytestmark = pytest.mark.django_db


# What a step writes ---------------------------------------------------------------------------------


def test_each_step_moves_status_and_key_date_as_the_chart_says(world):
    walker = walk(world)
    seen = {}
    for code in CODES:
        walker.record(code)
        seen[code] = (walker.person.status, walker.person.application_date, walker.person.activist_date)
    p, d = walker.person, walker.dates
    assert seen["application"][0] == PoliticalStatus.APPLICANT and seen["application"][1] == d["application"]
    assert seen["activist"][0] == PoliticalStatus.ACTIVIST and seen["activist"][2] == d["activist"]
    assert seen["candidate"][0] == PoliticalStatus.CANDIDATE
    assert seen["approval"][0] == PoliticalStatus.PROBATIONARY
    assert seen["conversion_approval"][0] == PoliticalStatus.FULL
    assert (p.application_date, p.activist_date, p.candidate_date) == (
        d["application"],
        d["activist"],
        d["candidate"],
    )
    assert p.admission_date == d["acceptance_meeting"]
    assert p.conversion_date == d["conversion_meeting"]  # the planned meeting is on the end of probation
    assert len(walker.steps()) == len(STEPS) == 25
    # one history line per status change, each dated by its key date
    events = MembershipEvent.objects.filter(membership=p, kind="status").order_by("date")
    assert [(e.to_status, e.date) for e in events] == [
        (PoliticalStatus.ACTIVIST, d["activist"]),
        (PoliticalStatus.CANDIDATE, d["candidate"]),
        (PoliticalStatus.PROBATIONARY, d["acceptance_meeting"]),
        (PoliticalStatus.FULL, d["conversion_meeting"]),
    ]


def test_a_step_is_audited_with_its_people(world):
    walker = walk(world, "sponsors")
    step = walker.record("sponsors", note="  两名介绍人  ")
    assert step.note == "两名介绍人"
    assert set(StepPerson.objects.filter(step=step).values_list("person_id", "role")) == {
        (walker.helpers[0].person_id, Role.SPONSOR),
        (walker.helpers[2].person_id, Role.SPONSOR),
    }
    event = AuditEvent.objects.filter(action=services.A_STEP).latest("pk")
    assert event.target_id == str(step.code)
    assert event.after["step"] == "sponsors"


def test_the_proposal_is_not_changed_by_the_service(world):
    walker = walk(world, "conversion_meeting", applied=D(2022, 6, 1), accepted=D(2024, 2, 29))
    proposed = walker.proposed(
        "conversion_meeting", decision=Decision.EXTENDED, extension_months=6, **{"votes_for": 3}
    )
    step = services.step_record(actor=world.alice, membership=walker.person, proposed=proposed)
    assert step.decision == Decision.FAILED
    assert proposed.decision == Decision.EXTENDED


# Order: each refusal names its rule and writes nothing -------------------------------------------------


def test_a_step_before_the_step_it_needs_is_refused(world):
    walker = walk(world, "activist_review")
    walker.refused("talk", walker.dates["talk"], field="code")  # already recorded
    w2 = walk(world)
    errors = w2.refused("talk", rule="DEV-03", field="code")
    assert "first" in errors["code"][0]
    w3 = walk(world, "activist_filed")
    w3.refused("activist_review", rule="DEV-06", field="code")  # contacts first
    w4 = walk(world, "candidate_filed")
    w4.refused("committee_check", rule="DEV-12", field="code")


def test_a_date_before_the_previous_step_is_refused(world):
    walker = walk(world, "talk")
    errors = walker.refused(
        "talk", walker.dates["application"] - dt.timedelta(days=1), rule="DEV-03", field="date"
    )
    assert walker.dates["application"].isoformat() in errors["date"][0]
    walker.record("talk", walker.dates["application"])  # the same day is fine


def test_a_date_in_the_future_is_refused(world):
    walker = walk(world, "talk")
    today = walker.dates["application"] + dt.timedelta(days=5)
    walker.refused("talk", today + dt.timedelta(days=1), today=today, field="date")
    walker.record("talk", today, today=today)


@pytest.mark.parametrize(
    ("until", "code", "rule"),
    [
        ("activist", "application", "DEV-01"),  # an applicant applies once…
        ("candidate", "oath", "DEV-16"),  # an activist takes no oath
        ("approval", "activist_review", "DEV-06"),  # a candidate is reviewed as such no more
        ("conversion_meeting", "committee_check", "DEV-12"),  # a probationary member
    ],
)
def test_a_step_for_the_wrong_status_is_refused(world, until, code, rule):
    walker = walk(world, until)
    if code == "application":
        walker.record("activist")
    errors = walker.refused(code, walker.dates[until], rule=rule, field="code")
    assert "not a step for" in errors["code"][0] or "already" in errors["code"][0]


@pytest.mark.parametrize("code", ["talk", "contacts", "training", "oath", "conversion_application"])
def test_a_step_that_does_not_repeat_is_refused_the_second_time(world, code):
    walker = walk(world, code)
    walker.record(code)
    rule = next(s.rule for s in STEPS if s.code == code)
    errors = walker.refused(code, rule=rule, field="code")
    assert "already recorded" in errors["code"][0]


def test_reviews_repeat(world):
    walker = walk(world, "activist_review")
    walker.record("activist_review")
    walker.record("activist_review", walker.dates["activist_review"] + dt.timedelta(days=180))
    assert len(walker.steps("activist_review")) == 2


def test_an_unknown_step_and_a_person_who_left_are_refused(world):
    walker = walk(world, "talk")
    with nothing_written(walker.person), pytest.raises(ValidationError, match="Unknown step"):
        services.step_record(
            actor=world.alice, membership=walker.person, proposed=Proposed("dance", D(2021, 4, 1))
        )
    walker.person = services.people_services.member_leave(
        actor=None, membership=walker.person, reason=LeaveReason.DEVELOPMENT_ENDED, date=D(2021, 4, 1)
    )
    walker.refused("talk")


def test_a_decision_the_step_does_not_allow_is_refused(world):
    walker = walk(world, "political_review")
    walker.refused("political_review", decision=Decision.DONE, field="decision")
    walker.refused("political_review", decision=Decision.EXTENDED, field="decision")


# step_void ------------------------------------------------------------------------------------------


def test_void_only_the_latest_with_a_reason_and_audited(world):
    walker = walk(world, "activist_review")
    contacts = walker.steps("contacts")[0]
    filed = walker.steps("activist_filed")[0]
    latest = max(walker.steps(), key=lambda s: (s.date, s.pk))
    assert latest == contacts  # recorded after the filing on the same day
    with nothing_written(walker.person), pytest.raises(ValidationError, match="latest"):
        services.step_void(actor=world.alice, step=filed, reason="录错")
    for reason in ("", "   "):
        with nothing_written(walker.person), pytest.raises(ValidationError) as refused:
            services.step_void(actor=world.alice, step=contacts, reason=reason)
        assert "reason" in refused.value.message_dict
    audits = AuditEvent.objects.filter(action=services.A_VOID).count()
    services.step_void(actor=world.alice, step=contacts, reason="  联系人录错  ")
    contacts.refresh_from_db()
    assert contacts.voided and contacts.void_reason == "联系人录错"
    assert StepPerson.objects.filter(step=contacts).count() == 2  # kept with the voided step
    event = AuditEvent.objects.filter(action=services.A_VOID).latest("pk")
    assert AuditEvent.objects.filter(action=services.A_VOID).count() == audits + 1
    assert event.before["voided"] is False and event.after["voided"] is True
    assert event.message == "联系人录错"
    # voided: the step can be recorded again, and cannot be voided twice
    with pytest.raises(ValidationError):
        services.step_void(actor=world.alice, step=contacts, reason="again")
    walker.record("contacts", people=[(walker.helpers[2], Role.CONTACT)])
    walker.record("activist_review")


def test_void_refuses_a_step_that_changed_the_status(world):
    walker = walk(world, "activist_filed")
    activist = walker.steps("activist")[0]
    assert ("activist", Decision.DONE) in STATUS_AFTER
    with nothing_written(walker.person), pytest.raises(ValidationError, match="status"):
        services.step_void(actor=world.alice, step=activist, reason="录错")


def test_void_refuses_a_conversion_approval_even_of_an_extension(world):
    walker = walk(world, "conversion_meeting", applied=D(2022, 6, 1), accepted=D(2024, 2, 29))
    walker.record("conversion_meeting", decision=Decision.EXTENDED, extension_months=6)
    approval = walker.record("conversion_approval")
    with nothing_written(walker.person), pytest.raises(ValidationError, match="status"):
        services.step_void(actor=world.alice, step=approval, reason="录错")


def test_void_a_failed_step_lets_the_branch_start_over(world):
    walker = walk(world, "political_review")
    failed = walker.record("political_review", decision=Decision.FAILED, conclusion="不合格")
    services.step_void(actor=world.alice, step=failed, reason="结论录错")
    walker.record("political_review")


# Plans ----------------------------------------------------------------------------------------------


def test_plan_set_by_the_parent_admin_only(world):
    with pytest.raises(PermissionDenied):
        services.plan_set(actor=world.alice, org=world.branch_a, year=2026, quota=3)
    with pytest.raises(PermissionDenied):
        services.plan_set(actor=world.charlie, org=world.branch_a, year=2026, quota=3)
    with pytest.raises(PermissionDenied):
        services.plan_set(actor=world.bob, org=world.branch_a, year=2026, quota=3)
    assert not DevelopmentPlan.objects.exists()
    plan = services.plan_set(actor=world.boss, org=world.branch_a, year=2026, quota=3, note=" 年初下达 ")
    assert (plan.quota, plan.note) == (3, "年初下达")
    again = services.plan_set(actor=world.boss, org=world.branch_a, year=2026, quota=4)
    assert again.pk == plan.pk and DevelopmentPlan.objects.count() == 1
    events = AuditEvent.objects.filter(action=services.A_PLAN).order_by("pk")
    assert [e.after["quota"] for e in events] == [3, 4]
    assert events[1].before["quota"] == 3
    # the root committee sets its own
    services.plan_set(actor=world.boss, org=world.committee, year=2026, quota=20)
    with pytest.raises(PermissionDenied):
        services.plan_set(actor=world.alice, org=world.committee, year=2026, quota=20)


@pytest.mark.parametrize(
    ("year", "quota", "field"), [(1999, 1, "year"), (2101, 1, "year"), (2026, -1, "quota")]
)
def test_plan_values(world, year, quota, field):
    with pytest.raises(ValidationError) as refused:
        services.plan_set(actor=world.boss, org=world.branch_a, year=year, quota=quota)
    assert field in refused.value.message_dict
    assert not AuditEvent.objects.filter(action=services.A_PLAN).exists()


# Access ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["charlie", "bob", "dang"])
def test_only_those_who_may_change_the_branch_record_and_void(world, who):
    walker = walk(world, "talk")
    actor = getattr(world, who)
    with nothing_written(walker.person), pytest.raises(PermissionDenied):
        walker.record("talk", actor=actor)
    step = walker.record("talk")
    with nothing_written(walker.person), pytest.raises(PermissionDenied):
        services.step_void(actor=actor, step=step, reason="录错")
    assert not DevelopmentStep.objects.get(pk=step.pk).voided


def test_the_committee_admin_above_may_record(world):
    walker = walk(world, "talk")
    walker.record("talk", actor=world.boss)
    assert AuditEvent.objects.filter(action=services.A_STEP).latest("pk").actor == world.boss
