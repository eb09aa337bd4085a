import pytest
from hypothesis import given
from hypothesis import strategies as st

from xianfeng.activities import quorum
from xianfeng.activities.choices import Quorum


class TestThresholdsAtTheirEdges:
    @pytest.mark.parametrize(("present", "ok"), [(4, False), (5, True), (6, True)])
    def test_branch_general_meeting_half_or_more_of_ten(self, present, ok):
        assert quorum.branch_general_meeting(present, 10) is ok

    @pytest.mark.parametrize(("present", "ok"), [(5, False), (6, True)])
    def test_admission_meeting_strictly_more_than_half_of_ten(self, present, ok):
        assert quorum.admission_meeting(present, 10) is ok

    @pytest.mark.parametrize(("present", "ok"), [(3, False), (4, True)])
    def test_odd_numbers_never_round(self, present, ok):
        assert quorum.branch_general_meeting(present, 7) is ok  # 3.5 needed
        assert quorum.admission_meeting(present, 7) is ok

    @pytest.mark.parametrize(("present", "ok"), [(8, False), (9, True), (10, True)])
    def test_election_more_than_four_fifths_of_ten(self, present, ok):
        assert quorum.election(present, 10) is ok

    @pytest.mark.parametrize(("present", "ok"), [(5, False), (6, True)])
    def test_leadership_life_meeting_two_thirds_of_nine(self, present, ok):
        assert quorum.leadership_life_meeting(present, 9) is ok

    def test_nobody_expected_is_never_a_quorum(self):
        assert not any(rule(0, 0) for rule in quorum.RULES.values())

    def test_a_kind_without_a_rule_has_no_verdict(self):
        assert quorum.quorum_met(Quorum.NONE, 3, 10) is None


@given(present=st.integers(0, 200), expected=st.integers(1, 200))
def test_strict_thresholds_imply_the_inclusive_ones(present, expected):
    if quorum.admission_meeting(present, expected):
        assert quorum.branch_general_meeting(present, expected)
    if quorum.election(present, expected):
        assert quorum.leadership_life_meeting(present, expected)


@given(present=st.integers(0, 199), expected=st.integers(1, 200))
def test_one_more_person_present_never_breaks_a_quorum(present, expected):
    for rule in quorum.RULES.values():
        if rule(present, expected):
            assert rule(present + 1, expected)
