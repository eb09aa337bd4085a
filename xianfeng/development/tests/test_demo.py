"""The demo's development records: recorded through the services, so they obey the rules, and timed so
that the board has something due in every stage."""

from __future__ import annotations

import datetime as dt

import pytest

from xianfeng.demo import DemoResult
from xianfeng.development import selectors
from xianfeng.development.demo import build_development
from xianfeng.development.models import DevelopmentStep, ThoughtReport
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 19)


@pytest.fixture
def built(world):
    for _ in range(3):
        make_member(world.branch_a, admission_date=dt.date(2010, 7, 1))
    result = DemoResult(
        root=world.committee, orgs={"chengdong": world.branch_a}, groups={}, memberships=[], accounts=[]
    )
    build_development(result, today=TODAY)
    return world


def test_three_people_are_taken_through_the_pipeline_by_the_services(built):
    people = {
        m.person.name: m for m in Membership.objects.filter(person__name__in=["韩晓东", "罗雨桐", "邓志远"])
    }
    assert {n: m.status for n, m in people.items()} == {
        "韩晓东": PoliticalStatus.APPLICANT,
        "罗雨桐": PoliticalStatus.ACTIVIST,
        "邓志远": PoliticalStatus.PROBATIONARY,
    }
    assert DevelopmentStep.objects.filter(membership=people["邓志远"]).count() == 21
    assert ThoughtReport.objects.filter(membership=people["罗雨桐"]).count() == 2


def test_the_board_shows_what_is_due_in_each_stage(built):
    board = selectors.board(built.alice, built.branch_a, TODAY)
    nxt = {p.membership.person.name: p.next for c in board.columns for p in c.people}
    assert nxt["韩晓东"][0].step.code == "talk" and nxt["韩晓东"][0].level == "soon"
    conversion = next(d for d in nxt["邓志远"] if d.step.code == "conversion_meeting")
    assert conversion.earliest == TODAY + dt.timedelta(days=50)  # probation ends in 50 days
    assert not any(d.level == "overdue" for d in nxt["罗雨桐"])  # reviewed and reporting on time
