"""The compliance engine: obligations × subjects × periods → findings (ARCHITECTURE.md: every rule
counts Activities).

    findings(scope=<org | user | orgs | Scope>, start=…, end=…, today=…) -> list[Finding]

For every obligation in force, every subject it applies to and every period of the obligation's kind
that overlaps [start, end], one `Finding` says whether the subject did what the obligation asks:
met, due soon, overdue, missed, pending (the period is still open and not close to its end) or not
applicable (the branch has no committee, so "committee meets monthly" does not apply).

Subjects
- organizations of the obligation's types that existed during the period (founded on or before its
  last day, not dissolved before its first day), of a profile that applies to them: the national
  profile everywhere, an enterprise profile on the org it is assigned to and that org's whole subtree;
- people holding one of the obligation's posts in an org of its types on the period's reference day
  (the last day of a past period, today for the current one, the first day of a future one);
- leaders with a contact point (联系点) active on the reference day.

Counting
- held activities of the obligation's kinds with `held_start` inside the period (local time,
  Asia/Shanghai: a meeting at 23:30 on 31 January counts for January), with an agenda item carrying
  the obligation's topic tag if it names one;
- an org counts its own activities only (a party group's meetings belong to the group);
- a post holder's activities are those they gave (lecturer or host) when `given_by_subject`, else
  the activities of the org where they hold the post;
- a contact point counts the activities held at its org with the leader as host or lecturer.

Queries (bounded, never one per org or per person): the orgs in scope (1), the obligations in force
(1) and their kinds (1), profile assignments (1, only if an enterprise profile is in force), full
members and committee posts per org for the `has_committee` condition (2, only if such an obligation
is in force), then for each (subject class, topic tag) pair in use one aggregate over the whole scope
grouped by org (or person) × kind × month (`TruncMonth`), and post holdings (1) and contact points (1)
when personal obligations are in force. With the national profile alone that is 8 queries whatever
the number of branches; each distinct topic tag of an enterprise profile adds one per subject class.
With `evidence=True` the aggregates become row queries (same count) so each finding can list the
activities it counted.

Statuses (documented in docs/decisions.md):
- done ≥ required → met (whenever it happens, also early);
- the period is over (today after its last day) → missed;
- a deadline inside the period has passed, the period is not over → overdue;
- today within `due_soon_days` of the deadline (or of the period's last day) → due soon;
- otherwise (including periods that have not started) → pending.
A deadline on the period's last day (组织生活会 by 31 December) is in time on 31 December and *missed*
(not overdue) on 1 January, because the period is over by then.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connections, models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.activities.choices import ActivityStatus
from xianfeng.activities.models import Activity, AgendaItem
from xianfeng.compliance.models import (
    Condition,
    ContactPoint,
    Obligation,
    ProfileAssignment,
    RuleLevel,
    SubjectKind,
)
from xianfeng.compliance.periods import Period, PeriodKind, period_containing, periods_between
from xianfeng.core.roles import Action
from xianfeng.core.scoping import scope_q
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PoliticalStatus, Post
from xianfeng.people.models import Membership, PostHolding


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

# BR-03: a committee has a secretary plus members; "committee posts" here are the members' posts.
COMMITTEE_MEMBER_POSTS = frozenset(
    {
        Post.ORGANIZATION_MEMBER,
        Post.PUBLICITY_MEMBER,
        Post.DISCIPLINE_MEMBER,
        Post.YOUTH_MEMBER,
        Post.COMMITTEE_MEMBER,
    }
)
HAS_COMMITTEE_FULL_MEMBERS = 7  # BR-03: 7 or more full members elect a committee
HAS_COMMITTEE_POSTS = 2  # or a committee is in place: at least 2 members besides the secretaries
SMALL_SCOPE = 1000  # up to this many orgs, queries name them (index look-ups) instead of a subquery


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


# --- Scope ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which orgs the engine looks at, as a filter on Org."""

    q: Q
    description: str = ""

    @classmethod
    def everything(cls) -> Scope:
        return cls(Q(), "all")

    @classmethod
    def subtree(cls, org: Org) -> Scope:
        return cls(Q(path__startswith=org.path), f"subtree {org.pk}")

    @classmethod
    def subtrees(cls, orgs: Iterable[Org]) -> Scope:
        q = Q(pk__in=[])
        for org in orgs:
            q |= Q(path__startswith=org.path)
        return cls(q, "subtrees")

    @classmethod
    def exact(cls, orgs: Iterable[Org | int]) -> Scope:
        return cls(Q(pk__in=[o if isinstance(o, int) else o.pk for o in orgs]), "orgs")

    @classmethod
    def org_and_groups(cls, org: Org) -> Scope:
        """The org itself and its party groups (a group's meetings are part of its branch's health)."""
        groups = Q(path__startswith=org.path, depth=org.depth + 1, org_type=OrgType.PARTY_GROUP)
        return cls(Q(pk=org.pk) | groups, f"org {org.pk}")

    @classmethod
    def of_user(cls, user: Any, action: str = Action.VIEW) -> Scope:
        return cls(scope_q(user, action, "path"), f"user {getattr(user, 'pk', None)}")


def as_scope(value: Any) -> Scope:
    if isinstance(value, Scope):
        return value
    if isinstance(value, Org):
        return Scope.subtree(value)
    if hasattr(value, "is_authenticated"):
        return Scope.of_user(value)
    return Scope.subtrees(value)


# --- Loaded data ----------------------------------------------------------------------------------


@dataclass(slots=True)
class OrgRow:
    id: int
    path: str
    name: str
    org_type: str
    founded: dt.date | None
    dissolved: dt.date | None
    status: str
    term_end: dt.date | None
    created_at: dt.datetime
    always: bool = False  # exists in every period the engine looks at (set by the engine)

    @property
    def created(self) -> dt.date:
        """The day the record was created (local), the vacancy rule's fallback for a founding date."""
        return timezone.localtime(self.created_at).date()

    def exists_throughout(self, first: dt.date) -> bool:
        """Active, not dissolved, founded on or before `first` (or founding date unknown)."""
        return (
            self.status == OrgStatus.ACTIVE
            and self.dissolved is None
            and (self.founded is None or self.founded <= first)
        )

    def alive(self, start: dt.date, last: dt.date) -> bool:
        """Founded on or before the period's last day and not dissolved before its first day."""
        if self.always:
            return True
        if self.founded is not None and self.founded > last:
            return False
        if self.dissolved is not None:
            return self.dissolved >= start
        return self.status == OrgStatus.ACTIVE

    def alive_in(self, period: Period) -> bool:
        return self.alive(period.start, period.last_day)


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects.

    A year's matrix for 3,000 branches builds about 180,000 findings; each allocation counts towards
    a collection that scans every tracked object, which cost a third of the engine's time. Reference
    counting still frees memory meanwhile; the collector runs again as soon as the block ends."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_orgs(scope: Scope) -> dict[int, OrgRow]:
    rows = Org.objects.filter(scope.q).values_list(
        "pk", "path", "name", "org_type", "founded_date", "dissolved_date", "status", "term_end", "created"
    )
    return {row[0]: OrgRow(*row) for row in rows.order_by("path")}


def _raw_rows(qs: Any) -> list[tuple[Any, ...]]:
    """The rows of a values_list() of plain columns and counts, without Django's per-value converters
    (they call int() on each of the 12 monthly counts of each of tens of thousands of rows)."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


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


def open_status(period: Period, due: dt.date, due_soon_days: int, today: dt.date) -> str:
    """The status of a finding that is not (yet) met."""
    if today > period.last_day:
        return Status.MISSED
    if today > due:
        return Status.OVERDUE
    if today >= period.start and today >= due - dt.timedelta(days=due_soon_days):
        return Status.DUE_SOON
    return Status.PENDING


def reference_day(period: Period, today: dt.date) -> dt.date:
    """The day whose post holders, contact points and membership the period is judged by."""
    return max(period.start, min(period.last_day, today))


def in_force(obligation: Obligation, period: Period) -> bool:
    """An obligation applies to the periods that start while it is in force (valid_to inclusive)."""
    return obligation.valid_from <= period.start and (
        obligation.valid_to is None or period.start <= obligation.valid_to
    )


@dataclass
class _PeriodPlan:
    period: Period
    i0: int  # month indexes [i0, i1) in the engine's month grid
    i1: int
    due: dt.date
    not_met: str  # the status when done < required
    ref: dt.date
    label: str = ""
    start: dt.date = dt.date.min
    last: dt.date = dt.date.min

    def __post_init__(self) -> None:
        self.label, self.start, self.last = self.period.label, self.period.start, self.period.last_day


@dataclass
class _Counts:
    """Held activities bucketed by (key, kind) → per-month counts and, with evidence, ids."""

    months: int
    counts: dict[tuple[Any, int], list[int]] = field(default_factory=dict)
    ids: dict[tuple[Any, int], list[list[int]]] = field(default_factory=dict)

    def add(self, key: Any, kind: int, index: int, n: int, pk: int | None = None) -> None:
        if not 0 <= index < self.months:
            return
        bucket = self.counts.get((key, kind))
        if bucket is None:
            bucket = self.counts[(key, kind)] = [0] * self.months
        bucket[index] += n
        if pk is not None:
            lists = self.ids.get((key, kind))
            if lists is None:
                lists = self.ids[(key, kind)] = [[] for _ in range(self.months)]
            lists[index].append(pk)

    def add_months(self, key: Any, kind: int, offset: int, counts: Sequence[int]) -> None:
        bucket = self.counts.get((key, kind))
        if bucket is None:
            bucket = self.counts[(key, kind)] = [0] * self.months
        for i, n in enumerate(counts):
            if n:
                bucket[offset + i] += n

    def merged(self, key: Any, kinds: Sequence[int]) -> list[int] | None:
        arrays = [a for k in kinds if (a := self.counts.get((key, k))) is not None]
        if not arrays:
            return None
        if len(arrays) == 1:
            return arrays[0]
        return [sum(values) for values in zip(*arrays, strict=True)]

    def evidence(self, key: Any, kinds: Sequence[int], i0: int, i1: int) -> tuple[int, ...]:
        out: list[int] = []
        for kind in kinds:
            lists = self.ids.get((key, kind))
            if lists is not None:
                for index in range(i0, i1):
                    out.extend(lists[index])
        return tuple(sorted(set(out)))


class Engine:
    """One evaluation: load what the obligations need in a bounded number of queries, then compute."""

    def __init__(
        self,
        *,
        scope: Any,
        start: dt.date,
        end: dt.date,
        today: dt.date,
        evidence: bool = True,
        subjects: Iterable[str] | None = None,
        person_ids: Iterable[int] | None = None,
        obligations: Iterable[Obligation] | None = None,
        grouping: str = "filter",
    ) -> None:
        if end < start:
            raise ValueError("end before start")
        self.scope = as_scope(scope)
        self.start, self.end, self.today = start, end, today
        self.evidence = evidence
        self.grouping = grouping  # "filter" (default) or "trunc" (TruncMonth; kept for the benchmark)
        self.subjects = frozenset(subjects) if subjects is not None else frozenset(SubjectKind.values)
        self.person_ids = None if person_ids is None else frozenset(person_ids)
        self._given_obligations = list(obligations) if obligations is not None else None
        self.orgs: dict[int, OrgRow] = {}
        # The month grid: every month of every period (of any kind) overlapping [start, end].
        self.first = period_containing(start, PeriodKind.YEAR).start
        self.last = period_containing(end, PeriodKind.YEAR).end  # exclusive
        self.months = month_index(self.last, self.first)
        self.q_first, self.q_last = self.first, self.last  # narrowed to the periods in use by run()

    # -- loading ---------------------------------------------------------------------------------

    def _obligations(self) -> list[Obligation]:
        if self._given_obligations is not None:
            chosen = self._given_obligations
        else:
            chosen = list(
                Obligation.objects.filter(active=True, valid_from__lte=self.end)
                .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=self.first))
                .filter(subject__in=self.subjects)
                .select_related("profile")
                .order_by("profile__builtin", "profile__code", "rule_ref", "code")
            )
        kinds: dict[int, list[int]] = defaultdict(list)
        through = Obligation.kinds.through.objects.filter(obligation_id__in=[o.pk for o in chosen])
        for obligation_id, kind_id in through.values_list("obligation_id", "activitykind_id").order_by(
            "obligation_id", "activitykind_id"
        ):
            kinds[obligation_id].append(kind_id)
        for obligation in chosen:
            obligation.kind_ids = kinds.get(obligation.pk, [])  # type: ignore[attr-defined]
        return [o for o in chosen if o.subject in self.subjects]

    def _applicability(self, obligations: list[Obligation]) -> dict[int, list[str]]:
        """Profile id → org paths it is assigned to (the national profile: [""], everywhere)."""
        paths: dict[int, list[str]] = {}
        assigned: list[int] = []
        for o in obligations:
            if o.profile.applies_everywhere:
                paths[o.profile_id] = [""]
            else:
                assigned.append(o.profile_id)
        if assigned:
            for profile_id, path in ProfileAssignment.objects.filter(
                profile_id__in=set(assigned)
            ).values_list("profile_id", "org__path"):
                paths.setdefault(profile_id, []).append(path)
        return paths

    def _org_ids(self, types: Iterable[str] | None = None) -> Any:
        """The scope's orgs for an `org_id IN (…)`: the loaded ids when there are few (an index look-up
        per org; a page of 40 branches), else the subquery (the whole tree: a scan is the plan anyway)."""
        wanted = set(types) if types is not None else None
        if len(self.orgs) <= SMALL_SCOPE:
            return [org.id for org in self.orgs.values() if wanted is None or org.org_type in wanted]
        orgs = Org.objects.filter(self.scope.q)
        return (orgs if wanted is None else orgs.filter(org_type__in=sorted(wanted))).values("pk")

    def _activities(self, tag: str) -> Any:
        qs = Activity.objects.filter(
            status=ActivityStatus.HELD,
            held_start__gte=local_midnight(self.q_first),
            held_start__lt=local_midnight(self.q_last),
        )
        if tag:
            # JSON text search with the quotes, so "safety" does not match "safety_culture"; works on
            # SQLite (no JSON containment there) and PostgreSQL alike.
            qs = qs.filter(
                Exists(AgendaItem.objects.filter(activity=OuterRef("pk"), tags__icontains=f'"{tag}"'))
            )
        return qs

    def _bucket(self, qs: Any, fields: tuple[str, ...], key_of: Any, target: _Counts) -> None:
        """Fill `target` from one query: rows with evidence, else an aggregate by key × kind × month."""
        first = self.first
        local = timezone.get_current_timezone()
        if self.evidence:
            for row in qs.values_list("pk", "kind_id", "held_start", *fields).order_by():
                pk, kind, held = row[0], row[1], row[2]
                index = month_index(held.astimezone(local).date(), first)
                for key in key_of(row[3:]):
                    target.add(key, kind, index, 1, pk)
            return
        if self.grouping == "trunc":
            grouped = (
                qs.annotate(month=TruncMonth("held_start"))
                .values("kind_id", "month", *fields)
                .annotate(n=Count("pk"))
                .order_by()
            )
            for row in grouped.values_list("kind_id", "month", "n", *fields):
                month = row[1]
                if isinstance(month, dt.datetime):
                    month = month.astimezone(local).date() if timezone.is_aware(month) else month.date()
                index = month_index(month, first)
                for key in key_of(row[3:]):
                    target.add(key, row[0], index, row[2])
            return
        # GROUP BY key, kind with one filtered count per month: the month boundaries are local
        # midnights computed here, so the database only compares timestamps (no per-row time-zone
        # function, which on SQLite is a Python callback called twice per row).
        offset = month_index(self.q_first, first)
        bounds = [
            local_midnight(
                dt.date(
                    self.q_first.year + (self.q_first.month - 1 + i) // 12,
                    (self.q_first.month - 1 + i) % 12 + 1,
                    1,
                )
            )
            for i in range(month_index(self.q_last, self.q_first) + 1)
        ]
        months = {
            f"m{i}": Count("pk", filter=Q(held_start__gte=bounds[i], held_start__lt=bounds[i + 1]))
            for i in range(len(bounds) - 1)
        }
        names = list(months)
        width = len(fields)
        rows = (
            qs.values("kind_id", *fields)
            .annotate(**months)
            .order_by()
            .values_list("kind_id", *fields, *names)
        )
        for row in _raw_rows(rows):
            counts = row[1 + width :]
            for key in key_of(row[1 : 1 + width]):
                target.add_months(key, row[0], offset, counts)

    # -- evaluation -------------------------------------------------------------------------------

    def _plans(self, obligation: Obligation) -> list[_PeriodPlan]:
        plans = []
        for period in periods_between(self.start, self.end, obligation.period):
            if not in_force(obligation, period):
                continue
            deadline = deadline_in(period, obligation.deadline_month, obligation.deadline_day)
            due = deadline or period.last_day
            plans.append(
                _PeriodPlan(
                    period=period,
                    i0=month_index(period.start, self.first),
                    i1=month_index(period.end, self.first),
                    due=due,
                    not_met=open_status(period, due, obligation.due_soon_days, self.today),
                    ref=reference_day(period, self.today),
                )
            )
        return plans

    def run(self) -> list[Finding]:
        with gc_paused():
            return self._run()

    def _run(self) -> list[Finding]:
        self.orgs = load_orgs(self.scope)
        for org in self.orgs.values():
            org.always = org.exists_throughout(self.first)
        obligations = self._obligations()
        if not obligations or not self.orgs:
            return []
        applies = self._applicability(obligations)
        # An enterprise obligation with the code of a local default (status L) replaces it where
        # the enterprise profile applies (RULES.md §10.3: local practice is a per-organization setting).
        overrides: dict[str, list[str]] = defaultdict(list)
        for o in obligations:
            if not o.profile.applies_everywhere:
                overrides[o.code].extend(applies.get(o.profile_id, []))

        def profile_applies(o: Obligation, path: str) -> bool:
            if path == "":  # the question "does it apply everywhere?"
                return applies.get(o.profile_id) == [""] and not (
                    o.level == RuleLevel.LOCAL and o.code in overrides
                )
            if not any(path.startswith(p) for p in applies.get(o.profile_id, ())):
                return False
            if o.profile.applies_everywhere and o.level == RuleLevel.LOCAL and o.code in overrides:
                return not any(path.startswith(p) for p in overrides[o.code])
            return True

        plans = {o.pk: self._plans(o) for o in obligations}
        obligations = [o for o in obligations if plans[o.pk]]
        if not obligations:
            return []
        self.q_first = min(plan.period.start for o in obligations for plan in plans[o.pk])
        self.q_last = max(plan.period.end for o in obligations for plan in plans[o.pk])
        out: list[Finding] = []
        by_subject: dict[str, list[Obligation]] = defaultdict(list)
        for o in obligations:
            by_subject[o.subject].append(o)
        if by_subject.get(SubjectKind.ORG):
            out.extend(self._org_findings(by_subject[SubjectKind.ORG], plans, profile_applies))
        if by_subject.get(SubjectKind.POST_HOLDER):
            out.extend(self._post_findings(by_subject[SubjectKind.POST_HOLDER], plans, profile_applies))
        if by_subject.get(SubjectKind.CONTACT_POINT):
            out.extend(self._contact_findings(by_subject[SubjectKind.CONTACT_POINT], plans, profile_applies))
        return out

    def _finding(
        self,
        o: Obligation,
        plan: _PeriodPlan,
        org: OrgRow,
        done: int,
        evidence: tuple[int, ...],
        status: str | None = None,
        person: tuple[int, str, str] | None = None,
    ) -> Finding:
        if status is None:
            status = Status.MET if done >= o.min_count else plan.not_met
        return Finding(
            f"{o.profile.code}/{o.code}",
            o.title,
            status,
            org.id,
            org.name,
            plan.label,
            plan.start,
            plan.last,
            plan.due,
            o.min_count,
            done,
            evidence,
            o.citation,
            o.rule_ref,
            o.level,
            o.subject,
            o.pk,
            person[0] if person else None,
            person[1] if person else "",
            person[2] if person else "",
        )

    def _org_counts(self, obligations: Iterable[Obligation], org_ids: set[int]) -> dict[str, _Counts]:
        """One query per topic tag over the orgs' own activities."""
        by_tag: dict[str, set[int]] = defaultdict(set)
        for o in obligations:
            by_tag[o.topic_tag].update(o.kind_ids)  # type: ignore[attr-defined]
        result: dict[str, _Counts] = {}
        scope_orgs = self._org_ids()
        for tag, kinds in by_tag.items():
            counts = _Counts(self.months)
            if kinds and org_ids:
                qs = self._activities(tag).filter(kind_id__in=sorted(kinds), org_id__in=scope_orgs)
                self._bucket(qs, ("org_id",), lambda fields: (fields[0],), counts)
            result[tag] = counts
        return result

    def _committee_state(self, orgs: list[OrgRow], days: list[dt.date]) -> dict[tuple[int, dt.date], bool]:
        """has_committee per (org, day): 2+ committee-member posts held, or 7+ full members (BR-03).

        Posts first (a small table); full members are counted only for the orgs that lack the posts
        on some day, so a tree whose branches have their committees in place needs one query."""
        if not orgs or not days:
            return {}
        types = sorted({org.org_type for org in orgs})
        ids_q = self._org_ids(types)
        posts = {
            f"d{n}": Count(
                "pk", filter=Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gt=day))
            )
            for n, day in enumerate(days)
        }
        names = list(posts)
        state: dict[tuple[int, dt.date], bool] = {}
        for row in (
            PostHolding.objects.filter(org_id__in=ids_q, post__in=COMMITTEE_MEMBER_POSTS)
            .values("org_id")
            .annotate(**posts)
            .order_by()
            .values_list("org_id", *names)
        ):
            for day, n in zip(days, row[1:], strict=True):
                if n >= HAS_COMMITTEE_POSTS:
                    state[(row[0], day)] = True
        lacking = [org.id for org in orgs if not all(state.get((org.id, day)) for day in days)]
        if not lacking:
            return state
        members = {
            f"d{n}": Count(
                "pk", filter=Q(conversion_date__lte=day) & (Q(left_date__isnull=True) | Q(left_date__gt=day))
            )
            for n, day in enumerate(days)
        }
        ids: Any = lacking if len(lacking) <= 20000 else ids_q  # an id list uses the org index
        for row in (
            Membership.objects.filter(org_id__in=ids, status=PoliticalStatus.FULL)
            .values("org_id")
            .annotate(**members)
            .order_by()
            .values_list("org_id", *list(members))
        ):
            for day, n in zip(days, row[1:], strict=True):
                if n >= HAS_COMMITTEE_FULL_MEMBERS:
                    state[(row[0], day)] = True
        return state

    def _org_findings(
        self, obligations: list[Obligation], plans: dict[int, list[_PeriodPlan]], profile_applies: Any
    ) -> list[Finding]:
        by_type: dict[str, list[OrgRow]] = defaultdict(list)
        for org in self.orgs.values():
            by_type[org.org_type].append(org)
        subjects: dict[int, list[OrgRow]] = {}
        for o in obligations:
            if profile_applies(o, ""):  # the national profile, not replaced anywhere: no test per org
                subjects[o.pk] = [org for t in o.org_types for org in by_type.get(t, ())]
            else:
                subjects[o.pk] = [
                    org for t in o.org_types for org in by_type.get(t, ()) if profile_applies(o, org.path)
                ]
        all_ids = {org.id for rows in subjects.values() for org in rows}
        counts = self._org_counts(obligations, all_ids)
        conditional = [o for o in obligations if o.condition == Condition.HAS_COMMITTEE]
        committee: dict[tuple[int, dt.date], bool] = {}
        if conditional:
            orgs = list({org.id: org for o in conditional for org in subjects[o.pk]}.values())
            days = sorted({plan.ref for o in conditional for plan in plans[o.pk]})
            committee = self._committee_state(orgs, days)
        # The hot loop (about 180,000 findings for 3,000 branches × a year): positional construction,
        # everything that does not depend on the org computed once per obligation or period.
        out: list[Finding] = []
        append = out.append
        with_evidence = self.evidence
        met, not_applicable = Status.MET, Status.NOT_APPLICABLE
        for o in obligations:
            table = counts[o.topic_tag]
            kinds = o.kind_ids  # type: ignore[attr-defined]
            needs_committee = o.condition == Condition.HAS_COMMITTEE
            rule, title, required, oid = f"{o.profile.code}/{o.code}", o.title, o.min_count, o.pk
            citation, ref, level, subject = o.citation, o.rule_ref, o.level, o.subject
            rows = [(p, p.i0, p.i1, p.label, p.start, p.last, p.due, p.not_met, p.ref) for p in plans[o.pk]]
            for org in subjects[o.pk]:
                monthly = table.merged(org.id, kinds)
                org_id, name, always = org.id, org.name, org.always
                for _plan, i0, i1, label, start, last, due, not_met, ref_day in rows:
                    if not always and not org.alive(start, last):
                        continue
                    if needs_committee and not committee.get((org_id, ref_day), False):
                        append(
                            Finding(
                                rule, title, not_applicable, org_id, name, label, start, last, due, required,
                                0, (), citation, ref, level, subject, oid,
                            )
                        )  # fmt: skip
                        continue
                    if monthly is None:
                        done = 0
                    elif i1 - i0 == 1:
                        done = monthly[i0]
                    else:
                        done = sum(monthly[i0:i1])
                    evidence = table.evidence(org_id, kinds, i0, i1) if with_evidence and done else ()
                    append(
                        Finding(
                            rule, title, met if done >= required else not_met, org_id, name, label, start, last,
                            due, required, done, evidence, citation, ref, level, subject, oid,
                        )
                    )  # fmt: skip
        return out

    def _person_counts(self, obligations: list[Obligation], person_ids: Any) -> dict[str, _Counts]:
        """Activities given by people (lecturer or host), one query per topic tag."""
        by_tag: dict[str, set[int]] = defaultdict(set)
        for o in obligations:
            by_tag[o.topic_tag].update(o.kind_ids)  # type: ignore[attr-defined]
        result: dict[str, _Counts] = {}
        for tag, kinds in by_tag.items():
            counts = _Counts(self.months)
            if kinds:
                qs = self._activities(tag).filter(kind_id__in=sorted(kinds))
                qs = qs.filter(Q(lecturer_id__in=person_ids) | Q(host_id__in=person_ids))
                self._bucket(
                    qs, ("lecturer_id", "host_id"), lambda f: {p for p in f if p is not None}, counts
                )
            result[tag] = counts
        return result

    def _post_findings(
        self, obligations: list[Obligation], plans: dict[int, list[_PeriodPlan]], profile_applies: Any
    ) -> list[Finding]:
        posts = {p for o in obligations for p in o.posts}
        types = {t for o in obligations for t in o.org_types}
        holdings_qs = PostHolding.objects.filter(
            org_id__in=self._org_ids(types),
            post__in=posts,
            start_date__lt=self.last,
        ).filter(Q(end_date__isnull=True) | Q(end_date__gt=self.first))
        if self.person_ids is not None:
            holdings_qs = holdings_qs.filter(person_id__in=self.person_ids)
        holdings = list(
            holdings_qs.values_list(
                "person_id", "person__name", "person__code", "org_id", "post", "start_date", "end_date"
            ).order_by("org_id", "post", "start_date")
        )
        given = [o for o in obligations if o.given_by_subject]
        person_counts = (
            self._person_counts(given, holdings_qs.values("person_id")) if given and holdings else {}
        )
        org_counts = self._org_counts(
            [o for o in obligations if not o.given_by_subject], {h[3] for h in holdings}
        )
        out: list[Finding] = []
        for o in obligations:
            kinds = o.kind_ids  # type: ignore[attr-defined]
            table = person_counts.get(o.topic_tag) if o.given_by_subject else org_counts.get(o.topic_tag)
            for person_id, name, code, org_id, post, start, end in holdings:
                org = self.orgs.get(org_id)
                if org is None or post not in o.posts or org.org_type not in o.org_types:
                    continue
                if not profile_applies(o, org.path):
                    continue
                key = person_id if o.given_by_subject else org_id
                monthly = table.merged(key, kinds) if table else None
                for plan in plans[o.pk]:
                    if not (start <= plan.ref and (end is None or end > plan.ref)):
                        continue
                    done = sum(monthly[plan.i0 : plan.i1]) if monthly else 0
                    evidence = (
                        table.evidence(key, kinds, plan.i0, plan.i1)
                        if table and self.evidence and done
                        else ()
                    )
                    out.append(
                        self._finding(o, plan, org, done, evidence, person=(person_id, name, str(code)))
                    )
        return out

    def _contact_findings(
        self, obligations: list[Obligation], plans: dict[int, list[_PeriodPlan]], profile_applies: Any
    ) -> list[Finding]:
        points_qs = ContactPoint.objects.filter(org_id__in=self._org_ids(), start_date__lt=self.last).filter(
            Q(end_date__isnull=True) | Q(end_date__gt=self.first)
        )
        if self.person_ids is not None:
            points_qs = points_qs.filter(person_id__in=self.person_ids)
        points = list(
            points_qs.values_list(
                "person_id", "person__name", "person__code", "org_id", "start_date", "end_date"
            )
        )
        if not points:
            return []
        by_tag: dict[str, set[int]] = defaultdict(set)
        for o in obligations:
            by_tag[o.topic_tag].update(o.kind_ids)  # type: ignore[attr-defined]
        at_point: dict[str, _Counts] = {}
        person_ids = points_qs.values("person_id")
        for tag, kinds in by_tag.items():
            counts = _Counts(self.months)
            qs = self._activities(tag).filter(
                kind_id__in=sorted(kinds), org_id__in=points_qs.values("org_id")
            )
            qs = qs.filter(Q(lecturer_id__in=person_ids) | Q(host_id__in=person_ids))
            self._bucket(
                qs,
                ("org_id", "lecturer_id", "host_id"),
                lambda f: {(f[0], p) for p in f[1:] if p is not None},
                counts,
            )
            at_point[tag] = counts
        anywhere = [o for o in obligations if not o.at_contact_point]
        person_counts = self._person_counts(anywhere, person_ids) if anywhere else {}
        out: list[Finding] = []
        for o in obligations:
            kinds = o.kind_ids  # type: ignore[attr-defined]
            for person_id, name, code, org_id, start, end in points:
                org = self.orgs.get(org_id)
                if org is None or (o.org_types and org.org_type not in o.org_types):
                    continue
                if not profile_applies(o, org.path):
                    continue
                key: Any
                if o.at_contact_point:
                    table, key = at_point[o.topic_tag], (org_id, person_id)
                else:
                    table, key = person_counts[o.topic_tag], person_id
                monthly = table.merged(key, kinds)
                for plan in plans[o.pk]:
                    if not (start <= plan.ref and (end is None or end > plan.ref)):
                        continue
                    done = sum(monthly[plan.i0 : plan.i1]) if monthly else 0
                    evidence = table.evidence(key, kinds, plan.i0, plan.i1) if self.evidence and done else ()
                    out.append(
                        self._finding(o, plan, org, done, evidence, person=(person_id, name, str(code)))
                    )
        return out


def findings(
    *,
    scope: Any,
    start: dt.date,
    end: dt.date,
    today: dt.date,
    evidence: bool = True,
    subjects: Iterable[str] | None = None,
    person_ids: Iterable[int] | None = None,
) -> list[Finding]:
    """Every subject × applicable obligation × period overlapping [start, end] in the scope.

    `scope` is an Org (its subtree), a user (the orgs they may view), several orgs (their
    subtrees) or a `Scope`. `evidence=False` skips the activity ids (aggregate queries only)."""
    return Engine(
        scope=scope,
        start=start,
        end=end,
        today=today,
        evidence=evidence,
        subjects=subjects,
        person_ids=person_ids,
    ).run()


def worst(statuses: Iterable[str]) -> str:
    return max(statuses, key=SEVERITY.__getitem__, default=Status.NOT_APPLICABLE)
