"""Hand-counted records for the facts (year 2025, the shared world's tree).

committee:  党委会 2025-03-10 (items: 第一议题; 三重一大 decision + 前置研究; plain), 2025-09-15 (one plain
            item); 党委会 2024-12-20 (another year); 党委会 planned 2025-06-01, never recorded (stale)
branch A:   主题党日 2025-04-08 with people served 30 and problems solved 4; 主题党日 2025-05-08 without
            metrics (missing); 主题党日 2025-07-08 cancelled
branch B:   支部党员大会 2025-06-20
members:    张三 (A), 李四 (B), 王党员 (A): full since 2011; 新党员 (A) admitted 2025-03-01 (probationary);
            离开者 (B) full, left 2025-08-01
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from xianfeng.activities.models import Activity, ActivityKind
from xianfeng.activities.services import (
    activity_cancel,
    activity_plan,
    activity_record_held,
    agenda_item_add,
)
from xianfeng.people.choices import LeaveReason, PoliticalStatus
from xianfeng.people.models import Membership
from xianfeng.testing import make_member

YEAR = 2025
TODAY = dt.date(2026, 1, 20)


def at(day: dt.date, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def plan(org: Any, code: str, day: dt.date, title: str = "") -> Activity:
    kind = ActivityKind.objects.get(code=code)
    return activity_plan(actor=None, org=org, kind=kind, planned_start=at(day), title=title)


def held(
    org: Any, code: str, day: dt.date, title: str = "", metrics: dict[str, Any] | None = None
) -> Activity:
    return activity_record_held(
        actor=None, activity=plan(org, code, day, title), held_start=at(day), metrics=metrics
    )


@dataclass
class Records:
    world: Any
    pcm_march: Activity
    pcm_sept: Activity
    pcm_2024: Activity
    pcm_stale: Activity
    theme_april: Activity
    theme_may: Activity
    theme_cancelled: Activity
    general_b: Activity
    items_march: list[Any]
    item_sept: Any
    newcomer: Membership
    leaver: Membership


@pytest.fixture
def records(world: Any) -> Records:
    w = world
    pcm_march = held(w.committee, "party_committee_meeting", dt.date(YEAR, 3, 10), "党委会（3月）")
    items = [
        agenda_item_add(
            actor=None, activity=pcm_march, topic="学习习近平总书记重要讲话精神", first_item=True
        ),
        agenda_item_add(
            actor=None, activity=pcm_march, topic="年度投资计划", major_matter="decision", prior_study=True
        ),
        agenda_item_add(actor=None, activity=pcm_march, topic="党建工作要点"),
    ]
    pcm_sept = held(w.committee, "party_committee_meeting", dt.date(YEAR, 9, 15), "党委会（9月）")
    item_sept = agenda_item_add(actor=None, activity=pcm_sept, topic="安全生产工作汇报")
    pcm_2024 = held(w.committee, "party_committee_meeting", dt.date(YEAR - 1, 12, 20), "党委会（上年）")
    agenda_item_add(actor=None, activity=pcm_2024, topic="上年议题", first_item=True)
    pcm_stale = plan(w.committee, "party_committee_meeting", dt.date(YEAR, 6, 1), "党委会（未登记）")
    theme_april = held(
        w.branch_a,
        "theme_day",
        dt.date(YEAR, 4, 8),
        "主题党日（4月）",
        {"people_served": 30, "problems_solved": 4},
    )
    theme_may = held(w.branch_a, "theme_day", dt.date(YEAR, 5, 8), "主题党日（5月）")
    theme_cancelled = activity_cancel(
        actor=None,
        activity=plan(w.branch_a, "theme_day", dt.date(YEAR, 7, 8), "主题党日（取消）"),
        reason="防汛",
    )
    general_b = held(w.branch_b, "general_meeting", dt.date(YEAR, 6, 20), "支部党员大会")
    newcomer = make_member(
        w.branch_a, name="新党员", status=PoliticalStatus.PROBATIONARY, admission_date=dt.date(YEAR, 3, 1)
    )
    leaver = make_member(w.branch_b, name="离开者")
    Membership.objects.filter(pk=leaver.pk).update(
        left_date=dt.date(YEAR, 8, 1), left_reason=LeaveReason.TRANSFER_OUT
    )
    leaver.refresh_from_db()
    return Records(
        world=w,
        pcm_march=pcm_march,
        pcm_sept=pcm_sept,
        pcm_2024=pcm_2024,
        pcm_stale=pcm_stale,
        theme_april=theme_april,
        theme_may=theme_may,
        theme_cancelled=theme_cancelled,
        general_b=general_b,
        items_march=items,
        item_sept=item_sept,
        newcomer=newcomer,
        leaver=leaver,
    )
