"""Reads for the compliance pages and the API: health check and score, the subtree matrix, the
classification of branches, "due for me", obligations and contact points. Everything goes through the
engine (engine.findings) and the coded rules (rules.coded_findings)."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xianfeng.activities.choices import ActivityStatus
from xianfeng.activities.models import Activity
from xianfeng.compliance.engine import (
    SEVERITY,
    Engine,
    Finding,
    OrgRow,
    Scope,
    Status,
    gc_paused,
    local_midnight,
    worst,
)
from xianfeng.compliance.models import ContactPoint, Notification, Obligation, ObligationProfile, RuleLevel
from xianfeng.compliance.periods import Period, PeriodKind, period_containing
from xianfeng.compliance.rules import coded_findings
from xianfeng.core.models import RoleGrant
from xianfeng.core.roles import ROLE_ACTIONS, Action
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership, PostHolding

# Rows of the matrix and of the classification: the orgs that hold members and run organizational life.
ROW_TYPES = (OrgType.GENERAL_BRANCH, OrgType.BRANCH, OrgType.JOINT_BRANCH, OrgType.TEMPORARY_BRANCH)

# --- Periods in requests ----------------------------------------------------------------------------

_PERIOD = re.compile(r"^(\d{4})(?:-(?:(\d{2})|Q([1-4])|H([12])))?$")


def parse_period(value: str) -> Period | None:
    """'2026' → the year, '2026-03' → March, '2026-Q1', '2026-H2'; None when malformed."""
    match = _PERIOD.match((value or "").strip())
    if not match:
        return None
    year = int(match.group(1))
    if not 1900 <= year <= 2999:
        return None
    month, quarter, half = match.group(2), match.group(3), match.group(4)
    if month:
        if not 1 <= int(month) <= 12:
            return None
        return period_containing(dt.date(year, int(month), 1), PeriodKind.MONTH)
    if quarter:
        return period_containing(dt.date(year, (int(quarter) - 1) * 3 + 1, 1), PeriodKind.QUARTER)
    if half:
        return period_containing(dt.date(year, (int(half) - 1) * 6 + 1, 1), PeriodKind.HALF_YEAR)
    return period_containing(dt.date(year, 1, 1), PeriodKind.YEAR)


# --- Score and classification ---------------------------------------------------------------------

WEIGHTS: dict[str, int] = {RuleLevel.NATIONAL: 2, RuleLevel.LOCAL: 1, RuleLevel.ENTERPRISE: 1}
CODED_PENALTY = 10
DECIDED = frozenset({Status.MET, Status.MISSED, Status.OVERDUE})


def score(findings: Iterable[Finding], today: dt.date) -> int | None:
    """The health score, 0–100, or None while nothing can be judged yet (docs/decisions.md):

    100 × Σ w·[met] / Σ w over the obligation findings of periods that have started by `today`
    and are decided (met, overdue or missed; a pending or due-soon finding is not judged yet), with
    w = 2 for national rules and 1 for local practice and enterprise rules; minus 10 points for
    each overdue coded-rule finding about the org (term expired, post vacant for more than 3 months,
    fewer than 3 full members, no committee), floored at 0.
    """
    tally = [0, 0, 0]
    for f in findings:
        _tally(tally, f, today)
    return _score_of(tally)


def _tally(tally: list[int], f: Finding, today: dt.date) -> None:
    """Add one finding to [weight decided, weight met, penalty] (the terms of `score`)."""
    if f.obligation_id is None:
        if f.status == Status.OVERDUE and f.subject == "org":
            tally[2] += CODED_PENALTY
        return
    if f.status not in DECIDED or f.period_start is None or f.period_start > today:
        return
    weight = WEIGHTS.get(f.level, 1)
    tally[0] += weight
    if f.status == Status.MET:
        tally[1] += weight


def _score_of(tally: list[int]) -> int | None:
    total, achieved, penalty = tally
    if not total:
        return max(0, 100 - penalty) if penalty else None
    return max(0, round(100 * achieved / total) - penalty)


class Tier:
    ADVANCED = "advanced"
    MIDDLE = "middle"
    LAGGING = "lagging"
    UNRATED = "unrated"


TIER_LABELS = {
    Tier.ADVANCED: _("Advanced"),
    Tier.MIDDLE: _("Middle"),
    Tier.LAGGING: _("Lagging"),
    Tier.UNRATED: _("Not rated yet"),
}


def thresholds() -> tuple[int, int]:
    """(advanced from, lagging below), from settings so each enterprise sets its own (BR-20)."""
    return (
        int(getattr(settings, "XIANFENG_CLASSIFY_ADVANCED", 90)),
        int(getattr(settings, "XIANFENG_CLASSIFY_LAGGING", 60)),
    )


def classify(value: int | None) -> str:
    if value is None:
        return Tier.UNRATED
    advanced, lagging = thresholds()
    if value >= advanced:
        return Tier.ADVANCED
    if value < lagging:
        return Tier.LAGGING
    return Tier.MIDDLE


# --- Health check ---------------------------------------------------------------------------------


@dataclass
class Health:
    org: Org
    year: int
    findings: list[Finding]  # the year's obligation findings, worst first
    coded: list[Finding]  # coded-rule findings as of today (only for the current year)
    score: int | None
    tier: str
    counts: dict[str, int]
    evidence: dict[int, dict[str, Any]] = field(default_factory=dict)


def _sort_key(f: Finding) -> tuple[Any, ...]:
    return (-SEVERITY[f.status], f.due or dt.date.max, f.rule_ref, f.title, f.person_name)


def health_check(org: Org, *, year: int, today: dt.date) -> Health:
    """The org's own findings (and its party groups') for the year, its coded rules, and the score."""
    scope = Scope.org_and_groups(org)
    engine = Engine(scope=scope, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), today=today)
    found = engine.run()
    coded = coded_findings(scope=scope, today=today, orgs=engine.orgs) if year == today.year else []
    found.sort(key=_sort_key)
    coded.sort(key=_sort_key)
    value = score([*found, *coded], today)
    counts = Counter(f.status for f in found)
    return Health(
        org=org,
        year=year,
        findings=found,
        coded=coded,
        score=value,
        tier=classify(value),
        counts=dict(counts),
        evidence=activities_by_id({pk for f in found for pk in f.evidence}),
    )


def activities_by_id(ids: Iterable[int]) -> dict[int, dict[str, Any]]:
    """The activities behind findings, for evidence links, in one query."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = Activity.objects.filter(pk__in=wanted).values("pk", "code", "title", "held_start", "kind__name")
    return {row["pk"]: dict(row) for row in rows}


# --- Matrix (branches × months) -------------------------------------------------------------------

CELL_SYMBOLS: dict[str, str] = {
    Status.NOT_APPLICABLE: "–",
    Status.MET: "✓",
    Status.PENDING: "·",
    Status.DUE_SOON: "!",
    Status.OVERDUE: "✗",
    Status.MISSED: "✗",
}


@dataclass(slots=True)
class Cell:
    status: str = Status.NOT_APPLICABLE
    met: int = 0
    total: int = 0

    @property
    def severity(self) -> int:
        return SEVERITY[self.status]

    @property
    def symbol(self) -> str:
        return CELL_SYMBOLS[self.status]

    @property
    def label(self) -> str:
        return str(Status(self.status).label)


@dataclass
class MatrixRow:
    org: OrgRow
    cells: list[Cell]
    score: int | None = None

    @property
    def tier(self) -> str:
        return classify(self.score)

    @property
    def worst(self) -> str:
        return worst(cell.status for cell in self.cells)

    @property
    def worst_label(self) -> str:
        return str(Status(self.worst).label)


@dataclass
class Matrix:
    year: int
    months: list[dt.date]
    rows: list[MatrixRow]
    queries: int = 0


def row_orgs(scope: Scope) -> QuerySet[Org]:
    """The branches (and general branches) of a scope that existed at some point, by path."""
    return Org.objects.filter(scope.q, org_type__in=ROW_TYPES).order_by("path")


def matrix(*, scope: Scope, year: int, today: dt.date, with_scores: bool = True) -> Matrix:
    """Every branch of the scope × the 12 months of `year`.

    A cell holds the findings *due in that month*: monthly obligations of that month, quarterly ones
    in the quarter's last month, yearly ones in December (a cell that turned red stays red; the
    quarterly meeting held in January shows green in March). Party-group findings belong to their
    branch's row. Bounded queries: the engine's, independent of the number of branches."""
    engine = Engine(
        scope=scope, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), today=today, evidence=False
    )
    with gc_paused():
        found = engine.run()
        return _matrix_from(engine.orgs, found, year, today, with_scores)


def _matrix_from(
    orgs: dict[int, OrgRow], found: Sequence[Finding], year: int, today: dt.date, with_scores: bool
) -> Matrix:
    months = [dt.date(year, m, 1) for m in range(1, 13)]
    rows: dict[int, MatrixRow] = {}
    by_path: dict[str, int] = {}
    for org in orgs.values():
        if org.org_type in ROW_TYPES and _existed_in(org, year):
            rows[org.id] = MatrixRow(org=org, cells=[Cell() for _ in months])
            by_path[org.path] = org.id
    row_of: dict[int, int] = {}
    for org in orgs.values():
        if org.id in rows:
            row_of[org.id] = org.id
        elif org.org_type == OrgType.PARTY_GROUP:
            parent = by_path.get(org.path[: -Org.steplen])
            if parent is not None:
                row_of[org.id] = parent
    # One pass over the findings (about 180,000 for 3,000 branches): cells and score terms together.
    tallies: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0])
    cells = {row_id: row.cells for row_id, row in rows.items()}
    severity = SEVERITY
    row_get = row_of.get
    met, not_applicable, overdue = Status.MET, Status.NOT_APPLICABLE, Status.OVERDUE
    weights = WEIGHTS
    for f in found:
        row_id = row_get(f.org_id)
        if row_id is None:
            continue
        status, end = f.status, f.period_end
        if with_scores:  # _tally, inlined: this loop runs for every finding of the tree
            tally = tallies[row_id]
            if f.obligation_id is None:
                if status == overdue and f.subject == "org":
                    tally[2] += CODED_PENALTY
            elif status in DECIDED and f.period_start is not None and f.period_start <= today:
                weight = weights.get(f.level, 1)
                tally[0] += weight
                if status == met:
                    tally[1] += weight
        if end is None or end.year != year:
            continue  # coded rules count in the score, not in a month
        cell = cells[row_id][end.month - 1]
        if status != not_applicable:
            cell.total += 1
            if status == met:
                cell.met += 1
        if severity[status] > severity[cell.status]:
            cell.status = status
    if with_scores:
        for row_id, row in rows.items():
            row.score = _score_of(tallies[row_id]) if row_id in tallies else None
    return Matrix(year=year, months=months, rows=list(rows.values()))


def _existed_in(org: OrgRow, year: int) -> bool:
    return org.alive_in(period_containing(dt.date(year, 1, 1), PeriodKind.YEAR))


# --- Classification (三分类) ------------------------------------------------------------------------


@dataclass
class Classification:
    year: int
    rows: list[MatrixRow]
    counts: dict[str, int]
    thresholds: tuple[int, int]


def classification(*, scope: Scope, year: int, today: dt.date) -> Classification:
    """Branches by score, year to date, with the org-level coded rules (no per-member rule)."""
    engine = Engine(
        scope=scope, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31), today=today, evidence=False
    )
    with gc_paused():
        found = engine.run()
        if year == today.year:
            found += coded_findings(scope=scope, today=today, members=False, orgs=engine.orgs)
        result = _matrix_from(engine.orgs, found, year, today, with_scores=True)
    rows = sorted(result.rows, key=lambda r: (-(r.score if r.score is not None else -1), r.org.path))
    counts = Counter(row.tier for row in rows)
    return Classification(
        year=year,
        rows=rows,
        counts={tier: counts.get(tier, 0) for tier in TIER_LABELS},
        thresholds=thresholds(),
    )


# --- Due for me -----------------------------------------------------------------------------------


@dataclass
class DueForMe:
    week_start: dt.date
    week_end: dt.date
    org_items: list[Finding]
    personal: list[Finding]
    personal_later: list[Finding]
    meetings: list[Activity]
    responsible_orgs: list[Org]
    dues: MyDues | None = None


@dataclass
class MyDues:
    """A member's own dues as of today: unpaid ended months (this year and last) and this month's."""

    unpaid_months: list[dt.date]
    owed: Decimal
    this_month: Decimal | None  # still to pay for the current month; None when paid or not owed

    @property
    def anything(self) -> bool:
        return bool(self.unpaid_months) or self.this_month is not None


def my_dues(person: Any, today: dt.date) -> MyDues | None:
    """Six queries at most (a base, its adjustments and payments, for this year and last)."""
    from xianfeng.dues.collection import MonthStatus, member_year

    membership = Membership.objects.filter(person=person, left_date__isnull=True).first()
    if membership is None or membership.status not in PARTY_MEMBER_STATUSES:
        return None
    years = [member_year(membership, y, today) for y in (today.year - 1, today.year)]
    months = [m for year in years for m in year.months]
    unpaid = [m for m in months if m.status == MonthStatus.UNPAID]
    current = next(m for m in months if m.month == today.replace(day=1))
    return MyDues(
        unpaid_months=[m.month for m in unpaid],
        owed=sum((m.expected or Decimal(0) for m in unpaid), Decimal("0.00")),
        this_month=current.expected if current.status == MonthStatus.DUE else None,
    )


def responsible_orgs(user: Any) -> list[Org]:
    """The orgs a user is directly responsible for: where they hold a role that may change records."""
    if not getattr(user, "is_authenticated", False):
        return []
    roles = [role for role, actions in ROLE_ACTIONS.items() if Action.CHANGE in actions]
    ids = RoleGrant.objects.filter(user=user, revoked_at__isnull=True, role__in=roles).values("org_id")
    return list(Org.objects.filter(pk__in=ids, status=OrgStatus.ACTIVE).order_by("path"))


def due_for_me(user: Any, today: dt.date) -> DueForMe:
    """This week's items for one person: their orgs' due and overdue findings (branch admins), the
    meetings they are expected at (members) and their own obligations (post holders, leaders with a
    contact point)."""
    week_start = today - dt.timedelta(days=today.weekday())
    week_end = week_start + dt.timedelta(days=6)
    orgs = responsible_orgs(user)
    org_items: list[Finding] = []
    if orgs:
        q = Q(pk__in=[])
        for org in orgs:
            q |= Scope.org_and_groups(org).q
        scope = Scope(q, "responsible")
        engine = Engine(scope=scope, start=today, end=today, today=today, evidence=False, subjects=["org"])
        found = engine.run() + coded_findings(scope=scope, today=today, orgs=engine.orgs)
        org_items = [f for f in found if _due_this_week(f, week_end)]
        org_items.sort(key=_sort_key)
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    personal: list[Finding] = []
    later: list[Finding] = []
    meetings: list[Activity] = []
    dues = None
    if person is not None:
        # Only the orgs where the person holds a post or has a contact point (not the whole tree).
        where = Q(pk__in=PostHolding.objects.filter(person=person).values("org_id")) | Q(
            pk__in=ContactPoint.objects.filter(person=person).values("org_id")
        )
        mine = Engine(
            scope=Scope(where, f"person {person.pk}"),
            start=today,
            end=today,
            today=today,
            evidence=False,
            subjects=["post_holder", "contact_point"],
            person_ids=[person.pk],
        ).run()
        personal = sorted((f for f in mine if _due_this_week(f, week_end)), key=_sort_key)
        later = sorted(
            (
                f
                for f in mine
                if f.status in (Status.PENDING, Status.DUE_SOON) and not _due_this_week(f, week_end)
            ),
            key=_sort_key,
        )
        meetings = expected_meetings(person, week_start, week_end)
        dues = my_dues(person, today)
    return DueForMe(
        week_start=week_start,
        week_end=week_end,
        org_items=org_items,
        personal=personal,
        personal_later=later,
        meetings=meetings,
        responsible_orgs=orgs,
        dues=dues,
    )


def _due_this_week(f: Finding, week_end: dt.date) -> bool:
    if f.status == Status.OVERDUE:
        return True
    return f.status == Status.DUE_SOON and f.due is not None and f.due <= week_end


def expected_meetings(person: Any, week_start: dt.date, week_end: dt.date) -> list[Activity]:
    """Planned activities this week in the person's branch or party group, or where they are on the
    attendance list."""
    membership = getattr(person, "membership", None)
    orgs = [
        pk for pk in (getattr(membership, "org_id", None), getattr(membership, "party_group_id", None)) if pk
    ]
    mine = Q(attendance__person=person)
    if orgs and membership is not None and membership.left_date is None:
        mine |= Q(org_id__in=orgs)
    return list(
        Activity.objects.filter(
            mine,
            status=ActivityStatus.PLANNED,
            planned_start__gte=local_midnight(week_start),
            planned_start__lt=local_midnight(week_end + dt.timedelta(days=1)),
        )
        .select_related("kind", "org")
        .distinct()
        .order_by("planned_start")
    )


def unread_count(user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


# --- Obligations and contact points ---------------------------------------------------------------


def profiles_with_obligations() -> list[ObligationProfile]:
    return list(
        ObligationProfile.objects.prefetch_related(
            "assignments__org",
            "obligations__kinds",
        ).order_by("-builtin", "code")
    )


def national_floor(exclude_profile: ObligationProfile | None = None) -> QuerySet[Obligation]:
    """The national rules (status C) an enterprise obligation may not loosen (RULES.md §10.3)."""
    qs = Obligation.objects.filter(level=RuleLevel.NATIONAL, active=True, profile__applies_everywhere=True)
    if exclude_profile is not None:
        qs = qs.exclude(profile=exclude_profile)
    return qs.prefetch_related("kinds")


def contact_points(user: Any) -> QuerySet[ContactPoint]:
    return (
        ContactPoint.objects.restrict(user, Action.VIEW)
        .select_related("person", "org")
        .defer("person__id_number", "person__phone")
        .order_by("end_date", "org__path", "person__name")
    )
