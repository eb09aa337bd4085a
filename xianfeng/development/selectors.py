"""Read side of development: the board of an org's subtree, one person's timeline, the plan against
what happened. Every query is bounded and scoped; the steps of everyone on the board come in one query.

Counting for the plan (DEV-21): a person counts as *accepted* in the year of the Party committee's
approval (step 17 passed), the act that makes them a probationary member and the one the quota
controls; a person counts as *converted* in the year of the approval of a conversion (step 24 passed
after a conversion meeting that resolved to convert, not to extend). People count at their current org.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from xianfeng.core.roles import Action
from xianfeng.development.models import DevelopmentPlan, DevelopmentStep, ThoughtReport
from xianfeng.development.progress import NextStep, next_steps
from xianfeng.development.steps import BY_CODE, Decision, Stage, Step
from xianfeng.development.thought_reports import next_report, with_report
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership

STAGE_OF_STATUS = {
    PoliticalStatus.APPLICANT: Stage.APPLICATION,
    PoliticalStatus.ACTIVIST: Stage.ACTIVIST,
    PoliticalStatus.CANDIDATE: Stage.CANDIDATE,
    PoliticalStatus.PROBATIONARY: Stage.PROBATION,
}
DEVELOPMENT_STATUSES = tuple(STAGE_OF_STATUS)
COLUMN_LABELS = {
    Stage.APPLICATION: gettext_lazy("Applicants"),
    Stage.ACTIVIST: gettext_lazy("Activists"),
    Stage.CANDIDATE: gettext_lazy("Candidates"),
    Stage.ACCEPTANCE: gettext_lazy("Being accepted"),
    Stage.PROBATION: gettext_lazy("Probationary members"),
}
MAX_BOARD = 500  # people on one board; beyond it the page asks to choose a smaller org
SOON_DAYS = 14  # a deadline this close is "due soon" (amber)


@dataclass(frozen=True)
class Deadline:
    """An open step with what the date means today: level is overdue, soon, later, wait or open."""

    step: Step
    level: str
    text: str
    due: dt.date | None = None
    earliest: dt.date | None = None
    rule: str = ""


def deadline(n: NextStep, today: dt.date) -> Deadline:
    def make(level: str, text: str) -> Deadline:
        return Deadline(n.step, level, text, n.due, n.earliest, n.rule)

    if n.step.code == "conversion_meeting" and n.too_early(today) and n.earliest:
        days = (n.earliest - today).days
        text = ngettext(
            "Probation ends in %(n)d day: schedule the conversion meeting",
            "Probation ends in %(n)d days: schedule the conversion meeting",
            days,
        ) % {"n": days}
        return make("soon" if days <= SOON_DAYS else "later", text)
    if n.overdue(today) and n.due:
        days = (today - n.due).days
        return make("overdue", ngettext("Overdue by %(n)d day", "Overdue by %(n)d days", days) % {"n": days})
    left = n.days_left(today)
    if left is not None:
        if left == 0:
            return make("soon", _("Due today"))
        text = ngettext("Due in %(n)d day", "Due in %(n)d days", left) % {"n": left}
        return make("soon" if left <= SOON_DAYS else "later", text)
    if n.too_early(today) and n.earliest:
        day = n.earliest.isoformat()
        if n.step.code == "candidate":
            return make("wait", _("May become a candidate from %(day)s") % {"day": day})
        return make("wait", _("Not before %(day)s") % {"day": day})
    return make("open", "")


@dataclass
class BoardPerson:
    membership: Membership
    stage: Stage
    next: list[Deadline]

    @property
    def overdue(self) -> bool:
        return any(d.level == "overdue" for d in self.next)


@dataclass
class Column:
    stage: Stage
    people: list[BoardPerson] = field(default_factory=list)  # those shown (after the filter)
    total: int = 0
    overdue: int = 0

    @property
    def label(self) -> str:
        """A short heading for the column; the stage's full name is `stage.label`."""
        return str(COLUMN_LABELS[self.stage])


@dataclass
class Board:
    org: Org
    columns: list[Column]
    total: int
    overdue: int
    truncated: bool


def _valid_steps() -> Prefetch:
    qs = DevelopmentStep.objects.filter(voided=False).order_by("date", "id")
    return Prefetch("development_steps", queryset=qs, to_attr="valid_steps")


def _last_report() -> Subquery:
    """The date of the person's latest valid thought report (in the same query as the board)."""
    latest = ThoughtReport.objects.valid().filter(membership=OuterRef("pk")).order_by("-received_on")
    return Subquery(latest.values("received_on")[:1])


def _stage(m: Membership, items: list[Deadline]) -> Stage:
    """Candidates whose candidate steps are all done are in the acceptance stage."""
    stage = STAGE_OF_STATUS[PoliticalStatus(m.status)]
    chart = [d.step.stage for d in items if d.step.number]  # not the thought-report reminder
    if stage == Stage.CANDIDATE and chart and min(chart) == Stage.ACCEPTANCE:
        return Stage.ACCEPTANCE
    return stage


def board(user: Any, org: Org, today: dt.date, only_overdue: bool = False) -> Board:
    """Everyone in development in `org`'s subtree whom `user` may see, by stage, with next steps."""
    rows = list(
        Membership.objects.restrict(user, Action.VIEW)
        .in_subtree(org)
        .current()
        .filter(status__in=DEVELOPMENT_STATUSES)
        .with_people("org")
        .prefetch_related(_valid_steps())
        .annotate(last_report=_last_report())
        .order_by("person__name", "pk")[: MAX_BOARD + 1]
    )
    columns = {stage: Column(stage) for stage in Stage}
    for m in rows[:MAX_BOARD]:
        valid, last = m.valid_steps, m.last_report  # type: ignore[attr-defined]
        found = with_report(next_steps(m, valid), next_report(m, last, kept=bool(valid)))
        items = [deadline(n, today) for n in found]
        person = BoardPerson(m, _stage(m, items), items)
        column = columns[person.stage]
        column.total += 1
        column.overdue += person.overdue
        if person.overdue or not only_overdue:
            column.people.append(person)
    ordered = list(columns.values())
    for column in ordered:  # overdue first, then the nearest deadline
        column.people.sort(
            key=lambda p: (not p.overdue, p.next[0].due or dt.date.max if p.next else dt.date.max)
        )
    return Board(
        org=org,
        columns=ordered,
        total=sum(c.total for c in ordered),
        overdue=sum(c.overdue for c in ordered),
        truncated=len(rows) > MAX_BOARD,
    )


@dataclass
class Entry:
    record: DevelopmentStep
    step: Step
    people: list[tuple[str, str]]  # (role label, names)


@dataclass
class StageBlock:
    stage: Stage
    entries: list[Entry]


@dataclass
class Timeline:
    stages: list[StageBlock]
    valid: list[DevelopmentStep]  # oldest first, as checks and progress read them

    @property
    def latest(self) -> DevelopmentStep | None:
        return self.valid[-1] if self.valid else None


def _named(record: DevelopmentStep) -> list[tuple[str, str]]:
    by_role: dict[str, list[str]] = {}
    for sp in record.people.all():
        by_role.setdefault(sp.get_role_display(), []).append(sp.person.name)
    return [(role, "、".join(names)) for role, names in by_role.items()]


def timeline(membership: Membership) -> Timeline:
    """The person's steps, valid and voided, stage by stage, with the people named on them."""
    records = list(
        DevelopmentStep.objects.filter(membership=membership)
        .select_related("approving_org")
        .prefetch_related("people__person", "documents")
        .order_by("date", "id")
    )
    blocks: dict[Stage, StageBlock] = {}
    for r in records:
        step = BY_CODE[r.step]
        blocks.setdefault(step.stage, StageBlock(step.stage, [])).entries.append(Entry(r, step, _named(r)))
    return Timeline([blocks[s] for s in Stage if s in blocks], [r for r in records if not r.voided])


@dataclass
class PlanRow:
    org: Org
    own: bool = False
    plan: DevelopmentPlan | None = None
    accepted: int = 0
    converted: int = 0

    @property
    def quota(self) -> int | None:
        return self.plan.quota if self.plan else None

    @property
    def percent(self) -> int | None:
        return round(self.accepted * 100 / self.quota) if self.quota else None


@dataclass
class PlanTable:
    org: Org
    year: int
    own_plan: DevelopmentPlan | None
    rows: list[PlanRow]
    accepted: int
    converted: int

    @property
    def quota_total(self) -> int:
        return sum(r.quota or 0 for r in self.rows)


def _paths(qs: Any) -> list[str]:
    """The org path of each person (one per person) among the steps of `qs`."""
    rows = qs.order_by().values_list("membership_id", "membership__org__path").distinct()
    return [path for _pk, path in rows]


def plan_vs_actual(org: Org, year: int) -> PlanTable:
    """Per child org (party groups aside): the year's quota against people accepted and converted."""
    children = list(
        org.get_children()
        .filter(status=OrgStatus.ACTIVE)
        .exclude(org_type=OrgType.PARTY_GROUP)
        .order_by("path")
    )
    plans = {p.org_id: p for p in DevelopmentPlan.objects.filter(org__in=[org, *children], year=year)}
    meeting = (
        DevelopmentStep.objects.valid()
        .filter(membership=OuterRef("membership"), step="conversion_meeting", date__lte=OuterRef("date"))
        .order_by("-date", "-id")
        .values("decision")[:1]
    )
    passed = DevelopmentStep.objects.valid().in_subtree(org).filter(decision=Decision.PASSED, date__year=year)
    accepted = _paths(passed.filter(step="approval"))
    converted = _paths(
        passed.filter(step="conversion_approval")
        .annotate(meeting_decision=Subquery(meeting))
        .filter(meeting_decision=Decision.PASSED)
    )
    rows = [PlanRow(c, plan=plans.get(c.pk)) for c in children]
    own = PlanRow(org, own=True, plan=None if rows else plans.get(org.pk))
    for paths, attr in ((accepted, "accepted"), (converted, "converted")):
        for path in paths:
            row = next((r for r in rows if path.startswith(r.org.path)), own)
            setattr(row, attr, getattr(row, attr) + 1)
    if own.accepted or own.converted or not rows:
        rows.append(own)
    return PlanTable(org, year, plans.get(org.pk), rows, len(accepted), len(converted))
