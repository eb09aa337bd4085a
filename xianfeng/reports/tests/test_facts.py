"""The facts against hand-counted records (tests/conftest.py), with exactly the records behind each."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from xianfeng.reports import facts
from xianfeng.reports.facts import MISSING, OK, PARTIAL, UNAVAILABLE, FactError, Period
from xianfeng.reports.ids import pack, unpack
from xianfeng.reports.tests.conftest import TODAY, YEAR

pytestmark = pytest.mark.django_db


def compute(org, year=YEAR):
    return facts.compute(org, Period.year(year), today=TODAY)


class TestActivities:
    def test_committee_meetings_held_in_the_year_only(self, records):
        f = compute(records.world.committee)["activities.kind.party_committee_meeting"]
        assert f.value == 2
        assert f.ids == sorted([records.pcm_march.pk, records.pcm_sept.pk])

    def test_a_planned_meeting_left_unrecorded_is_listed_not_counted(self, records):
        f = compute(records.world.committee)["activities.kind.party_committee_meeting"]
        assert f.status == PARTIAL
        assert f.missing_ids == [records.pcm_stale.pk]
        assert "未计入" in f.missing[0]

    def test_agenda_items_of_committee_meetings(self, records):
        fs = compute(records.world.committee)
        first, decision, plain = records.items_march
        assert sorted(fs["activities.committee_agenda_items"].ids) == sorted(
            [first.pk, decision.pk, plain.pk, records.item_sept.pk]
        )
        assert fs["activities.first_agenda_items"].ids == [first.pk]  # not last year's
        assert fs["activities.major_matters"].ids == [decision.pk]
        assert fs["activities.prior_study_items"].ids == [decision.pk]

    def test_theme_days_held_cancelled_excluded_and_metrics_with_gaps(self, records):
        fs = compute(records.world.committee)
        assert fs["activities.kind.theme_day"].ids == sorted([records.theme_april.pk, records.theme_may.pk])
        served = fs["activities.metric.people_served"]
        assert (served.value, served.ids, served.missing_ids) == (
            30,
            [records.theme_april.pk],
            [records.theme_may.pk],
        )
        assert served.status == PARTIAL
        assert fs["activities.metric.problems_solved"].value == 4

    def test_subtree_only(self, records):
        fs = compute(records.world.branch_a)
        assert fs["activities.kind.party_committee_meeting"].value == 0
        assert fs["activities.kind.general_meeting"].value == 0  # branch B's
        assert fs["activities.held"].ids == sorted([records.theme_april.pk, records.theme_may.pk])

    def test_no_activities_at_all_is_missing_not_zero(self, records):
        f = compute(records.world.group_a1)["activities.kind.theme_day"]
        assert f.status == MISSING
        assert f.value is None and f.display() is None


class TestMembers:
    def test_members_by_status_at_the_end_of_the_year(self, records):
        w = records.world
        fs = compute(w.committee)
        full = sorted([w.member_a.pk, w.member_b.pk, w.dang_membership.pk])
        assert fs["members.full"].ids == full
        assert fs["members.probationary"].ids == [records.newcomer.pk]
        assert fs["members.party_members"].ids == sorted([*full, records.newcomer.pk])
        assert fs["members.left"].ids == [records.leaver.pk]

    def test_last_years_end_does_not_know_this_years_newcomer(self, records):
        fs = compute(records.world.committee, YEAR - 1)
        assert records.newcomer.pk not in fs["members.party_members"].ids
        assert records.leaver.pk in fs["members.party_members"].ids

    def test_admitted_without_steps_is_listed_as_missing(self, records):
        f = compute(records.world.committee)["development.admitted"]
        assert f.value == 0 and f.status == PARTIAL
        assert f.missing_ids == [records.newcomer.pk]


class TestOtherAreas:
    def test_dues_without_bases_are_missing(self, records):
        fs = compute(records.world.committee)
        assert fs["dues.collected"].status == MISSING
        assert fs["dues.rate"].display() is None

    def test_modules_not_installed_are_unavailable(self, records, monkeypatch):
        for area in ("scoring", "supervision", "publicity"):
            monkeypatch.setattr(f"xianfeng.reports.facts.{area}.model", lambda label: None)
        fs = compute(records.world.committee)
        for name in ("supervision.tasks_opened", "scoring.assessed_orgs", "publicity.pieces"):
            assert fs[name].status == UNAVAILABLE
            assert fs[name].missing

    def test_compliance_lists_the_missed_obligations(self, records):
        fs = compute(records.world.committee)
        assert fs["compliance.checked"].status == OK
        assert (
            fs["compliance.missed"].value == len(fs["compliance.missed"].items)
            or fs["compliance.missed"].value > 500
        )
        assert fs["compliance.met"].value + fs["compliance.missed"].value == fs["compliance.checked"].value
        assert fs["compliance.problems"].items  # the branches did not meet monthly every month


class TestPeriod:
    def test_a_reversed_period_is_refused(self, world):
        with pytest.raises(FactError):
            facts.compute(world.committee, Period(dt.date(YEAR, 5, 1), dt.date(YEAR, 4, 1)), today=TODAY)

    def test_a_period_with_no_records_has_no_records(self, world):
        assert not facts.compute(world.committee, Period.year(2001), today=TODAY).has_records

    def test_snapshot_round_trip(self, records):
        fs = compute(records.world.committee)
        again = facts.from_snapshot(fs.to_json(), records.world.committee)
        for name, f in fs.facts.items():
            g = again[name]
            assert (g.value, g.ids, g.missing_ids, g.status, g.items) == (
                f.value,
                f.ids,
                f.missing_ids,
                f.status,
                f.items,
            )


def test_ids_pack_round_trip():
    ids = [5, 1, 2, 3, 1_000_000, 7, 7]
    assert unpack(pack(ids)) == [1, 2, 3, 5, 7, 1_000_000]
    assert unpack(pack([])) == []
    assert len(pack(range(1, 1_000_001))) < 20_000


def test_declared_names_cover_the_default_template(db):
    from xianfeng.reports import template
    from xianfeng.reports.services import declared_names

    blocks = template.parse(
        template.default_text(), declared_names(), template.variables_for("某党委", 2025, "2025年", TODAY)
    )
    assert blocks[0].kind == "title"
    assert Decimal("1") == 1
