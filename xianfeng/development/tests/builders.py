"""Builders for the development tests: a person walked through the steps with valid defaults, so each
test states only the step and the value it is about.

    walker = walk(world, until="candidate", activist=D(2024, 2, 29))
    walker.refused("candidate", D(2025, 2, 27), rule="DEV-08", field="date")
    walker.record("candidate", D(2025, 2, 28))

Every step before `until` (in the order of the standard chart) is recorded on its planned date; a date
or a field given to `record` overrides the plan. `refused` also checks that nothing was written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError

from xianfeng.core.models import AuditEvent
from xianfeng.development import services
from xianfeng.development.checks import Proposed
from xianfeng.development.models import DevelopmentStep, StepPerson
from xianfeng.development.steps import STEPS, Decision, Role
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership, MembershipEvent
from xianfeng.testing import make_member

D = dt.date
CODES = [s.code for s in STEPS]
HELPERS_ADMITTED = D(2010, 3, 1)
HELPERS_BIRTH = D(1985, 6, 15)
BIRTH = D(1995, 5, 20)
APPLIED = D(2021, 3, 10)


def months(n: int) -> relativedelta:
    return relativedelta(months=n)


def votes(should: int = 10, present: int = 8, yes: int = 7, written: int = 0) -> dict[str, int]:
    """Counts of a branch general meeting; by default quorate and passing."""
    return {
        "should_attend": should,
        "present": present,
        "written_opinions": written,
        "votes_for": yes,
        "votes_against": present + written - yes if present + written >= yes else 0,
        "abstentions": 0,
    }


def full_members(
    org: Any, n: int = 3, admitted: dt.date = HELPERS_ADMITTED, birth: dt.date = HELPERS_BIRTH
) -> list[Membership]:
    """Full members (converted a year after `admitted`) to name as talkers, contacts and sponsors."""
    return [make_member(org, admission_date=admitted, birth_date=birth) for _ in range(n)]


def applicant(org: Any, *, birth: dt.date, applied: dt.date) -> Membership:
    """An applicant record. The record's own application date only has to be valid for the people
    rules; the application step sets the real one."""
    floor = birth + relativedelta(years=18, days=1)
    on_record = max(applied, floor)
    return make_member(
        org,
        status=PoliticalStatus.APPLICANT,
        birth_date=birth,
        admission_date=on_record + relativedelta(years=2),
    )


def plan(
    *,
    applied: dt.date,
    activist: dt.date | None = None,
    candidate: dt.date | None = None,
    accepted: dt.date | None = None,
    dates: dict[str, dt.date] | None = None,
) -> dict[str, dt.date]:
    """A valid date for every step, from four anchors; `dates` overrides single steps."""
    a = activist or applied + months(1)
    c = candidate or a + months(12)
    m = accepted or c + dt.timedelta(days=40)
    end = m + months(12)
    day = dt.timedelta
    out = {
        "application": applied,
        "talk": applied + day(10),
        "activist": a,
        "activist_filed": a + day(5),
        "contacts": a + day(5),
        "activist_review": a + months(6),
        "candidate": c,
        "candidate_filed": c + day(5),
        "sponsors": c + day(5),
        "political_review": c + day(10),
        "training": c + day(15),
        "committee_check": c + day(20),
        "pre_review": c + day(25),
        "volunteer_form": c + day(30),
        "acceptance_meeting": m,
        "higher_talk": m + day(10),
        "approval": m + day(20),
        "approval_filed": m + day(25),
        "placement": m + day(25),
        "oath": m + day(25),
        "probation_review": m + months(6),
        "conversion_application": end - day(10),
        "conversion_meeting": end,
        "conversion_approval": end + day(15),
        "archived": end + day(20),
    }
    out.update(dates or {})
    return out


@dataclass
class Walker:
    """One person in development and the people around them."""

    world: Any
    person: Membership
    helpers: list[Membership]
    dates: dict[str, dt.date]
    actor: Any = None
    recorded: list[DevelopmentStep] = field(default_factory=list)

    def defaults(self, code: str) -> dict[str, Any]:
        h, committee = self.helpers, self.world.committee
        return {
            "talk": {"people": [(h[0], Role.TALKER)]},
            "contacts": {"people": [(h[0], Role.CONTACT), (h[1], Role.CONTACT)]},
            "sponsors": {"people": [(h[0], Role.SPONSOR), (h[2], Role.SPONSOR)]},
            "political_review": {"decision": Decision.PASSED, "conclusion": "政治审查合格"},
            "training": {"training_days": 3},
            "pre_review": {"decision": Decision.PASSED},
            "acceptance_meeting": votes(),
            "higher_talk": {"people": [(h[1], Role.HIGHER_TALKER)]},
            "approval": {"decision": Decision.PASSED, "approving_org": committee},
            "conversion_meeting": {"decision": Decision.PASSED, **votes()},
            "conversion_approval": {"decision": Decision.PASSED, "approving_org": committee},
        }.get(code, {})

    def proposed(self, code: str, day: dt.date | None = None, **kw: Any) -> Proposed:
        return Proposed(code=code, date=day or self.dates[code], **{**self.defaults(code), **kw})

    def record(
        self,
        code: str,
        day: dt.date | None = None,
        *,
        actor: Any = None,
        today: dt.date | None = None,
        note: str = "",
        **kw: Any,
    ) -> DevelopmentStep:
        step = services.step_record(
            actor=actor or self.actor or self.world.alice,
            membership=self.person,
            proposed=self.proposed(code, day, **kw),
            note=note,
            today=today,
        )
        self.recorded.append(step)
        self.refresh()
        return step

    def refused(
        self,
        code: str,
        day: dt.date | None = None,
        *,
        rule: str | None = None,
        field: str | None = None,
        actor: Any = None,
        today: dt.date | None = None,
        **kw: Any,
    ) -> dict[str, list[str]]:
        """Record a step that must be refused: returns the errors by field, after checking that the
        refusal names `rule` (on `field`, if given) and that nothing at all was written."""
        with nothing_written(self.person):
            try:
                self.record(code, day, actor=actor, today=today, **kw)
            except ValidationError as exc:
                errors = errors_of(exc)
            else:
                raise AssertionError(f"{code} on {day} was recorded, expected a refusal")
        text = " ".join(" ".join(v) for v in errors.values())
        if field is not None:
            assert field in errors, errors
        if rule is not None:
            where = " ".join(errors[field]) if field is not None else text
            assert rule in where, errors
        return errors

    def refresh(self) -> Membership:
        self.person.refresh_from_db()
        return self.person

    def steps(self, code: str | None = None) -> list[DevelopmentStep]:
        qs = DevelopmentStep.objects.filter(membership=self.person).order_by("date", "id")
        return list(qs.filter(step=code) if code else qs)

    def through(self, last: str) -> Walker:
        """Record every step after the ones recorded so far, up to and including `last`."""
        done = {s.step for s in self.steps()}
        for code in CODES[: CODES.index(last) + 1]:
            if code not in done:
                self.record(code)
        return self


def errors_of(exc: ValidationError) -> dict[str, list[str]]:
    return exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}


@contextmanager
def nothing_written(membership: Membership) -> Iterator[None]:
    """Asserts that the block wrote no step, no named person, no audit row and no history line, and
    left the membership as it was."""

    def state() -> tuple[Any, ...]:
        m = Membership.objects.get(pk=membership.pk)
        return (
            DevelopmentStep.objects.count(),
            StepPerson.objects.count(),
            AuditEvent.objects.count(),
            MembershipEvent.objects.count(),
            m.status,
            m.application_date,
            m.activist_date,
            m.candidate_date,
            m.admission_date,
            m.conversion_date,
            m.left_date,
        )

    before = state()
    yield
    assert state() == before


def walk(
    world: Any,
    until: str | None = None,
    *,
    birth: dt.date = BIRTH,
    applied: dt.date = APPLIED,
    activist: dt.date | None = None,
    candidate: dt.date | None = None,
    accepted: dt.date | None = None,
    dates: dict[str, dt.date] | None = None,
    helpers: list[Membership] | None = None,
    org: Any = None,
) -> Walker:
    """A new applicant in branch A (or `org`) with every step before `until` recorded; nothing is
    recorded when `until` is None or "application"."""
    org = org or world.branch_a
    walker = Walker(
        world=world,
        person=applicant(org, birth=birth, applied=applied),
        helpers=helpers or full_members(org),
        dates=plan(applied=applied, activist=activist, candidate=candidate, accepted=accepted, dates=dates),
    )
    if until is not None and until != CODES[0]:
        walker.through(CODES[CODES.index(until) - 1])
    return walker
