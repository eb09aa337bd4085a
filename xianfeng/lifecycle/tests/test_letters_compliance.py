"""Overdue transfer letters reach the compliance engine as a coded rule (MEM-03) for the sending org."""

from __future__ import annotations

import datetime as dt

import pytest

from xianfeng.compliance.engine import Status
from xianfeng.compliance.rules import coded_findings
from xianfeng.lifecycle.tests.helpers import issue

pytestmark = pytest.mark.django_db


def letter_findings(world, today):
    return [
        f
        for f in coded_findings(scope=world.committee, today=today)
        if f.rule == "rule/transfer_letter_overdue"
    ]


def test_a_letter_is_overdue_from_the_day_after_its_validity(world):
    letter = issue(world.member_a, issue_date=dt.date(2026, 1, 5), valid_days=30)
    assert letter_findings(world, letter.valid_until) == []
    (finding,) = letter_findings(world, letter.valid_until + dt.timedelta(days=1))
    assert finding.status == Status.OVERDUE and finding.org_id == world.branch_a.pk
    assert finding.rule_ref == "MEM-03" and letter.number in finding.detail
    assert finding.person_name == world.member_a.person.name


def test_a_received_letter_is_not_overdue(world):
    from xianfeng.lifecycle import services

    letter = issue(world.member_a, issue_date=dt.date(2026, 1, 5), valid_days=30)
    services.letter_receive(actor=None, letter=letter, received_date=dt.date(2026, 1, 20))
    assert letter_findings(world, dt.date(2026, 3, 1)) == []
