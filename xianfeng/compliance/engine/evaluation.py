"""The evaluation: obligations × subjects × periods → findings (`Engine`, `findings()`)."""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from xianfeng.compliance.engine._common import _PeriodPlan
from xianfeng.compliance.engine.orgs import OrgSubjects
from xianfeng.compliance.engine.people import PersonSubjects
from xianfeng.compliance.engine.scope import load_orgs
from xianfeng.compliance.engine.statuses import Finding, open_status
from xianfeng.compliance.engine.timing import deadline_in, in_force, month_index, reference_day
from xianfeng.compliance.models import Obligation, RuleLevel, SubjectKind
from xianfeng.compliance.periods import periods_between


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


class Engine(OrgSubjects, PersonSubjects):
    """One evaluation: load what the obligations need in a bounded number of queries, then compute."""

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
