"""The read side: the board (by stage, scoped, deadline words, steps of everyone in one query), the
timeline (voided steps kept, people named) and the plan against what happened."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from xianfeng.development import selectors, services
from xianfeng.development.progress import NextStep
from xianfeng.development.steps import BY_CODE, Decision, Stage
from xianfeng.development.tests.builders import votes, walk

pytestmark = pytest.mark.django_db

D = dt.date


def in_branch_b(world, last: str, **dates):
    """A person of branch B walked through `last` by the committee admin (alice cannot)."""
    walker = walk(world, org=world.branch_b, **dates)
    walker.actor = world.boss
    return walker.through(last)


def test_deadline_words():
    today = D(2026, 3, 1)
    talk, candidate, meeting = BY_CODE["talk"], BY_CODE["candidate"], BY_CODE["conversion_meeting"]
    cases = [
        (NextStep(talk, due=D(2026, 3, 7)), "soon", "Due in 6 days"),
        (NextStep(talk, due=D(2026, 2, 26)), "overdue", "Overdue by 3 days"),
        (NextStep(talk, due=D(2026, 3, 1)), "soon", "Due today"),
        (NextStep(talk, due=D(2026, 5, 1)), "later", "Due in 61 days"),
        (NextStep(candidate, earliest=D(2026, 3, 14)), "wait", "May become a candidate from 2026-03-14"),
        (NextStep(BY_CODE["activist"]), "open", ""),
        (
            NextStep(meeting, due=D(2026, 3, 26), earliest=D(2026, 3, 26)),
            "later",
            "Probation ends in 25 days: schedule the conversion meeting",
        ),
        (NextStep(meeting, due=D(2026, 2, 20), earliest=D(2026, 2, 20)), "overdue", "Overdue by 9 days"),
    ]
    for step, level, text in cases:
        d = selectors.deadline(step, today)
        assert (d.level, d.text) == (level, text)


def test_board_groups_by_stage_and_is_scoped(world, settings):
    settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 0  # the chart's steps only (reports: test_thought_reports)
    applicant = walk(world, until="talk")
    activist = walk(world, until="contacts")
    accepting = walk(world, until="pre_review")
    probationer = walk(world, until="placement")
    in_b = in_branch_b(world, "application")
    board = selectors.board(world.boss, world.general_branch, D(2026, 3, 1))
    by_stage = {c.stage: [p.membership for p in c.people] for c in board.columns}
    assert by_stage == {
        Stage.APPLICATION: sorted([applicant.person, in_b.person], key=lambda m: (m.person.name, m.pk)),
        Stage.ACTIVIST: [activist.person],
        Stage.CANDIDATE: [],
        Stage.ACCEPTANCE: [accepting.person],
        Stage.PROBATION: [probationer.person],
    }
    assert board.total == 5 and not board.truncated
    first = next(c for c in board.columns if c.stage == Stage.PROBATION).people[0].next[0]
    assert first.step.code in ("approval_filed", "placement", "oath", "conversion_application")
    charlie = selectors.board(world.charlie, world.general_branch, D(2026, 3, 1))
    assert [p.membership for c in charlie.columns for p in c.people] == [in_b.person]


def test_board_steps_come_in_one_query_whatever_the_number_of_people(world):
    today = D(2026, 3, 1)
    walk(world, until="contacts")
    walk(world, until="talk")
    selectors.board(world.alice, world.branch_a, today)  # the user's grants are cached per request

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            selectors.board(world.alice, world.branch_a, today)
        return len(ctx.captured_queries)

    few = count()
    for until in ("candidate_filed", "oath", "activist_review", "talk"):
        walk(world, until=until)
    assert count() == few <= 3
    assert selectors.board(world.alice, world.branch_a, today).total == 6


def test_only_overdue_keeps_the_counts(world):
    walk(world, until="talk", applied=D(2025, 1, 10))  # talk overdue
    walk(world, until="candidate", activist=D(2025, 6, 1))  # candidate not before 2026-06-01
    board = selectors.board(world.alice, world.branch_a, D(2026, 3, 1), only_overdue=True)
    assert board.total == 2 and board.overdue >= 1
    shown = [p for c in board.columns for p in c.people]
    assert shown and all(p.overdue for p in shown)


def test_timeline_keeps_voided_steps_and_names_people(world):
    w = walk(world, until="activist_review")
    filed = w.steps("contacts")[0]
    services.step_void(actor=world.alice, step=filed, reason="联系人录错")
    line = selectors.timeline(w.person)
    entries = [e for block in line.stages for e in block.entries]
    assert [e.record.step for e in entries] == [
        "application",
        "talk",
        "activist",
        "activist_filed",
        "contacts",
    ]
    contacts = entries[-1]
    assert contacts.record.voided and contacts.record.void_reason == "联系人录错"
    assert w.helpers[0].person.name in contacts.people[0][1]
    assert [b.stage for b in line.stages] == [Stage.APPLICATION, Stage.ACTIVIST]
    assert line.latest is not None and line.latest.step == "activist_filed"


def test_plan_counts_approvals_and_conversions_by_year(world):
    services.plan_set(actor=world.boss, org=world.branch_a, year=2023, quota=2)
    # Branch meeting in December 2022, approved in January 2023: accepted in 2023.
    late = walk(
        world,
        until="approval_filed",
        accepted=D(2022, 12, 20),
        dates={"approval": D(2023, 1, 10), "higher_talk": D(2022, 12, 28)},
    )
    # Accepted in 2022 and converted in 2023.
    converted = walk(world, until="archived", applied=D(2020, 3, 10), accepted=D(2022, 3, 1))
    # Accepted in 2022; probation extended in 2023 (approved in 2023): not a conversion.
    extended = walk(world, until="conversion_meeting", applied=D(2020, 3, 10), accepted=D(2022, 4, 1))
    extended.record("conversion_meeting", decision=Decision.EXTENDED, extension_months=6, **votes())
    extended.record("conversion_approval")
    in_branch_b(world, "approval", accepted=D(2022, 5, 20))

    table = selectors.plan_vs_actual(world.general_branch, 2023)
    rows = {r.org: r for r in table.rows}
    assert set(rows) == {world.branch_a, world.branch_b}
    a, b = rows[world.branch_a], rows[world.branch_b]
    assert (a.quota, a.accepted, a.converted, a.percent) == (2, 1, 1, 50)
    assert (b.quota, b.accepted, b.converted) == (None, 0, 0)
    assert (table.accepted, table.converted) == (1, 1)
    earlier = selectors.plan_vs_actual(world.general_branch, 2022)
    assert earlier.accepted == 3
    assert late.person.pk and converted.person.pk
    own = selectors.plan_vs_actual(world.branch_a, 2023)
    assert [(r.own, r.quota, r.accepted) for r in own.rows] == [(True, 2, 1)]
