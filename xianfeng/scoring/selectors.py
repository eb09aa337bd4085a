"""Reads of evaluation schemes: subjects, periods, entries and results, all through scoped querysets.
Every list is a bounded number of queries whatever the number of subjects (tests assert the counts)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from xianfeng.core.roles import Action
from xianfeng.core.scoping import granted_paths, is_global
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES, PoliticalStatus
from xianfeng.people.models import Membership
from xianfeng.scoring.choices import PeriodState, SubjectType, Visibility
from xianfeng.scoring.models import Dimension, Entry, Period, Result, Scheme

BRANCH_TYPES = (OrgType.BRANCH, OrgType.JOINT_BRANCH, OrgType.TEMPORARY_BRANCH)
# Teams (班组, seed 003) are modelled as party groups: the org tree's smallest unit of people.
TEAM_TYPES = (OrgType.PARTY_GROUP,)
CANDIDATE_STATUSES = (PoliticalStatus.APPLICANT, PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE)


def subject_orgs(scheme: Scheme) -> QuerySet[Org]:
    types = BRANCH_TYPES if scheme.subject_type == SubjectType.BRANCH else TEAM_TYPES
    return Org.objects.filter(
        path__startswith=scheme.org.path, org_type__in=types, status=OrgStatus.ACTIVE
    ).order_by("path")


def subject_memberships(scheme: Scheme) -> QuerySet[Membership]:
    statuses = CANDIDATE_STATUSES if scheme.subject_type == SubjectType.CANDIDATE else PARTY_MEMBER_STATUSES
    return (
        Membership.objects.current()
        .filter(org__path__startswith=scheme.org.path, status__in=statuses)
        .select_related("person", "org")
        .defer("person__id_number", "person__phone")
        .order_by("org__path", "person__name", "pk")
    )


@dataclass(slots=True)
class Subject:
    id: int
    name: str
    org_id: int
    code: str = ""


def subjects(scheme: Scheme) -> list[Subject]:
    """Plain values, not model instances: a committee's points scheme has 100,000 subjects."""
    if scheme.is_person_scheme:
        rows = subject_memberships(scheme).values_list("pk", "person__name", "org_id", "code")
        return [Subject(pk, name, org_id, str(code)) for pk, name, org_id, code in rows]
    return [Subject(pk, name, pk) for pk, name in subject_orgs(scheme).values_list("pk", "name")]


def schemes_for(user: Any) -> QuerySet[Scheme]:
    """Schemes of orgs in, or above, the subtrees the user may view."""
    qs = Scheme.objects.select_related("org")
    if is_global(user, Action.VIEW):
        return qs.all()
    paths = granted_paths(user, Action.VIEW)
    if not paths:
        return qs.none()
    q = Q()
    for path in paths:
        q |= Q(org__path__startswith=path)
        q |= Q(org__path__in=[path[:i] for i in range(4, len(path), 4)])
    return qs.filter(q)


def period_for(scheme: Scheme, day: dt.date) -> Period | None:
    return scheme.periods.filter(start__lte=day, end__gte=day).first()


def current_period(scheme: Scheme, today: dt.date) -> Period | None:
    periods = list(scheme.periods.all())
    for period in periods:
        if period.start <= today <= period.end:
            return period
    return periods[-1] if periods and today > periods[-1].end else (periods[0] if periods else None)


@dataclass
class GridCell:
    subject: Subject
    dimension: Dimension
    points: Decimal | None = None
    version: int = 0
    entry_id: int | None = None
    editable: bool = False


@dataclass
class GridRow:
    subject: Subject
    cells: list[GridCell] = field(default_factory=list)


def grid(period: Period, dims: list[Dimension]) -> list[GridRow]:
    """Every subject × the given dimensions with the current cell values: two queries."""
    scheme = period.scheme
    rows = [GridRow(s) for s in subjects(scheme)]
    key = "membership_id" if scheme.is_person_scheme else "subject_org_id"
    cells = {
        (e[key], e["dimension_id"]): e
        for e in Entry.objects.filter(period=period, dimension__in=dims, source="grid").values(
            "pk", key, "dimension_id", "points", "version"
        )
    }
    for row in rows:
        for d in dims:
            e = cells.get((row.subject.id, d.pk))
            row.cells.append(
                GridCell(
                    row.subject,
                    d,
                    e["points"] if e else None,
                    e["version"] if e else 0,
                    e["pk"] if e else None,
                )
            )
    return rows


def results(period: Period) -> QuerySet[Result]:
    return period.results.select_related("org").order_by("rank", "subject_name")


def entries_of_subject(
    period: Period, *, membership: Membership | None = None, org: Org | None = None
) -> QuerySet[Entry]:
    qs = Entry.objects.filter(period=period).select_related("dimension", "item", "entered_by", "approved_by")
    if membership is not None:
        return qs.filter(membership=membership)
    return qs.filter(subject_org=org)


def pending_entries(user: Any, scheme: Scheme) -> QuerySet[Entry]:
    return (
        Entry.objects.restrict(user, Action.VIEW)
        .filter(period__scheme=scheme, status="pending")
        .select_related(
            "period", "dimension", "item", "org", "subject_org", "membership__person", "entered_by"
        )
        .order_by("created")
    )


@dataclass
class MyScheme:
    scheme: Scheme
    period: Period
    entries: list[Entry]
    result: Result | None
    total_preview: Decimal
    rank_visible: bool
    ranking: list[Result] = field(default_factory=list)


def my_points(membership: Membership, today: dt.date) -> list[MyScheme]:
    """A member's own points: every active person scheme of an org above them, the current (or last
    published) period, its entries with evidence, and the result if published. Bounded: per scheme
    three queries, and members belong to few schemes."""
    from xianfeng.scoring import engine
    from xianfeng.scoring.closing import specs

    ancestors = [membership.org.path[:i] for i in range(4, len(membership.org.path) + 1, 4)]
    schemes = Scheme.objects.filter(
        org__path__in=ancestors, status="active", subject_type__in=[SubjectType.MEMBER, SubjectType.CANDIDATE]
    ).select_related("org")
    out = []
    for scheme in schemes:
        period = current_period(scheme, today)
        if period is None:
            continue
        entries = list(
            Entry.objects.filter(period=period, membership=membership)
            .exclude(status="rejected")
            .select_related("dimension", "item")
            .order_by("dimension__order", "created")
        )
        published = period.state == PeriodState.PUBLISHED
        result = Result.objects.filter(period=period, membership=membership).first() if published else None
        dims, items = specs(scheme)
        preview = engine.compute(
            membership.pk,
            [e for e in (engine_points(x) for x in entries if x.status == "approved") if e is not None],
            dims,
            items,
            scheme.aggregation,
            scheme.base_points,
        ).total
        ranking: list[Result] = []
        if published and scheme.visibility == Visibility.FULL:
            ranking = list(results(period)[:50])
        out.append(
            MyScheme(
                scheme,
                period,
                entries,
                result,
                preview,
                published and scheme.visibility != Visibility.NONE,
                ranking,
            )
        )
    return out


def engine_points(entry: Entry) -> Any:
    from xianfeng.scoring import engine

    return engine.Points(entry.dimension_id, entry.points, entry.item_id, entry.source == "grid")


def branch_history(scheme: Scheme, org: Org) -> list[tuple[Period, Result | None]]:
    periods = list(scheme.periods.all())
    by_period = {r.period_id: r for r in Result.objects.filter(period__scheme=scheme, subject_org=org)}
    return [(p, by_period.get(p.pk)) for p in periods]


def distribution(period: Period, buckets: int = 10) -> dict[str, list[Any]]:
    """Totals histogram of a computed period, for the chart (the table beside it has the rows)."""
    totals = [float(t) for t in period.results.values_list("total", flat=True)]
    if not totals:
        return {"labels": [], "counts": []}
    low, high = min(totals), max(totals)
    width = (high - low) / buckets or 1.0
    counts = [0] * buckets
    for t in totals:
        counts[min(int((t - low) / width), buckets - 1)] += 1
    labels = [f"{low + i * width:.0f}–{low + (i + 1) * width:.0f}" for i in range(buckets)]
    return {"labels": labels, "counts": counts}


def trend(scheme: Scheme) -> dict[str, list[Any]]:
    """Average and best total per computed period of the scheme."""
    from django.db.models import Avg, Max

    rows = (
        Result.objects.filter(period__scheme=scheme)
        .values("period__label", "period__start")
        .annotate(avg=Avg("total"), best=Max("total"))
        .order_by("period__start")
    )
    by_label: dict[str, dict[str, Any]] = defaultdict(dict)
    for r in rows:
        by_label[r["period__label"]] = {"avg": round(float(r["avg"]), 2), "best": float(r["best"])}
    labels = list(by_label)
    return {
        "labels": labels,
        "avg": [by_label[label]["avg"] for label in labels],
        "best": [by_label[label]["best"] for label in labels],
    }
