"""Organizations as subjects: their own activities, and the `has_committee` condition."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.db.models import Count, Q

from xianfeng.compliance.engine._common import _PeriodPlan
from xianfeng.compliance.engine.counting import Counting
from xianfeng.compliance.engine.scope import OrgRow
from xianfeng.compliance.engine.statuses import Finding, Status
from xianfeng.compliance.models import Condition, Obligation
from xianfeng.people.choices import PoliticalStatus, Post
from xianfeng.people.models import Membership, PostHolding

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


class OrgSubjects(Counting):
    """Findings for obligations whose subjects are organizations."""

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
