"""Score, classification, matrix and health check agree with each other and with the engine."""

import datetime as dt

import pytest

from xianfeng.compliance.engine import Finding, Scope, Status, findings, worst
from xianfeng.compliance.selectors import (
    Tier,
    classification,
    classify,
    health_check,
    matrix,
    parse_period,
    score,
)
from xianfeng.compliance.tests.builders import held

D = dt.date
TODAY = D(2026, 1, 15)  # all of 2025 is decided
JANUARY = D(2025, 1, 1)


def finding(status, level="national", period_start=JANUARY, obligation_id=1, subject="org"):
    return Finding(
        "x/y",
        "t",
        status,
        1,
        "org",
        "2025-01",
        period_start,
        D(2025, 1, 31),
        D(2025, 1, 31),
        1,
        0,
        (),
        "c",
        "R",
        level,
        subject,
        obligation_id,
    )


class TestScore:
    def test_nothing_decided_is_not_rated(self):
        assert score([finding(Status.PENDING), finding(Status.DUE_SOON)], TODAY) is None

    def test_national_rules_weigh_twice(self):
        found = [
            finding(Status.MET, "national"),
            finding(Status.MISSED, "local"),
            finding(Status.MISSED, "enterprise"),
        ]
        assert score(found, TODAY) == 50  # 2 / (2 + 1 + 1)

    def test_met_early_counts_and_future_periods_do_not(self):
        assert score([finding(Status.MET, period_start=D(2026, 1, 1))], TODAY) == 100
        assert score([finding(Status.MET, period_start=D(2026, 2, 1))], TODAY) is None

    def test_overdue_coded_rules_cost_ten_points(self):
        coded = finding(Status.OVERDUE, obligation_id=None)
        assert score([finding(Status.MET), coded, coded], TODAY) == 80
        assert score([coded], TODAY) == 90
        assert (
            score([finding(Status.MET), finding(Status.OVERDUE, obligation_id=None, subject="member")], TODAY)
            == 100
        )

    @pytest.mark.parametrize(
        ("value", "tier"),
        [(None, Tier.UNRATED), (90, Tier.ADVANCED), (89, Tier.MIDDLE), (60, Tier.MIDDLE), (59, Tier.LAGGING)],
    )
    def test_classification_thresholds(self, value, tier):
        assert classify(value) == tier


@pytest.fixture
def records(world):
    for month in (1, 2, 3, 5, 8, 12):
        held(world.branch_a, "theme_day", D(2025, month, 10))
    for month in range(1, 13):
        held(world.group_a1, "group_meeting", D(2025, month, 11))
        held(world.branch_b, "theme_day", D(2025, month, 12))
    held(world.branch_b, "general_meeting", D(2025, 3, 30))
    return world


def test_the_matrix_agrees_with_the_health_check(records):
    result = matrix(scope=Scope.subtree(records.committee), year=2025, today=TODAY)
    for row in result.rows:
        org = next(
            o for o in (records.general_branch, records.branch_a, records.branch_b) if o.pk == row.org.id
        )
        health = health_check(org, year=2025, today=TODAY)
        assert row.score == score(health.findings, TODAY)  # past year: no coded rules on either side
        for month, cell in enumerate(row.cells, start=1):
            due = [f for f in health.findings if f.period_end.month == month]
            assert cell.status == worst(f.status for f in due)
            assert cell.total == sum(1 for f in due if f.status != Status.NOT_APPLICABLE)
            assert cell.met == sum(1 for f in due if f.status == Status.MET)


def test_the_matrix_counts_the_groups_with_their_branch(records):
    rows = {
        row.org.id: row for row in matrix(scope=Scope.subtree(records.committee), year=2025, today=TODAY).rows
    }
    assert records.group_a1.pk not in rows
    april = rows[records.branch_a.pk].cells[3]
    assert (april.status, april.met, april.total) == (Status.MISSED, 1, 2)  # group met, theme day missed


def test_classification_ranks_by_score(records):
    result = classification(scope=Scope.subtree(records.committee), year=2025, today=TODAY)
    assert [row.org.id for row in result.rows][:2] == [records.branch_b.pk, records.branch_a.pk]
    assert sum(result.counts.values()) == 3


def test_the_health_check_uses_the_engine(records):
    health = health_check(records.branch_a, year=2025, today=TODAY)
    engine = findings(
        scope=Scope.org_and_groups(records.branch_a), start=D(2025, 1, 1), end=D(2025, 12, 31), today=TODAY
    )
    assert sorted(health.findings, key=lambda f: f.key) == sorted(engine, key=lambda f: f.key)
    assert health.coded == []  # coded rules speak about today: only for the current year


@pytest.mark.parametrize(
    ("value", "label"),
    [
        ("2026", "2026"),
        ("2026-03", "2026-03"),
        ("2026-Q2", "2026-Q2"),
        ("2026-H2", "2026-H2"),
        ("2026-13", None),
        ("x", None),
        ("", None),
    ],
)
def test_parse_period(value, label):
    period = parse_period(value)
    assert (period.label if period else None) == label
