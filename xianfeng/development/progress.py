"""What comes next for one person in development, with its deadline or its earliest date.

Read by the development board, a person's timeline and the compliance findings, so all three say the
same thing. Pure: give it the membership and its valid steps (oldest first).

- Applicant: the talk is due one month after the application (DEV-03), then the activist decision.
- Activist: filing, contacts, a review every 6 months from the activist date or the last review (DEV-06),
  and the earliest candidate date, one year after the activist date (DEV-08).
- Candidate: filing, sponsors, political review, training, then the acceptance steps in order; the
  approval is due 3 months after the branch meeting (at most 6, DEV-15).
- Probationary: placement and oath, then conversion, due when probation ends (one year from the
  acceptance meeting plus an extension, DEV-17/18); the approval of conversion 3 months after the
  conversion meeting (DEV-19).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta

from xianfeng.development.checks import done, probation_end
from xianfeng.development.ruleset import rules_on
from xianfeng.development.steps import BY_CODE, Step
from xianfeng.people.choices import PoliticalStatus


@dataclass(frozen=True)
class NextStep:
    step: Step
    due: dt.date | None = None  # a deadline (overdue after it)
    earliest: dt.date | None = None  # not allowed before it
    rule: str = ""

    def days_left(self, today: dt.date) -> int | None:
        return (self.due - today).days if self.due else None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and today > self.due

    def too_early(self, today: dt.date) -> bool:
        return self.earliest is not None and today < self.earliest


def _missing(steps: Sequence[Any], codes: Sequence[str]) -> list[NextStep]:
    return [NextStep(BY_CODE[c], rule=BY_CODE[c].rule) for c in codes if not done(steps, c)]


def _applicant(m: Any, steps: Sequence[Any]) -> list[NextStep]:
    if m.application_date is None:
        return [NextStep(BY_CODE["application"], rule="DEV-01")]
    rules = rules_on(m.application_date)
    talk_due = m.application_date + relativedelta(months=rules.talk_within_months)
    if not done(steps, "application"):
        # the talk comes after the application step (steps.py), so the step is due when the talk is
        return [
            NextStep(BY_CODE["application"], due=talk_due, rule="DEV-01"),
            NextStep(BY_CODE["talk"], due=talk_due, rule="DEV-03"),
        ]
    if not done(steps, "talk"):
        return [NextStep(BY_CODE["talk"], due=talk_due, rule="DEV-03")]
    return [NextStep(BY_CODE["activist"], rule="DEV-04")]


def _activist(m: Any, steps: Sequence[Any]) -> list[NextStep]:
    start = m.activist_date
    out = _missing(steps, ("activist_filed", "contacts"))
    if start is None:
        return out
    rules = rules_on(start)
    reviews = done(steps, "activist_review")
    last = reviews[-1].date if reviews else start
    out.append(
        NextStep(
            BY_CODE["activist_review"],
            due=last + relativedelta(months=rules.review_every_months),
            rule="DEV-06",
        )
    )
    out.append(
        NextStep(
            BY_CODE["candidate"],
            earliest=start + relativedelta(months=rules.activist_min_months),
            rule="DEV-08",
        )
    )
    return out


ACCEPTANCE_ORDER = ("committee_check", "pre_review", "volunteer_form", "acceptance_meeting", "higher_talk")


def _candidate(m: Any, steps: Sequence[Any]) -> list[NextStep]:
    out = _missing(steps, ("candidate_filed", "sponsors", "political_review", "training"))
    if out:
        return out
    for code in ACCEPTANCE_ORDER[:-1]:
        if not done(steps, code):
            return [NextStep(BY_CODE[code], rule=BY_CODE[code].rule)]
    meeting = done(steps, "acceptance_meeting")[-1]
    rules = rules_on(meeting.date)
    due = meeting.date + relativedelta(months=rules.approval_months)
    if not done(steps, "higher_talk"):  # the talk comes before the approval, so it has its deadline
        return [NextStep(BY_CODE["higher_talk"], due=due, rule="DEV-15")]
    return [NextStep(BY_CODE["approval"], due=due, rule="DEV-15")]


def _probationary(m: Any, steps: Sequence[Any]) -> list[NextStep]:
    out = _missing(steps, ("approval_filed", "placement", "oath"))
    end = probation_end(m, steps)
    meetings = done(steps, "conversion_meeting")
    approvals = done(steps, "conversion_approval")
    pending = meetings and (not approvals or approvals[-1].date < meetings[-1].date)
    if pending:
        rules = rules_on(meetings[-1].date)
        due = meetings[-1].date + relativedelta(months=rules.conversion_approval_months)
        return [*out, NextStep(BY_CODE["conversion_approval"], due=due, rule="DEV-19")]
    if not done(steps, "conversion_application"):
        out.append(NextStep(BY_CODE["conversion_application"], due=end, rule="DEV-19"))
    out.append(NextStep(BY_CODE["conversion_meeting"], due=end, earliest=end, rule="DEV-19"))
    return out


def _full(m: Any, steps: Sequence[Any]) -> list[NextStep]:
    """After a conversion recorded here, the materials go to the personnel file (DEV-20)."""
    if done(steps, "conversion_approval") and not done(steps, "archived"):
        return [NextStep(BY_CODE["archived"], rule="DEV-20")]
    return []


def next_steps(membership: Any, steps: Sequence[Any]) -> list[NextStep]:
    """The open steps of a person in development, most urgent first (deadlines, then the rest)."""
    by_status = {
        PoliticalStatus.APPLICANT: _applicant,
        PoliticalStatus.ACTIVIST: _activist,
        PoliticalStatus.CANDIDATE: _candidate,
        PoliticalStatus.PROBATIONARY: _probationary,
        PoliticalStatus.FULL: _full,
    }
    reader = by_status.get(membership.status)
    if reader is None:
        return []
    found = reader(membership, steps)
    return sorted(found, key=lambda n: (n.due is None, n.due or dt.date.max, n.step.number))
