"""Schemes, entries, grid cells, imports and period close, as the services enforce them: every refusal
names the field and the rule, and leaves nothing behind."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.core.models import AuditEvent
from xianfeng.scoring import catalogue, closing, hooks, services
from xianfeng.scoring.choices import EntryStatus, PeriodState
from xianfeng.scoring.models import Entry, Period, Result, Scheme
from xianfeng.scoring.tests.helpers import YEAR, branch_scheme, department_head, dim, member_scheme

pytestmark = pytest.mark.django_db


def written():
    return (
        Scheme.objects.count(),
        Entry.objects.count(),
        Result.objects.count(),
        AuditEvent.objects.filter(action__startswith="scoring.").count(),
    )


def q1(scheme):
    return scheme.periods.order_by("start").first()


class TestTemplates:
    @pytest.mark.parametrize("code", [t["code"] for t in catalogue.templates()])
    def test_every_shipped_template_makes_a_valid_scheme(self, world, code):
        scheme = services.scheme_create(actor=world.boss, org=world.committee, year=YEAR, template=code)
        assert scheme.dimensions.exists()
        assert scheme.periods.count() in (1, 4, 12)

    def test_the_seed_004_outcome_rules_ship_with_the_branch_assessment(self, world):
        scheme = branch_scheme(world)
        assert [r["kind"] for r in scheme.outcome_rules] == ["top", "bottom"]
        assert "不得评为" in scheme.outcome_rules[1]["consequence"]

    def test_quarters_are_the_periods_of_the_six_dimension_assessment(self, world):
        labels = list(branch_scheme(world).periods.values_list("label", flat=True))
        assert labels == [f"{YEAR}年第{q}季度" for q in range(1, 5)]

    def test_creating_a_scheme_needs_change_on_the_org(self, world):
        with pytest.raises(PermissionDenied):
            services.scheme_create(
                actor=world.bob, org=world.branch_a, year=YEAR, template="member_points_3_2"
            )


class TestSchemeValidation:
    def test_weights_that_do_not_add_up_are_refused_and_nothing_is_written(self, world):
        template = catalogue.template("candidate_portrait")
        assert template is not None
        template["dimensions"][0]["weight"] = "0.5"
        before = written()
        with pytest.raises(ValidationError) as err:
            services.scheme_create(actor=world.boss, org=world.committee, year=YEAR, data=template)
        assert "add up to 1" in err.value.message_dict["dimensions"][0]
        assert written() == before

    def test_a_dimension_without_a_maximum_is_refused(self, world):
        scheme = branch_scheme(world)
        dims = [{"code": "party", "name": "党建", "kind": "scored", "maximum": "0"}]
        with pytest.raises(ValidationError) as err:
            services.scheme_update(actor=world.boss, scheme=scheme, fields={}, dimensions=dims)
        assert "maximum" in err.value.message_dict["dimensions"][0]

    def test_a_dimension_with_entries_cannot_be_removed(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        services.cell_save(
            actor=head,
            period=q1(scheme),
            dimension=dim(scheme, "party"),
            subject=world.branch_a,
            points=30,
            version=0,
        )
        dims = [{"code": "union", "name": "工会", "kind": "scored", "maximum": "10"}]
        with pytest.raises(ValidationError):
            services.scheme_update(actor=world.boss, scheme=scheme, fields={}, dimensions=dims)
        assert scheme.dimensions.count() == 7

    def test_an_update_keeps_dimensions_by_code_and_is_audited(self, world):
        scheme = branch_scheme(world)
        services.scheme_update(
            actor=world.boss, scheme=scheme, fields={"name": "六维考核（修订）", "visibility": "own"}
        )
        scheme.refresh_from_db()
        assert scheme.name == "六维考核（修订）" and scheme.dimensions.count() == 7
        assert AuditEvent.objects.filter(action="scoring.scheme_update").count() == 1


class TestGridCells:
    def test_the_departments_evaluator_saves_a_score(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        entry = services.cell_save(
            actor=head,
            period=q1(scheme),
            dimension=dim(scheme, "party"),
            subject=world.branch_a,
            points="31.5",
            version=0,
        )
        assert entry.points == Decimal("31.5") and entry.version == 1 and entry.status == EntryStatus.APPROVED
        again = services.cell_save(
            actor=head,
            period=q1(scheme),
            dimension=dim(scheme, "party"),
            subject=world.branch_a,
            points="33",
            version=1,
        )
        assert again.pk == entry.pk and again.version == 2
        assert AuditEvent.objects.filter(action="scoring.cell_save").count() == 2

    def test_a_score_above_the_maximum_is_refused(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        before = written()
        with pytest.raises(ValidationError) as err:
            services.cell_save(
                actor=head,
                period=q1(scheme),
                dimension=dim(scheme, "party"),
                subject=world.branch_a,
                points=36,
                version=0,
            )
        assert "0 to 35" in err.value.message_dict["points"][0]
        assert written() == before

    def test_an_evaluator_cannot_score_another_departments_dimension(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        with pytest.raises(PermissionDenied):
            services.cell_save(
                actor=head,
                period=q1(scheme),
                dimension=dim(scheme, "discipline"),
                subject=world.branch_a,
                points=10,
                version=0,
            )

    def test_a_committee_administrator_is_not_a_department(self, world):
        scheme = branch_scheme(world)
        with pytest.raises(PermissionDenied):
            services.cell_save(
                actor=world.boss,
                period=q1(scheme),
                dimension=dim(scheme, "party"),
                subject=world.branch_a,
                points=10,
                version=0,
            )

    def test_a_stale_version_is_a_conflict_with_the_current_value(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        other = department_head(world, "ph2", "党建部")
        period, party = q1(scheme), dim(scheme, "party")
        services.cell_save(
            actor=head, period=period, dimension=party, subject=world.branch_a, points=30, version=0
        )
        with pytest.raises(services.Conflict) as err:
            services.cell_save(
                actor=other, period=period, dimension=party, subject=world.branch_a, points=20, version=0
            )
        assert err.value.current is not None and err.value.current.points == 30
        assert Entry.objects.get(source="grid").points == 30

    def test_a_locked_period_refuses_scores(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        period = q1(scheme)
        closing.period_compute(actor=world.boss, period=period)
        closing.period_lock(actor=world.boss, period=period)
        before = written()
        with pytest.raises(ValidationError) as err:
            services.cell_save(
                actor=head,
                period=period,
                dimension=dim(scheme, "party"),
                subject=world.branch_a,
                points=30,
                version=0,
            )
        assert "locked" in err.value.message_dict["period"][0]
        assert written() == before

    def test_a_party_group_is_not_a_subject_of_the_branch_assessment(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        with pytest.raises(ValidationError) as err:
            services.cell_save(
                actor=head,
                period=q1(scheme),
                dimension=dim(scheme, "party"),
                subject=world.group_a1,
                points=3,
                version=0,
            )
        assert "subject" in err.value.message_dict


class TestImport:
    def test_unknown_branches_refuse_the_whole_file(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        before = written()
        rows = [(2, world.branch_a.name, 30), (3, "不存在的支部", 20)]
        with pytest.raises(ValidationError) as err:
            services.scores_import(actor=head, period=q1(scheme), dimension=dim(scheme, "party"), rows=rows)
        text = " ".join(err.value.messages)
        assert (
            "Row 3" in text
            and "organization" in text
            and "不存在的支部" in text
            and "Nothing was imported" in text
        )
        assert written() == before

    def test_a_bad_score_names_its_row_and_column(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        with pytest.raises(ValidationError) as err:
            services.scores_import(
                actor=head,
                period=q1(scheme),
                dimension=dim(scheme, "party"),
                rows=[(2, world.branch_a.name, 99)],
            )
        assert "Row 2, column “score”" in " ".join(err.value.messages)
        assert not Entry.objects.exists()

    def test_good_rows_are_all_written(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        rows = [(2, world.branch_a.name, 30), (3, world.branch_b.code, 28)]
        assert (
            services.scores_import(actor=head, period=q1(scheme), dimension=dim(scheme, "party"), rows=rows)
            == 2
        )
        assert sorted(Entry.objects.values_list("points", flat=True)) == [28, 30]


class TestManualEntriesMakerChecker:
    def _entry(self, world, scheme, actor=None, code="volunteer", points="2"):
        item = scheme.dimensions.get(code="exemplary").items.get(code=code)
        return services.entry_create(
            actor=actor or world.alice,
            period=q1(scheme),
            dimension=item.dimension,
            item=item,
            subject=world.member_a,
            points=points,
            note="参加志愿服务",
        )

    def test_an_entry_waits_for_approval_and_counts_only_then(self, world):
        scheme = member_scheme(world)
        entry = self._entry(world, scheme)
        assert entry.status == EntryStatus.PENDING
        closing.period_compute(actor=world.boss, period=q1(scheme))
        assert Result.objects.get(membership=world.member_a).dimensions["exemplary"] == "0.00"
        services.entry_approve(actor=world.boss, entry=entry)
        closing.period_compute(actor=world.boss, period=q1(scheme))
        assert Result.objects.get(membership=world.member_a).dimensions["exemplary"] == "2.00"

    def test_nobody_approves_their_own_entry(self, world):
        scheme = member_scheme(world)
        entry = self._entry(world, scheme)
        with pytest.raises(PermissionDenied):
            services.entry_approve(actor=world.alice, entry=entry)
        entry.refresh_from_db()
        assert entry.status == EntryStatus.PENDING

    def test_a_read_only_user_neither_enters_nor_approves(self, world):
        scheme = member_scheme(world)
        with pytest.raises(PermissionDenied):
            self._entry(world, scheme, actor=world.bob)
        entry = self._entry(world, scheme)
        with pytest.raises(PermissionDenied):
            services.entry_approve(actor=world.bob, entry=entry)

    def test_an_outsider_cannot_enter_points_for_another_branch(self, world):
        with pytest.raises(PermissionDenied):
            self._entry(world, member_scheme(world), actor=world.charlie)

    def test_points_outside_the_items_range_are_refused(self, world):
        with pytest.raises(ValidationError) as err:
            self._entry(world, member_scheme(world), points="4")
        assert "between 1" in err.value.message_dict["points"][0]

    def test_an_award_once_item_is_refused_the_second_time(self, world):
        scheme = member_scheme(world)
        self._entry(world, scheme, code="model", points="5")
        with pytest.raises(ValidationError) as err:
            self._entry(world, scheme, code="model", points="5")
        assert "once" in err.value.message_dict["item"][0]

    def test_a_rejection_needs_a_reason(self, world):
        entry = self._entry(world, member_scheme(world))
        with pytest.raises(ValidationError):
            services.entry_reject(actor=world.boss, entry=entry, reason=" ")
        services.entry_reject(actor=world.boss, entry=entry, reason="证据不足")
        entry.refresh_from_db()
        assert entry.status == EntryStatus.REJECTED and "证据不足" in entry.note

    def test_a_veto_entry_sets_the_veto_grade(self, world):
        scheme = member_scheme(world)
        item = scheme.dimensions.get(code="veto").items.get()
        entry = services.entry_create(
            actor=world.alice,
            period=q1(scheme),
            dimension=item.dimension,
            item=item,
            subject=world.member_a,
            points=None,
            note="受到党内警告处分",
        )
        services.entry_approve(actor=world.boss, entry=entry)
        closing.period_compute(actor=world.boss, period=q1(scheme))
        result = Result.objects.get(membership=world.member_a)
        assert result.vetoed and result.total == 0 and result.grade == "不合格"


class TestPeriodClose:
    def _scored(self, world):
        scheme = branch_scheme(world)
        head = department_head(world, "ph", "党建部")
        period = q1(scheme)
        for org, points in ((world.branch_a, 30), (world.branch_b, 30)):
            services.cell_save(
                actor=head,
                period=period,
                dimension=dim(scheme, "party"),
                subject=org,
                points=points,
                version=0,
            )
        return scheme, period

    def test_compute_ranks_ties_together_and_applies_the_outcome_rules(self, world):
        _scheme, period = self._scored(world)
        assert closing.period_compute(actor=world.boss, period=period) == 2
        results = list(Result.objects.filter(period=period).order_by("subject_name"))
        assert [r.rank for r in results] == [1, 1]
        # two branches are both in the top 3: commended, and so not also talked to
        assert all([o["label"] for o in r.outcomes] == ["前三名表彰"] for r in results)

    def test_lock_reopen_publish_each_audited(self, world):
        _scheme, period = self._scored(world)
        closing.period_compute(actor=world.boss, period=period)
        closing.period_lock(actor=world.boss, period=period)
        with pytest.raises(ValidationError):
            closing.period_compute(actor=world.boss, period=period)
        with pytest.raises(ValidationError):
            closing.period_reopen(actor=world.boss, period=period, reason="")
        closing.period_reopen(actor=world.boss, period=period, reason="党建部更正第一季度得分")
        closing.period_lock(actor=world.boss, period=period)
        closing.period_publish(actor=world.boss, period=period)
        period.refresh_from_db()
        assert period.state == PeriodState.PUBLISHED and period.published_at is not None
        actions = list(
            AuditEvent.objects.filter(target_type="scoring.period")
            .order_by("id")
            .values_list("action", flat=True)
        )
        assert actions == [
            "scoring.period_compute",
            "scoring.period_lock",
            "scoring.period_reopen",
            "scoring.period_lock",
            "scoring.period_publish",
        ]

    def test_pending_entries_block_the_lock(self, world):
        scheme = member_scheme(world)
        item = scheme.dimensions.get(code="exemplary").items.get(code="volunteer")
        services.entry_create(
            actor=world.alice,
            period=q1(scheme),
            dimension=item.dimension,
            item=item,
            subject=world.member_a,
            points=1,
            note="x",
        )
        closing.period_compute(actor=world.boss, period=q1(scheme))
        with pytest.raises(ValidationError) as err:
            closing.period_lock(actor=world.boss, period=q1(scheme))
        assert "await approval" in err.value.message_dict["period"][0]

    def test_only_the_schemes_managers_close_a_period(self, world):
        _scheme, period = self._scored(world)
        with pytest.raises(PermissionDenied):
            closing.period_compute(actor=world.alice, period=period)

    def test_a_sanction_in_force_blocks_the_excellent_grade(self, world):
        scheme = member_scheme(world)
        period = q1(scheme)
        services.scheme_update(actor=world.boss, scheme=scheme, fields={"base_points": "95"})

        def check(ids, on):
            assert on == dt.date(YEAR, 12, 31)
            return [world.member_a.pk]

        hooks.register_sanction_check(check)
        try:
            closing.period_compute(actor=world.boss, period=period)
        finally:
            hooks.unregister_sanction_check(check)
        grades = dict(Result.objects.filter(period=period).values_list("membership_id", "grade"))
        assert grades[world.member_a.pk] == "合格"
        assert grades[world.dang_membership.pk] == "优秀"
        assert Result.objects.get(membership=world.member_a).excellent_blocked

    def test_carry_over_takes_last_years_closed_total(self, world):
        template = catalogue.template("member_points_3_2")
        assert template is not None
        last = services.scheme_create(
            actor=world.boss, org=world.committee, year=YEAR - 1, template="member_points_3_2"
        )
        closing.period_compute(actor=world.boss, period=q1(last))
        closing.period_lock(actor=world.boss, period=q1(last))
        this = services.scheme_create(
            actor=world.boss,
            org=world.committee,
            year=YEAR,
            template="member_points_3_2",
            data={"carry_over": True},
        )
        closing.period_compute(actor=world.boss, period=q1(this))
        result = Result.objects.get(period=q1(this), membership=world.member_a)
        assert result.carried_in == 60 and result.total == 120


def test_only_open_periods_are_created_for_the_year(world):
    scheme = member_scheme(world)
    assert list(Period.objects.filter(scheme=scheme).values_list("start", "end")) == [
        (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    ]
