"""The arithmetic of a scheme: caps, award-once, weights, veto, carry-over, ranking and outcomes,
and the properties that must hold whatever the numbers."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xianfeng.scoring import engine
from xianfeng.scoring.choices import Aggregation, DimensionKind
from xianfeng.scoring.engine import DimSpec, ItemSpec, Points

D = Decimal
BONUS = DimSpec(1, "exemplary", DimensionKind.BONUS, D(15))
SCORED = DimSpec(2, "rating", DimensionKind.SCORED, D(10))
DEDUCT = DimSpec(3, "basic", DimensionKind.DEDUCTION, D(30))
VETO = DimSpec(4, "veto", DimensionKind.VETO, D(0))
DIMS = [BONUS, SCORED, DEDUCT, VETO]
ITEMS = {10: ItemSpec(10, cap=D(6)), 11: ItemSpec(11, award_once=True), 12: ItemSpec(12, cap=D(12))}


BASE, NONE = D(60), D(0)


def total(entries, dims=DIMS, items=ITEMS, aggregation=Aggregation.SUM_CAPPED, base=BASE, carried=NONE):
    return engine.compute(1, entries, dims, items, aggregation, base, carried)


class TestSumOfCappedDimensions:
    def test_base_plus_bonus_plus_score_minus_deduction(self):
        result = total([Points(1, D(3)), Points(2, D(8), grid=True), Points(3, D(-2))])
        assert result.total == D("69.00")
        assert result.dimensions == {"exemplary": D("3.00"), "rating": D("8.00"), "basic": D("-2.00")}

    def test_an_item_cap_limits_the_item_per_period(self):
        # 0.5 per meeting, capped at 6: twenty meetings still give 6
        result = total([Points(1, D("0.5"), 10) for _ in range(20)])
        assert result.dimensions["exemplary"] == D("6.00")

    def test_a_capped_item_takes_only_the_room_left(self):
        assert total([Points(1, D(4), 10), Points(1, D(4), 10)]).dimensions["exemplary"] == D("6.00")

    def test_an_award_once_item_counts_its_first_entry_only(self):
        assert total([Points(1, D(5), 11), Points(1, D(5), 11)]).dimensions["exemplary"] == D("5.00")

    def test_a_dimension_is_capped_at_its_maximum(self):
        assert total([Points(1, D(9)), Points(1, D(9))]).dimensions["exemplary"] == D("15.00")

    def test_a_deduction_is_capped_at_its_maximum(self):
        result = total([Points(3, D(-20)), Points(3, D(-20))])
        assert result.dimensions["basic"] == D("-30.00")
        assert result.total == D("30.00")

    def test_a_deduction_item_cap_applies_to_the_absolute_value(self):
        result = total([Points(3, D(-2), 12) for _ in range(10)])
        assert result.dimensions["basic"] == D("-12.00")

    def test_two_grid_scores_of_one_dimension_are_averaged(self):
        assert total([Points(2, D(8), grid=True), Points(2, D(6), grid=True)]).dimensions["rating"] == D(
            "7.00"
        )


class TestWeightedSum:
    DIMS = [
        DimSpec(1, "workload", DimensionKind.SCORED, D(100), D("0.4")),
        DimSpec(2, "accuracy", DimensionKind.SCORED, D(100), D("0.3")),
        DimSpec(3, "timeliness", DimensionKind.SCORED, D(50), D("0.3")),
        DimSpec(4, "special", DimensionKind.BONUS, D(10)),
    ]

    def test_scores_are_normalised_to_their_maximum_and_weighted(self):
        entries = [Points(1, D(90), grid=True), Points(2, D(80), grid=True), Points(3, D(50), grid=True)]
        # 0.4×90 + 0.3×80 + 0.3×100 = 90
        assert total(entries, self.DIMS, {}, Aggregation.WEIGHTED, D(0)).total == D("90.00")

    def test_a_bonus_dimension_adds_its_capped_points(self):
        entries = [Points(1, D(100), grid=True), Points(4, D(25))]
        assert total(entries, self.DIMS, {}, Aggregation.WEIGHTED, D(0)).total == D("50.00")

    def test_the_highest_total_is_100_plus_the_bonus_maxima(self):
        assert engine.max_total(self.DIMS, Aggregation.WEIGHTED) == D(110)


class TestVetoAndCarryOver:
    def test_a_veto_entry_zeroes_the_total(self):
        result = total([Points(1, D(10)), Points(2, D(10), grid=True), Points(4, D(0))])
        assert result.vetoed and result.total == D("0.00")

    def test_carry_over_adds_the_previous_total(self):
        assert total([Points(1, D(5))], carried=D("70.5")).total == D("135.50")
        assert total([Points(1, D(5))], carried=D("70.5")).carried_in == D("70.5")

    def test_a_veto_also_cancels_what_was_carried_over_only_when_vetoed(self):
        assert total([Points(4, D(0))], carried=D(10)).total == D("10.00")


class TestRanking:
    def test_competition_ranking_shares_places_and_skips(self):
        ranks = engine.competition_ranks([(1, D(100)), (2, D(100)), (3, D(90)), (4, D(80)), (5, D(80))])
        assert ranks == {1: 1, 2: 1, 3: 3, 4: 4, 5: 4}

    def test_seed_004_top_3_and_bottom_3(self):
        totals = {i: D(100 - i) for i in range(1, 9)}
        ranks = engine.competition_ranks(list(totals.items()))
        rules = [{"kind": "top", "n": 3, "label": "表彰"}, {"kind": "bottom", "n": 3, "label": "谈话"}]
        out = engine.outcomes(ranks, rules, totals=totals)
        assert sorted(s for s, labels in out.items() if labels[0]["label"] == "表彰") == [1, 2, 3]
        assert sorted(s for s, labels in out.items() if labels[-1]["label"] == "谈话") == [6, 7, 8]

    def test_ties_at_the_edge_are_all_named(self):
        totals = {1: D(90), 2: D(80), 3: D(70), 4: D(70), 5: D(60)}
        ranks = engine.competition_ranks(list(totals.items()))
        out = engine.outcomes(ranks, [{"kind": "top", "n": 3, "label": "表彰"}], totals=totals)
        assert sorted(out) == [1, 2, 3, 4]

    def test_most_improved_is_the_largest_rise(self):
        totals = {1: D(90), 2: D(80), 3: D(85)}
        previous = {1: D(88), 2: D(60), 3: D(84)}
        ranks = engine.competition_ranks(list(totals.items()))
        out = engine.outcomes(
            ranks, [{"kind": "most_improved", "n": 1, "label": "进步之星"}], totals=totals, previous=previous
        )
        assert list(out) == [2]

    def test_grade_bands_and_the_sanction_block(self):
        bands = engine.prepare_bands(
            [
                {"label": "合格", "min": 60},
                {"label": "优秀", "min": 90, "excellent": True},
                {"label": "不合格", "min": 0},
            ]
        )
        assert engine.grade_for(D(95), bands, excellent_blocked=False) == "优秀"
        assert engine.grade_for(D(95), bands, excellent_blocked=True) == "合格"
        assert engine.grade_for(D(10), bands, excellent_blocked=False) == "不合格"
        assert engine.grade_for(D(-5), bands, excellent_blocked=False) == "不合格"  # below every minimum

    def test_nobody_is_both_commended_and_talked_to(self):
        totals = {1: D(90), 2: D(80), 3: D(70), 4: D(60)}
        ranks = engine.competition_ranks(list(totals.items()))
        rules = [{"kind": "top", "n": 3, "label": "表彰"}, {"kind": "bottom", "n": 3, "label": "谈话"}]
        out = engine.outcomes(ranks, rules, totals=totals)
        assert {s: [o["label"] for o in labels] for s, labels in out.items()} == {
            1: ["表彰"],
            2: ["表彰"],
            3: ["表彰"],
            4: ["谈话"],
        }


# --- Properties ----------------------------------------------------------------------------------

points = st.decimals(min_value=-50, max_value=50, places=1, allow_nan=False, allow_infinity=False)
entry = st.builds(
    Points,
    dimension_id=st.sampled_from([1, 2, 3]),
    points=points,
    item_id=st.sampled_from([None, 10, 11, 12]),
    grid=st.just(False),
)
grid_entry = st.builds(
    Points,
    dimension_id=st.just(2),
    points=st.decimals(min_value=0, max_value=10, places=1),
    grid=st.just(True),
)


# The machine is shared by parallel test runs: generation can be slow there, and timing is not a property.
PROPERTIES = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTIES
@given(st.lists(entry, max_size=30), st.lists(grid_entry, max_size=3))
def test_a_total_never_exceeds_the_sum_of_dimension_maxima(entries, grid):
    result = total(entries + grid, base=D(0))
    assert result.total <= engine.max_total(DIMS, Aggregation.SUM_CAPPED)


@PROPERTIES
@given(st.lists(entry, max_size=30), st.decimals(min_value=0, max_value=20, places=1))
def test_adding_a_bonus_never_lowers_a_total(entries, bonus):
    before = total(entries).total
    after = total([*entries, Points(1, bonus)]).total
    assert after >= before


@PROPERTIES
@given(st.lists(st.decimals(min_value=0, max_value=100, places=0), min_size=1, max_size=40))
def test_ranking_is_a_permutation_with_correct_ties(values):
    totals = list(enumerate(values))
    ranks = engine.competition_ranks(totals)
    assert set(ranks) == {s for s, _ in totals}
    for s, t in totals:
        higher = sum(1 for _, other in totals if other > t)
        assert ranks[s] == higher + 1  # the definition of competition ranking
