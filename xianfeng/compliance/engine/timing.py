"""Local months and deadlines: the month grid, the deadline inside a period, its reference day."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from xianfeng.compliance.models import Obligation
from xianfeng.compliance.periods import Period, PeriodKind


def local_midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_current_timezone())


def month_index(day: dt.date, first: dt.date) -> int:
    return (day.year - first.year) * 12 + day.month - first.month


def _last_of_month(year: int, month: int) -> int:
    return (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day


def deadline_in(period: Period, month: int | None, day: int | None) -> dt.date | None:
    """The obligation's deadline inside this period: a month and day of the year for yearly
    obligations, a day of the period's last month otherwise (clamped to the month's end)."""
    if month is None and day is None:
        return None
    year = period.start.year
    target_month = (month or 12) if period.kind == PeriodKind.YEAR else period.last_day.month
    last = _last_of_month(year, target_month)
    deadline = dt.date(year, target_month, min(day or last, last))
    return deadline if deadline in period else None


def reference_day(period: Period, today: dt.date) -> dt.date:
    """The day whose post holders, contact points and membership the period is judged by."""
    return max(period.start, min(period.last_day, today))


def in_force(obligation: Obligation, period: Period) -> bool:
    """An obligation applies to the periods that start while it is in force (valid_to inclusive)."""
    return obligation.valid_from <= period.start and (
        obligation.valid_to is None or period.start <= obligation.valid_to
    )
