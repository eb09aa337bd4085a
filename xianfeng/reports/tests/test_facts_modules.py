"""Facts read from the supervision and scoring modules (read-only use of their models), hand-counted.

The rows are created directly: the facts only read them, and the tests must not depend on those
modules' write rules (they are being built alongside)."""

from __future__ import annotations

import datetime as dt

import pytest

from xianfeng.reports import facts
from xianfeng.reports.facts import OK, Period
from xianfeng.reports.tests.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db
supervision = pytest.importorskip("xianfeng.supervision.models")


@pytest.fixture
def tasks(records):
    w = records.world
    task_list = supervision.TaskList.objects.create(
        org=w.committee, year=YEAR, title="2025年重点任务", issued_on=dt.date(YEAR, 2, 1)
    )
    done = supervision.TaskItem.objects.create(
        task_list=task_list,
        number=1,
        title="完成支部标准化建设",
        lead_org=w.branch_a,
        deadline=dt.date(YEAR, 6, 30),
        status="closed",
        closed_on=dt.date(YEAR, 6, 20),
    )
    late = supervision.TaskItem.objects.create(
        task_list=task_list,
        number=2,
        title="建成党员服务队",
        lead_org=w.branch_b,
        deadline=dt.date(YEAR, 9, 30),
        status="in_progress",
    )
    batch = supervision.RectificationBatch.objects.create(
        org=w.committee, source="inspection", title="巡察反馈问题", issued_on=dt.date(YEAR, 3, 1)
    )
    open_item = supervision.Rectification.objects.create(
        batch=batch,
        number=1,
        problem="支部会议记录不规范",
        category="organizational",
        responsible_org=w.branch_b,
        deadline=dt.date(YEAR, 5, 31),
    )
    closed_item = supervision.Rectification.objects.create(
        batch=batch,
        number=2,
        problem="党费收缴台账不全",
        category="organizational",
        responsible_org=w.branch_a,
        deadline=dt.date(YEAR, 5, 31),
        status="closed",
        verified_on=dt.date(YEAR, 5, 20),
    )
    return records, done, late, open_item, closed_item


def test_tasks_and_rectifications(tasks):
    records, done, late, open_item, closed_item = tasks
    fs = facts.compute(records.world.committee, Period.year(YEAR), today=TODAY)
    assert fs["supervision.tasks_opened"].ids == sorted([done.pk, late.pk])
    assert fs["supervision.tasks_closed"].ids == [done.pk]
    assert fs["supervision.tasks_overdue"].ids == [late.pk]
    assert fs["supervision.rectifications_opened"].ids == sorted([open_item.pk, closed_item.pk])
    assert fs["supervision.rectifications_closed"].ids == [closed_item.pk]
    assert fs["supervision.rectifications_overdue"].ids == [open_item.pk]
    problems = fs["supervision.problems"]
    assert problems.status == OK and len(problems.items) == 2
    assert "支部会议记录不规范" in problems.items[0]


def test_only_the_subtree(tasks):
    records, done, _late, _open, _closed_item = tasks
    fs = facts.compute(records.world.branch_a, Period.year(YEAR), today=TODAY)
    assert fs["supervision.tasks_opened"].ids == [done.pk]
    assert fs["supervision.rectifications_overdue"].value == 0
    assert fs["supervision.problems"].items == []


def test_the_summary_says_it(tasks, settings):
    from xianfeng.reports import jobs, services

    records = tasks[0]
    job = services.summary_job_create(
        actor=records.world.boss, org=records.world.committee, year=YEAR, today=TODAY
    )
    document = jobs.run(job.pk, today=TODAY).document
    text = "".join(b["source"] for b in document.blocks)
    assert "supervision.tasks_opened" in text
    from xianfeng.reports.template import plain, render

    snapshot = services.facts_of(document).facts
    rendered = "".join(plain(render(b["source"], snapshot)) for b in document.blocks)
    assert "全年部署重点任务2项，完成1项" in rendered
    assert "督办整改方面，一是输电运检党支部负责的整改事项“支部会议记录不规范”逾期未完成整改" in rendered


def test_scoring_without_results_is_missing_not_zero(records):
    pytest.importorskip("xianfeng.scoring.models")
    fs = facts.compute(records.world.committee, Period.year(YEAR), today=TODAY)
    assert fs["scoring.member_points_entries"].value == 0
    assert fs["scoring.assessed_orgs"].display() is None
