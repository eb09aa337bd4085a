"""Calendar periods for obligations: month, quarter, half-year, year (RULES.md §10.1).

A period is a half-open date range [start, end). Month arithmetic clamps to the end of the month
(31 Jan + 1 month = 28/29 Feb), which is how "一个月内" and "一年" are read in the rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half-year")
    YEAR = "year", _("Year")


MONTHS_IN: dict[str, int] = {
    PeriodKind.MONTH: 1,
    PeriodKind.QUARTER: 3,
    PeriodKind.HALF_YEAR: 6,
    PeriodKind.YEAR: 12,
}


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date  # exclusive
    kind: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day < self.end

    @property
    def last_day(self) -> dt.date:
        return self.end - dt.timedelta(days=1)

    @property
    def label(self) -> str:
        """Stable short label: 2026-03, 2026-Q1, 2026-H1, 2026."""
        year, month = self.start.year, self.start.month
        if self.kind == PeriodKind.MONTH:
            return f"{year}-{month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{year}-Q{(month - 1) // 3 + 1}"
        if self.kind == PeriodKind.HALF_YEAR:
            return f"{year}-H{(month - 1) // 6 + 1}"
        return str(year)

    def next(self) -> Period:
        return period_containing(self.end, self.kind)


def period_containing(day: dt.date, kind: str) -> Period:
    """The period of `kind` that contains `day`."""
    try:
        months = MONTHS_IN[kind]
    except KeyError:
        raise ValueError(f"unknown period kind: {kind!r}") from None
    first_month = (day.month - 1) // months * months + 1
    start = dt.date(day.year, first_month, 1)
    return Period(start=start, end=start + relativedelta(months=months), kind=kind)


def periods_between(first: dt.date, last: dt.date, kind: str) -> Iterator[Period]:
    """Every period of `kind` that overlaps [first, last] (both inclusive), in order."""
    if last < first:
        return
    period = period_containing(first, kind)
    while period.start <= last:
        yield period
        period = period.next()


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months later, clamped to the month's end (31 Jan + 1 = 28/29 Feb)."""
    return day + relativedelta(months=months)
