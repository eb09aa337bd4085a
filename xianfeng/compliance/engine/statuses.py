"""What a finding is and which status it has: met, due soon, overdue, missed, pending."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.compliance.periods import Period


class Status(models.TextChoices):
    MET = "met", _("Met")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")
    MISSED = "missed", _("Missed")
    PENDING = "pending", _("Pending")
    NOT_APPLICABLE = "not_applicable", _("Not applicable")


# Worst first when several findings share a cell or a list: missed > overdue > due soon > pending > met.
SEVERITY: dict[str, int] = {
    Status.NOT_APPLICABLE: 0,
    Status.MET: 1,
    Status.PENDING: 2,
    Status.DUE_SOON: 3,
    Status.OVERDUE: 4,
    Status.MISSED: 5,
}
OPEN_STATUSES = frozenset({Status.DUE_SOON, Status.OVERDUE, Status.MISSED})


@dataclass(slots=True, unsafe_hash=True)
class Finding:
    """One subject × obligation (or coded rule) × period, with what was required and what was done.

    Read-only by convention (not `frozen`: a frozen dataclass is ten times slower to build, and the
    matrix of 3,000 branches builds about 180,000 of them; see docs/decisions.md)."""

    rule: str  # "<profile>/<obligation code>" or "rule/<coded rule>"
    title: str
    status: str
    org_id: int
    org_name: str
    period_label: str  # 2026-03, 2026-Q1, 2026-H1, 2026; "" for coded rules
    period_start: dt.date | None
    period_end: dt.date | None  # last day, inclusive
    due: dt.date | None  # the deadline, or the period's last day
    required: int
    done: int
    evidence: tuple[int, ...]  # ids of the activities counted (empty unless evidence=True)
    citation: str
    rule_ref: str
    level: str
    subject: str  # SubjectKind, or "member" / "org" for coded rules
    obligation_id: int | None = None
    person_id: int | None = None
    person_name: str = ""
    person_code: str = ""
    anchor: str = ""  # what makes a coded finding unique (the term end, the vacancy start…)
    detail: str = ""

    @property
    def key(self) -> str:
        """Stable identity of this finding in this status (idempotent reminders)."""
        return f"{self.rule}|{self.org_id}|{self.person_id or ''}|{self.period_label or self.anchor}|{self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def severity(self) -> int:
        return SEVERITY[self.status]

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label)


def open_status(period: Period, due: dt.date, due_soon_days: int, today: dt.date) -> str:
    """The status of a finding that is not (yet) met."""
    if today > period.last_day:
        return Status.MISSED
    if today > due:
        return Status.OVERDUE
    if today >= period.start and today >= due - dt.timedelta(days=due_soon_days):
        return Status.DUE_SOON
    return Status.PENDING


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=SEVERITY.__getitem__, default=Status.NOT_APPLICABLE)
