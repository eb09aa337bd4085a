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

from xianfeng.compliance.engine.evaluation import Engine, findings, gc_paused
from xianfeng.compliance.engine.orgs import (
    COMMITTEE_MEMBER_POSTS,
    HAS_COMMITTEE_FULL_MEMBERS,
    HAS_COMMITTEE_POSTS,
)
from xianfeng.compliance.engine.scope import OrgRow, Scope, as_scope, load_orgs
from xianfeng.compliance.engine.statuses import SEVERITY, Finding, Status, open_status, worst
from xianfeng.compliance.engine.timing import deadline_in, local_midnight

__all__ = [
    "COMMITTEE_MEMBER_POSTS",
    "HAS_COMMITTEE_FULL_MEMBERS",
    "HAS_COMMITTEE_POSTS",
    "SEVERITY",
    "Engine",
    "Finding",
    "OrgRow",
    "Scope",
    "Status",
    "as_scope",
    "deadline_in",
    "findings",
    "gc_paused",
    "load_orgs",
    "local_midnight",
    "open_status",
    "worst",
]
