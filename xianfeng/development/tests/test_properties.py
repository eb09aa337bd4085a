"""Properties of the development rules (hypothesis).

Pure ones check the rule functions against independent oracles; the database one drives the service
with random birth and step dates (valid and not) and checks that whatever got recorded keeps the
invariants: nobody applied before 18, nobody became a candidate (and so a probationary member) with
less than a year as activist, and every step came after the steps it needs.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from xianfeng.development import services
from xianfeng.development.checks import Proposed, age_reached, step_errors, vote_errors, vote_passes
from xianfeng.development.progress import next_steps
from xianfeng.development.ruleset import rules_on
from xianfeng.development.steps import BY_CODE, Decision
from xianfeng.development.tests.builders import CODES, D, Walker, applicant, full_members
from xianfeng.people.choices import PoliticalStatus

FAR = D(2100, 1, 1)
counts = st.integers(min_value=0, max_value=60)


def _step(code: str, day: dt.date, decision: str = Decision.DONE, **kw: Any) -> SimpleNamespace:
    return SimpleNamespace(step=code, date=day, decision=decision, voided=False, extension_months=None, **kw)


def _member(status: str, **kw: Any) -> SimpleNamespace:
    data = {
        "status": status,
        "person_id": 1,
        "person": SimpleNamespace(birth_date=None),
        "application_date": None,
        "activist_date": None,
        "candidate_date": None,
        "admission_date": None,
        **kw,
    }
    return SimpleNamespace(**data)


# DEV-13 ---------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(should=counts, votes_for=counts)
def test_dev13_vote_passes_iff_more_than_half_of_those_who_should_attend_vote_for(should, votes_for):
    p = Proposed(code="acceptance_meeting", date=D(2024, 1, 1), should_attend=should, votes_for=votes_for)
    assert vote_passes(p) == (2 * votes_for > should)


@settings(max_examples=200, deadline=None)
@given(should=counts, present=counts, written=counts, yes=counts, no=counts, abstain=counts)
def test_dev13_accepted_counts_are_consistent_and_quorate(should, present, written, yes, no, abstain):
    p = Proposed(
        code="acceptance_meeting",
        date=D(2024, 1, 1),
        should_attend=should,
        present=present,
        written_opinions=written,
        votes_for=yes,
        votes_against=no,
        abstentions=abstain,
    )
    errors = vote_errors(p, rules_on(p.date))
    consistent = (
        should >= 1
        and present <= should
        and written <= should - present
        and yes + no + abstain <= present + written
    )
    assert (errors == {}) == (consistent and 2 * present > should)
    if consistent and errors:
        assert list(errors) == ["present"] and "DEV-13" in errors["present"]


# DEV-01 ---------------------------------------------------------------------------------------------


def _age(birth: dt.date, day: dt.date) -> int:
    """周岁 on `day`, counted independently of relativedelta: a year is added on the birthday; a
    29 February birthday falls on 1 March in a non-leap year."""
    try:
        birthday = birth.replace(year=day.year)
    except ValueError:  # 29 February in a non-leap year
        birthday = D(day.year, 3, 1)
    return day.year - birth.year - (1 if day < birthday else 0)


@settings(max_examples=300, deadline=None)
@given(
    birth=st.one_of(
        st.dates(D(1950, 1, 1), D(2010, 12, 31)), st.sampled_from([D(2000, 2, 29), D(2004, 2, 29)])
    ),
    delta=st.one_of(st.integers(-3, 3), st.integers(-800, 800)),
)
def test_dev01_application_allowed_iff_18_years_of_age(birth, delta):
    day = age_reached(birth, 18) + dt.timedelta(days=delta)
    member = _member(PoliticalStatus.APPLICANT, person=SimpleNamespace(birth_date=birth))
    errors = step_errors(Proposed(code="application", date=day), member, [], FAR)
    assert (errors == {}) == (_age(birth, day) >= 18)
    if errors:
        assert "DEV-01" in errors["date"]


# DEV-08 and DEV-17: progress and checks agree ---------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    activist=st.one_of(
        st.dates(D(2015, 1, 1), D(2030, 12, 31)), st.sampled_from([D(2024, 2, 29), D(2023, 8, 31)])
    ),
    delta=st.one_of(st.integers(-3, 3), st.integers(-60, 60)),
)
def test_dev08_candidate_allowed_iff_on_or_after_the_earliest_date_progress_shows(activist, delta):
    member = _member(PoliticalStatus.ACTIVIST, activist_date=activist)
    steps = [
        _step("activist", activist),
        _step("activist_filed", activist),
        _step("activist_review", activist),
    ]
    earliest = {n.step.code: n for n in next_steps(member, steps)}["candidate"].earliest
    assert earliest == activist + relativedelta(years=1)
    day = earliest + dt.timedelta(days=delta)
    errors = step_errors(Proposed(code="candidate", date=day), member, steps, FAR)
    assert (errors == {}) == (day >= earliest)
    assert (day - activist).days >= 365 or errors  # never less than a (non-leap) year's days
    if errors:
        assert "DEV-08" in errors["date"]


@settings(max_examples=200, deadline=None)
@given(
    accepted=st.one_of(
        st.dates(D(2015, 1, 1), D(2030, 12, 31)), st.sampled_from([D(2024, 2, 29), D(2024, 8, 31)])
    ),
    delta=st.one_of(st.integers(-3, 3), st.integers(-60, 60)),
    extension=st.sampled_from([None, 6, 9, 12]),
)
def test_dev19_conversion_meeting_allowed_iff_probation_has_ended(accepted, delta, extension):
    member = _member(PoliticalStatus.PROBATIONARY, admission_date=accepted)
    steps = [_step("approval", accepted, Decision.PASSED), _step("conversion_application", accepted)]
    if extension:
        end = accepted + relativedelta(months=12)
        steps += [
            _step("conversion_meeting", end, Decision.EXTENDED),
            _step("conversion_approval", end, Decision.PASSED),
        ]
        steps[-2].extension_months = extension
    end = accepted + relativedelta(months=12 + (extension or 0))
    meeting = {n.step.code: n for n in next_steps(member, steps)}["conversion_meeting"]
    assert meeting.earliest == end
    day = end + dt.timedelta(days=delta)
    vote = {"should_attend": 5, "present": 5, "votes_for": 5, "votes_against": 0, "abstentions": 0}
    p = Proposed(code="conversion_meeting", date=day, decision=Decision.PASSED, **vote)
    errors = step_errors(p, member, steps, FAR)
    assert (errors == {}) == (day >= end), errors


# The service: whatever gets recorded keeps the invariants ---------------------------------------------


class _Rollback(Exception):
    """Raised at the end of each example to undo what it wrote."""


@pytest.fixture
def helpers(world):
    return full_members(world.branch_a, admitted=D(1995, 1, 1), birth=D(1960, 1, 1))


@pytest.mark.django_db
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    birth=st.one_of(
        st.dates(D(1988, 1, 1), D(2006, 12, 31)), st.just(D(2000, 2, 29)), st.just(D(2004, 2, 29))
    ),
    offset=st.one_of(st.integers(-2, 2), st.integers(-40, 60)),
    gaps=st.lists(st.integers(-10, 200), min_size=len(CODES), max_size=len(CODES)),
    retries=st.lists(st.integers(0, 400), min_size=len(CODES), max_size=len(CODES)),
)
def test_no_allowed_sequence_admits_someone_under_18_or_with_less_than_a_year_as_activist(
    world, helpers, birth, offset, gaps, retries
):
    try:
        with transaction.atomic():
            _run(world, helpers, birth, offset, gaps, retries)
            raise _Rollback
    except _Rollback:
        pass


def _run(
    world: Any, helpers: list[Any], birth: dt.date, offset: int, gaps: list[int], retries: list[int]
) -> None:
    adult = age_reached(birth, 18)
    first = adult + dt.timedelta(days=offset)
    walker = Walker(
        world=world, person=applicant(world.branch_a, birth=birth, applied=first), helpers=helpers, dates={}
    )
    day, stuck = first, ""
    for code, gap, retry in zip(CODES, gaps, retries, strict=True):
        day = day + dt.timedelta(days=gap) if code != "application" else first
        for attempt in (day, day + dt.timedelta(days=retry)):
            try:
                extra = {"delay_reason": "党委会推迟"} if code.endswith("approval") else {}
                walker.record(code, attempt, **extra)
            except ValidationError as exc:
                stuck = stuck or f"{code}: {', '.join(getattr(exc, 'error_dict', {'-': 0}))}"
                continue
            day = attempt
            break
    m = walker.refresh()
    event(f"reached: {m.status}")
    event(f"first refusal: {stuck}")
    steps = services.valid_steps(m)
    by_code: dict[str, list[Any]] = {}
    for s in steps:
        by_code.setdefault(s.step, []).append(s)
    # every recorded step comes after the steps it needs, and none is in the future
    for s in steps:
        assert s.date <= timezone.localdate()
        for need in BY_CODE[s.step].requires:
            assert any(r.date <= s.date and r.decision != Decision.FAILED for r in by_code.get(need, [])), (
                s,
                need,
            )
    if m.status == PoliticalStatus.APPLICANT and "application" not in by_code:
        return
    # DEV-01: 18 on the application date
    assert m.application_date is not None and m.application_date >= adult
    assert by_code["application"][0].date >= adult
    if m.status in (PoliticalStatus.CANDIDATE, PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL):
        # DEV-08: a year as activist before becoming a candidate (and so before acceptance)
        assert m.candidate_date >= m.activist_date + relativedelta(months=12)
        assert by_code["candidate"][0].date >= by_code["activist"][0].date + relativedelta(months=12)
        assert m.application_date >= adult
    if m.status in (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL):
        assert m.admission_date >= m.candidate_date
    if m.status == PoliticalStatus.FULL:
        assert m.conversion_date >= m.admission_date + relativedelta(months=12)
