"""The 5 stages and 25 steps of the 2014 detailed rules (RULES.md §2), plus the outcomes of probation.

Each step names the steps that must come before it, whether it repeats (activist reviews, probation
reviews), the people it records (talkers, cultivation contacts, sponsors) and the rule that governs
it. The status a step moves the person to is applied by the service, never typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xianfeng.people.choices import PoliticalStatus


class Stage(models.IntegerChoices):
    APPLICATION = 1, _("Application")
    ACTIVIST = 2, _("Activist: selection and cultivation")
    CANDIDATE = 3, _("Candidate: selection and examination")
    ACCEPTANCE = 4, _("Acceptance as probationary member")
    PROBATION = 5, _("Probation and conversion")


class Role(models.TextChoices):
    """What a person recorded on a step did."""

    TALKER = "talker", _("Talked with the applicant")
    CONTACT = "contact", _("Cultivation contact")
    SPONSOR = "sponsor", _("Sponsor")
    HIGHER_TALKER = "higher_talker", _("Talked for the higher committee")


class Decision(models.TextChoices):
    DONE = "done", _("Done")
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Not passed")
    EXTENDED = "extended", _("Probation extended")
    CANCELLED = "cancelled", _("Probationary status cancelled")


@dataclass(frozen=True)
class Step:
    code: str
    number: int  # 1–25 in the standard chart; 0 for outcomes outside the chart
    stage: Stage
    label: str | Promise
    requires: tuple[str, ...] = ()
    repeatable: bool = False
    rule: str = ""
    role: str = ""
    people: tuple[int, int] = (0, 0)  # how many people of `role`, min and max
    votes: bool = False
    decisions: tuple[str, ...] = (Decision.DONE,)
    data: tuple[str, ...] = field(default=())  # extra fields the form asks for


STEPS: tuple[Step, ...] = (
    Step("application", 1, Stage.APPLICATION, _("Written application handed in"), rule="DEV-01"),
    Step(
        "talk",
        2,
        Stage.APPLICATION,
        _("Talk with the applicant"),
        ("application",),
        rule="DEV-03",
        role=Role.TALKER,
        people=(1, 3),
    ),
    Step("activist", 3, Stage.ACTIVIST, _("Recommended and decided as activist"), ("talk",), rule="DEV-04"),
    Step(
        "activist_filed",
        4,
        Stage.ACTIVIST,
        _("Activist filed with the higher committee"),
        ("activist",),
        rule="DEV-04",
    ),
    Step(
        "contacts",
        5,
        Stage.ACTIVIST,
        _("Cultivation contacts appointed"),
        ("activist",),
        rule="DEV-05",
        role=Role.CONTACT,
        people=(1, 2),
    ),
    Step(
        "activist_review",
        6,
        Stage.ACTIVIST,
        _("Half-yearly review of the activist"),
        ("contacts",),
        repeatable=True,
        rule="DEV-06",
    ),
    Step(
        "candidate",
        7,
        Stage.CANDIDATE,
        _("Decided as candidate for admission"),
        ("activist_filed", "activist_review"),
        rule="DEV-08",
    ),
    Step(
        "candidate_filed",
        8,
        Stage.CANDIDATE,
        _("Candidate filed with the higher committee"),
        ("candidate",),
        rule="DEV-08",
    ),
    Step(
        "sponsors",
        9,
        Stage.CANDIDATE,
        _("Two sponsors named"),
        ("candidate",),
        rule="DEV-09",
        role=Role.SPONSOR,
        people=(2, 2),
    ),
    Step(
        "political_review",
        10,
        Stage.CANDIDATE,
        _("Political review"),
        ("candidate",),
        rule="DEV-10",
        decisions=(Decision.PASSED, Decision.FAILED),
        data=("conclusion",),
    ),
    Step(
        "training",
        11,
        Stage.CANDIDATE,
        _("Short training"),
        ("candidate",),
        rule="DEV-11",
        data=("training_days", "training_hours"),
    ),
    Step(
        "committee_check",
        12,
        Stage.ACCEPTANCE,
        _("Checked by the branch committee"),
        ("candidate_filed", "sponsors", "political_review", "training"),
        rule="DEV-12",
        data=("leaving_within_3_months",),
    ),
    Step(
        "pre_review",
        13,
        Stage.ACCEPTANCE,
        _("Pre-review by the higher committee"),
        ("committee_check",),
        rule="DEV-12",
        decisions=(Decision.PASSED, Decision.FAILED),
    ),
    Step(
        "volunteer_form",
        14,
        Stage.ACCEPTANCE,
        _("Application form (入党志愿书) filled in"),
        ("pre_review",),
        rule="DEV-12",
    ),
    Step(
        "acceptance_meeting",
        15,
        Stage.ACCEPTANCE,
        _("Branch general meeting votes on acceptance"),
        ("volunteer_form",),
        rule="DEV-13",
        votes=True,
        decisions=(Decision.PASSED, Decision.FAILED),
    ),
    Step(
        "higher_talk",
        16,
        Stage.ACCEPTANCE,
        _("Talk by the higher committee"),
        ("acceptance_meeting",),
        rule="DEV-14",
        role=Role.HIGHER_TALKER,
        people=(1, 2),
    ),
    Step(
        "approval",
        17,
        Stage.ACCEPTANCE,
        _("Approved by the Party committee"),
        ("higher_talk",),
        rule="DEV-15",
        decisions=(Decision.PASSED, Decision.FAILED),
        data=("approving_org", "delay_reason"),
    ),
    Step(
        "approval_filed",
        18,
        Stage.ACCEPTANCE,
        _("Approval filed with the organization department above"),
        ("approval",),
        rule="DEV-15",
    ),
    Step(
        "placement",
        19,
        Stage.PROBATION,
        _("Placed in a branch and a party group"),
        ("approval",),
        rule="DEV-16",
    ),
    Step("oath", 20, Stage.PROBATION, _("Oath taken facing the Party flag"), ("approval",), rule="DEV-16"),
    Step(
        "probation_review",
        21,
        Stage.PROBATION,
        _("Continued education and review"),
        ("approval",),
        repeatable=True,
        rule="DEV-17",
    ),
    Step(
        "conversion_application",
        22,
        Stage.PROBATION,
        _("Written application for conversion"),
        ("approval",),
        rule="DEV-19",
    ),
    Step(
        "conversion_meeting",
        23,
        Stage.PROBATION,
        _("Branch general meeting votes on conversion"),
        ("conversion_application",),
        rule="DEV-19",
        votes=True,
        decisions=(Decision.PASSED, Decision.EXTENDED, Decision.CANCELLED, Decision.FAILED),
        data=("extension_months",),
    ),
    Step(
        "conversion_approval",
        24,
        Stage.PROBATION,
        _("Conversion approved by the Party committee"),
        ("conversion_meeting",),
        rule="DEV-19",
        decisions=(Decision.PASSED, Decision.FAILED),
        data=("approving_org",),
    ),
    Step(
        "archived",
        25,
        Stage.PROBATION,
        _("Materials archived in the personnel file"),
        ("conversion_approval",),
        rule="DEV-20",
    ),
)

BY_CODE: dict[str, Step] = {s.code: s for s in STEPS}
STEP_CHOICES = [(s.code, s.label) for s in STEPS]

# The status a person has once a step is recorded with the given decision (applied by the service).
STATUS_AFTER: dict[tuple[str, str], str] = {
    ("application", Decision.DONE): PoliticalStatus.APPLICANT,
    ("activist", Decision.DONE): PoliticalStatus.ACTIVIST,
    ("candidate", Decision.DONE): PoliticalStatus.CANDIDATE,
    ("approval", Decision.PASSED): PoliticalStatus.PROBATIONARY,
    ("conversion_approval", Decision.PASSED): PoliticalStatus.FULL,
}

# The status a person must have for a step to be recorded.
STATUS_FOR_STAGE: dict[Stage, frozenset[str]] = {
    Stage.APPLICATION: frozenset({PoliticalStatus.APPLICANT}),
    Stage.ACTIVIST: frozenset({PoliticalStatus.ACTIVIST}),
    Stage.CANDIDATE: frozenset({PoliticalStatus.CANDIDATE}),
    Stage.ACCEPTANCE: frozenset({PoliticalStatus.CANDIDATE}),
    Stage.PROBATION: frozenset({PoliticalStatus.PROBATIONARY}),
}
EXCEPTIONS = {
    # the step that moves a person into a stage is recorded while they are still in the previous one
    "activist": frozenset({PoliticalStatus.APPLICANT}),
    "candidate": frozenset({PoliticalStatus.ACTIVIST}),
    "application": frozenset({PoliticalStatus.APPLICANT}),
    # the filing of the approval comes after the approval, which made the person probationary
    "approval_filed": frozenset({PoliticalStatus.PROBATIONARY}),
    "placement": frozenset({PoliticalStatus.PROBATIONARY}),
    # the archive comes after the conversion, which made the person a full member
    "archived": frozenset({PoliticalStatus.FULL}),
}


def allowed_statuses(step: Step) -> frozenset[str]:
    return EXCEPTIONS.get(step.code, STATUS_FOR_STAGE[step.stage])
