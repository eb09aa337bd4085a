"""The engine's state and what it loads: obligations in force, where they apply, activities."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Exists, OuterRef, Q

from xianfeng.activities.choices import ActivityStatus
from xianfeng.activities.models import Activity, AgendaItem
from xianfeng.compliance.engine.scope import OrgRow, as_scope
from xianfeng.compliance.engine.timing import local_midnight, month_index
from xianfeng.compliance.models import Obligation, ProfileAssignment, SubjectKind
from xianfeng.compliance.periods import PeriodKind, period_containing
from xianfeng.orgs.models import Org

SMALL_SCOPE = 1000  # up to this many orgs, queries name them (index look-ups) instead of a subquery


class Loader:
    """The evaluation's parameters and month grid, and the queries that load obligations and activities."""

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
