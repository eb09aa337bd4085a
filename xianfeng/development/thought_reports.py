"""Written thought reports (思想汇报): who hands them in, how often, and when the next one is due.

National rules do not fix a frequency; quarterly is the common local rule (RULES.md MISC-05, L), so
the interval is the setting XIANFENG_DEV_THOUGHT_REPORT_MONTHS (3; 0 turns the reminder off).
Activists, candidates and probationary members hand them in. The first is due one interval after the
person became an activist (probationary members: after acceptance, so a report handed in as a
candidate does not count for probation); each later one, one interval after the previous report.
Like the talk and review findings, a report is expected only from people whose development the branch
keeps in the system (at least one step or report recorded): someone imported with old key dates is not
shown years of reports nobody recorded.
The reminder is shown on the board and the person's page; it is a local rule, not a compliance
finding.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xianfeng.development.progress import NextStep
from xianfeng.development.steps import Stage, Step
from xianfeng.people.choices import PoliticalStatus

RULE = "MISC-05"
REPORT_STATUSES = (PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE, PoliticalStatus.PROBATIONARY)
# Not one of the 25 steps of the chart: a repeated duty shown alongside them.
REPORT_STEP = Step(
    "thought_report", 0, Stage.ACTIVIST, gettext_lazy("Written thought report"), repeatable=True, rule=RULE
)


def report_every_months() -> int:
    return int(getattr(settings, "XIANFENG_DEV_THOUGHT_REPORT_MONTHS", 3))


def period_start(membership: Any) -> dt.date | None:
    """Since when reports are expected in the person's current status."""
    if membership.status == PoliticalStatus.PROBATIONARY:
        return membership.admission_date
    if membership.status in REPORT_STATUSES:
        return membership.activist_date
    return None


def next_report(membership: Any, last_received: dt.date | None, *, kept: bool) -> NextStep | None:
    """The next report's deadline, or None when none is expected (setting off, other status, no
    start date, development not kept here: `kept` is whether any step is recorded)."""
    months = report_every_months()
    start = period_start(membership)
    if months <= 0 or start is None or not (kept or last_received):
        return None
    anchor = max(last_received, start) if last_received else start
    return NextStep(REPORT_STEP, due=anchor + relativedelta(months=months), rule=RULE)


def with_report(steps: list[NextStep], report: NextStep | None) -> list[NextStep]:
    """The open steps with the report reminder among them, most urgent first (as progress sorts)."""
    if report is None:
        return steps
    return sorted([*steps, report], key=lambda n: (n.due is None, n.due or dt.date.max, n.step.number))


def report_errors(membership: Any, received_on: dt.date, today: dt.date) -> dict[str, str]:
    """Why a report cannot be recorded for this person on this date (empty: it can)."""
    if membership.status not in REPORT_STATUSES:
        return {
            "received_on": _(
                "Thought reports are recorded for activists, candidates and probationary members (%(rule)s)."
            )
            % {"rule": RULE}
        }
    if received_on > today:
        return {"received_on": _("The date cannot be in the future.")}
    earliest = membership.application_date or membership.activist_date
    if earliest and received_on < earliest:
        return {
            "received_on": _("The date is before the written application (%(day)s).")
            % {"day": earliest.isoformat()}
        }
    return {}


def last_received(reports: Sequence[Any]) -> dt.date | None:
    valid = [r.received_on for r in reports if not r.voided]
    return max(valid) if valid else None
