"""Properties of the engine over random activity records (hypothesis)."""

import datetime as dt

from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.compliance.engine import Scope, Status, findings
from xianfeng.compliance.tests.builders import held, post
from xianfeng.people.choices import Post

D = dt.date
START, END = D(2026, 1, 1), D(2026, 12, 31)
KINDS = [
    "theme_day",
    "general_meeting",
    "committee_meeting",
    "group_meeting",
    "party_lecture",
    "org_life_meeting",
]
ORGS = ["branch_a", "branch_b", "group_a1", "general_branch", "committee"]

records = st.lists(
    st.tuples(
        st.sampled_from(ORGS),
        st.sampled_from(KINDS),
        st.dates(min_value=D(2025, 12, 25), max_value=D(2027, 1, 5)),
        st.integers(min_value=0, max_value=23),
        st.booleans(),  # given by the branch A secretary
    ),
    max_size=12,
)
today = st.dates(min_value=D(2025, 12, 1), max_value=D(2027, 2, 1))
SLOW = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _write(world, rows):
    secretary = world.member_a.person
    for org_name, kind, day, hour, by_secretary in rows:
        held(getattr(world, org_name), kind, day, hour=hour, lecturer=secretary if by_secretary else None)


def _key(f):
    return (f.rule, f.org_id, f.person_id, f.period_label)


class _Rollback(Exception):
    pass


def _in_savepoint(fn):
    """Run one example inside a savepoint that is always rolled back."""
    try:
        with transaction.atomic():
            fn()
            raise _Rollback
    except _Rollback:
        pass


@SLOW
@given(
    rows=records,
    extra=st.tuples(st.sampled_from(ORGS), st.sampled_from(KINDS), st.dates(min_value=START, max_value=END)),
    day=today,
)
def test_adding_a_held_activity_never_turns_a_met_finding_into_missed(world, rows, extra, day):
    def example():
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2024, 1, 1))
        _write(world, rows)
        before = {_key(f): f for f in findings(scope=world.committee, start=START, end=END, today=day)}
        org, kind, when = extra
        held(getattr(world, org), kind, when)
        after = {_key(f): f for f in findings(scope=world.committee, start=START, end=END, today=day)}
        assert before.keys() == after.keys()
        for key, old in before.items():
            new = after[key]
            assert new.done >= old.done
            if old.status == Status.MET:
                assert new.status == Status.MET
            assert not (old.status != Status.MISSED and new.status == Status.MISSED)

    _in_savepoint(example)


@SLOW
@given(rows=records, day=today, evidence=st.booleans())
def test_findings_for_a_subtree_are_the_union_of_its_parts(world, rows, day, evidence):
    def example():
        post(world.member_a.person, world.branch_a, Post.SECRETARY, D(2024, 1, 1))
        _write(world, rows)

        def of(scope):
            return set(findings(scope=scope, start=START, end=END, today=day, evidence=evidence))

        whole = of(world.general_branch)
        parts = of(world.branch_a) | of(world.branch_b) | of(Scope.exact([world.general_branch]))
        assert whole == parts
        assert of(world.branch_a) == {f for f in whole if f.org_id in (world.branch_a.pk, world.group_a1.pk)}

    _in_savepoint(example)
