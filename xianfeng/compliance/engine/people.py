"""People as subjects: post holders and leaders with a contact point (联系点)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Q

from xianfeng.compliance.engine._common import _Counts, _PeriodPlan
from xianfeng.compliance.engine.counting import Counting
from xianfeng.compliance.engine.scope import OrgRow
from xianfeng.compliance.engine.statuses import Finding, Status
from xianfeng.compliance.models import ContactPoint, Obligation
from xianfeng.people.models import PostHolding


class PersonSubjects(Counting):
    """Findings for obligations whose subjects are people: post holders and contact points."""

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
