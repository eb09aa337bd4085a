"""The "光荣在党50年" medal list (MEM-11): boundaries, who is left out, the audited .xlsx export."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import load_workbook

from xianfeng.core.models import AuditEvent
from xianfeng.lifecycle.exports import medal_export
from xianfeng.lifecycle.selectors import medal_members
from xianfeng.lifecycle.tests.helpers import TODAY, suspend
from xianfeng.people.choices import LeaveReason, PoliticalStatus
from xianfeng.people.services import member_leave
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db


def veteran(org, conversion: dt.date, **kw):
    """A full member converted on `conversion` (admitted a year before)."""
    return make_member(
        org, admission_date=conversion.replace(year=conversion.year - 1), birth_date=dt.date(1948, 3, 3), **kw
    )


@pytest.fixture
def veterans(world):
    return {
        "on": veteran(world.branch_a, dt.date(1976, 7, 1), name="老党员甲"),
        "after": veteran(world.branch_a, dt.date(1976, 7, 2), name="老党员乙"),
        "before": veteran(world.branch_b, dt.date(1970, 1, 5), name="老党员丙"),
    }


def names(org, year):
    return [m.person.name for m in medal_members(org, year)]


def test_conversion_on_1_july_1976_is_eligible_for_2026_and_2_july_is_not(world, veterans):
    assert names(world.branch_a, 2026) == ["老党员甲"]
    assert names(world.branch_a, 2027) == ["老党员甲", "老党员乙"]


def test_the_list_covers_the_subtree_oldest_conversion_first(world, veterans):
    assert names(world.committee, 2026) == ["老党员丙", "老党员甲"]
    assert names(world.branch_b, 2026) == ["老党员丙"]


def test_a_member_who_died_is_left_out(world, veterans):
    member_leave(actor=None, membership=veterans["on"], reason=LeaveReason.DEATH, date=TODAY)
    assert names(world.branch_a, 2026) == []


def test_a_suspended_member_is_left_out_until_restored(world, veterans):
    from xianfeng.lifecycle.services import suspension_restore

    suspension = suspend(veterans["on"])
    assert names(world.branch_a, 2026) == []
    suspension_restore(actor=None, suspension=suspension, restored_date=TODAY, note="恢复")
    assert names(world.branch_a, 2026) == ["老党员甲"]


def test_probationary_members_are_left_out(world):
    make_member(
        world.branch_a,
        status=PoliticalStatus.PROBATIONARY,
        admission_date=dt.date(1975, 1, 1),
        birth_date=dt.date(1948, 3, 3),
    )
    assert names(world.branch_a, 2026) == []


def test_the_export_has_no_id_numbers_and_is_audited(world, veterans):
    export = medal_export(actor=world.alice, org=world.branch_a, year=2026)
    sheet = load_workbook(io.BytesIO(export.data)).active
    rows = list(sheet.iter_rows(min_row=4, values_only=True))
    assert export.rows == 1 and rows[0][1] == "老党员甲"
    assert rows[0][6].date() == dt.date(1976, 7, 1) and rows[0][7] == 50
    text = " ".join(str(c) for row in sheet.iter_rows(values_only=True) for c in row if c is not None)
    assert veterans["on"].person.id_number not in text and "身份证" not in text
    event = AuditEvent.objects.get(action="export.medal_list")
    assert (event.actor, event.org, event.after) == (world.alice, world.branch_a, {"year": 2026, "rows": 1})


def test_the_export_needs_the_export_right(world, veterans):
    for user in (world.bob, world.charlie):
        with pytest.raises(PermissionDenied):
            medal_export(actor=user, org=world.branch_a, year=2026)
    assert not AuditEvent.objects.filter(action="export.medal_list").exists()
