import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xianfeng.compliance.periods import PeriodKind, add_months, period_containing, periods_between

D = dt.date


class TestPeriodContaining:
    @pytest.mark.parametrize(
        ("day", "kind", "start", "end", "label"),
        [
            (D(2026, 1, 31), PeriodKind.MONTH, D(2026, 1, 1), D(2026, 2, 1), "2026-01"),
            (D(2026, 12, 31), PeriodKind.MONTH, D(2026, 12, 1), D(2027, 1, 1), "2026-12"),
            (D(2024, 2, 29), PeriodKind.MONTH, D(2024, 2, 1), D(2024, 3, 1), "2024-02"),
            (D(2026, 3, 31), PeriodKind.QUARTER, D(2026, 1, 1), D(2026, 4, 1), "2026-Q1"),
            (D(2026, 4, 1), PeriodKind.QUARTER, D(2026, 4, 1), D(2026, 7, 1), "2026-Q2"),
            (D(2026, 12, 31), PeriodKind.QUARTER, D(2026, 10, 1), D(2027, 1, 1), "2026-Q4"),
            (D(2026, 6, 30), PeriodKind.HALF_YEAR, D(2026, 1, 1), D(2026, 7, 1), "2026-H1"),
            (D(2026, 7, 1), PeriodKind.HALF_YEAR, D(2026, 7, 1), D(2027, 1, 1), "2026-H2"),
            (D(2026, 1, 1), PeriodKind.YEAR, D(2026, 1, 1), D(2027, 1, 1), "2026"),
        ],
    )
    def test_it_finds_the_period_at_its_edges(self, day, kind, start, end, label):
        period = period_containing(day, kind)
        assert (period.start, period.end, period.label) == (start, end, label)
        assert (
            day in period and period.end not in period and period.start - dt.timedelta(days=1) not in period
        )

    def test_an_unknown_kind_is_refused(self):
        with pytest.raises(ValueError, match="fortnight"):
            period_containing(D(2026, 1, 1), "fortnight")


class TestAddMonths:
    @pytest.mark.parametrize(
        ("day", "months", "expected"),
        [
            (D(2026, 1, 31), 1, D(2026, 2, 28)),
            (D(2024, 1, 31), 1, D(2024, 2, 29)),
            (D(2026, 3, 31), 1, D(2026, 4, 30)),
            (D(2024, 2, 29), 12, D(2025, 2, 28)),
            (D(2026, 8, 31), 6, D(2027, 2, 28)),
        ],
    )
    def test_it_clamps_to_the_end_of_the_month(self, day, months, expected):
        assert add_months(day, months) == expected


class TestPeriodsBetween:
    def test_a_year_has_twelve_months_and_four_quarters(self):
        assert len(list(periods_between(D(2026, 1, 1), D(2026, 12, 31), PeriodKind.MONTH))) == 12
        assert [p.label for p in periods_between(D(2026, 2, 10), D(2026, 11, 1), PeriodKind.QUARTER)] == [
            "2026-Q1",
            "2026-Q2",
            "2026-Q3",
            "2026-Q4",
        ]

    def test_an_empty_range_has_no_periods(self):
        assert list(periods_between(D(2026, 5, 1), D(2026, 4, 30), PeriodKind.MONTH)) == []


@given(
    day=st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)), kind=st.sampled_from(list(PeriodKind))
)
def test_periods_tile_the_calendar(day, kind):
    """Every day is in exactly one period, and consecutive periods touch without gaps."""
    period = period_containing(day, kind)
    assert day in period
    assert period.next().start == period.end
    assert period_containing(period.last_day, kind) == period
    assert period_containing(period.end, kind) != period
