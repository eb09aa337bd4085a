"""Development time limits as compliance findings (RULES.md §2), read from `progress.next_steps` so the
development board, a person's timeline and the compliance pages say the same thing.

One finding per person and limit, only while it is open:

- talk with the applicant (DEV-03): due soon from the application, overdue the day after the
  application + 1 month;
- half-yearly review of an activist (DEV-06): due soon in the last NOTICE_DAYS days before 6 months
  since the activist date or the last review, overdue after;
- end of probation (DEV-17/19): due soon from XIANFENG_DEV_PROBATION_NOTICE_DAYS (30) days before the
  end of probation, overdue the day after it while no conversion meeting is recorded;
- approval of the acceptance (DEV-15) and of the conversion (DEV-19): due soon in the last
  NOTICE_DAYS days before 3 months after the branch meeting, overdue after.

The talk and the reviews are judged only for people with at least one valid step recorded: their
development is kept in the system from then on. Someone known only by the key dates of their membership
(imported, or entered before the branch kept development records) is not flagged for a talk or a review
nobody recorded, as the absence rule does not flag months before the first recorded meeting; the end
of probation, a fact of the membership, is judged for everyone, and the approvals follow recorded
meetings anyway.

Two queries whatever the number of people: the people in development in the scope (current
applicants, activists, candidates and probationary members of active orgs), then all their valid steps.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from xianfeng.compliance.engine import Status
from xianfeng.development.checks import done
from xianfeng.development.models import DevelopmentStep
from xianfeng.development.progress import NextStep, next_steps
from xianfeng.orgs.choices import OrgStatus
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership

NOTICE_DAYS = 30  # reviews and approvals: due soon in the last 30 days before the limit
IN_DEVELOPMENT = (
    PoliticalStatus.APPLICANT,
    PoliticalStatus.ACTIVIST,
    PoliticalStatus.CANDIDATE,
    PoliticalStatus.PROBATIONARY,
)

RECORDED_ONLY = frozenset({"dev_talk", "dev_activist_review"})

# next step → coded rule (its key in compliance.rules.RULES)
RULE_OF_STEP: dict[str, str] = {
    "talk": "dev_talk",
    "activist_review": "dev_activist_review",
    "conversion_meeting": "dev_probation_end",
    "higher_talk": "dev_approval",  # if progress gives the talk the approval's deadline (it precedes it)
    "approval": "dev_approval",
    "conversion_approval": "dev_conversion_approval",
}


@dataclass(frozen=True)
class Limit:
    """One open time limit of one person: `rule` is its key in compliance.rules.RULES."""

    rule: str
    status: str  # Status.DUE_SOON or Status.OVERDUE
    due: dt.date
    rule_ref: str
    detail: str
    membership: Any  # with .person (pk, name, code) loaded

    @property
    def anchor(self) -> str:
        """What makes the finding unique for this person: the deadline (a new review cycle, an
        extended probation or a new conversion meeting is a new finding)."""
        return self.due.isoformat()


def probation_notice_days() -> int:
    """Days before the end of probation from which it is due soon (local practice)."""
    return int(getattr(settings, "XIANFENG_DEV_PROBATION_NOTICE_DAYS", 30))


def _people(scope_q: Q) -> QuerySet[Membership]:
    return Membership.objects.filter(
        org_id__in=Org.objects.filter(scope_q, status=OrgStatus.ACTIVE).values("pk"),
        status__in=IN_DEVELOPMENT,
        left_date__isnull=True,
    )


def load(scope_q: Q) -> list[tuple[Membership, list[DevelopmentStep]]]:
    """The people in development in the orgs matching `scope_q`, each with their valid steps
    (oldest first): two queries. Personal data beyond the name is not loaded."""
    people = _people(scope_q)
    memberships = list(
        people.select_related("person")
        .only(
            "org_id",
            "status",
            "application_date",
            "activist_date",
            "candidate_date",
            "admission_date",
            "person__id",
            "person__name",
            "person__code",
        )
        .order_by("org_id", "pk")
    )
    steps: dict[int, list[DevelopmentStep]] = defaultdict(list)
    rows = (
        DevelopmentStep.objects.valid()
        .filter(membership_id__in=people.values("pk"))
        .only("membership_id", "step", "date", "decision", "extension_months", "voided")
        .order_by("date", "pk")
    )
    for row in rows:
        steps[row.membership_id].append(row)
    return [(m, steps.get(m.pk, [])) for m in memberships]


def _window_start(rule: str, membership: Any, nxt: NextStep) -> dt.date:
    assert nxt.due is not None
    if rule == "dev_talk" and membership.application_date is not None:
        return membership.application_date
    days = probation_notice_days() if rule == "dev_probation_end" else NOTICE_DAYS
    return nxt.due - dt.timedelta(days=days)


def _detail(rule: str, nxt: NextStep, steps: Sequence[Any]) -> str:
    due = nxt.due.isoformat() if nxt.due else ""
    if rule == "dev_probation_end":
        text = _("Probation ends on %(date)s; the branch general meeting discusses conversion.") % {
            "date": due
        }
        if not done(steps, "conversion_application"):
            text += " " + _("No written application for conversion yet.")
        return text
    return _("“%(step)s” due by %(date)s.") % {"step": nxt.step.label, "date": due}


def limits_of(membership: Any, steps: Sequence[Any], today: dt.date) -> list[Limit]:
    """The open time limits of one person as of `today`, from their valid steps (oldest first)."""
    out = []
    recorded = any(not s.voided for s in steps)
    for nxt in next_steps(membership, steps):
        rule = RULE_OF_STEP.get(nxt.step.code)
        if rule is None or nxt.due is None or (rule in RECORDED_ONLY and not recorded):
            continue
        if nxt.overdue(today):
            status = Status.OVERDUE
        elif today >= _window_start(rule, membership, nxt):
            status = Status.DUE_SOON
        else:
            continue
        out.append(Limit(rule, status, nxt.due, nxt.rule, _detail(rule, nxt, steps), membership))
    return out


def open_limits(scope_q: Q, today: dt.date) -> list[Limit]:
    """The open time limits of everyone in development in the orgs matching `scope_q`: two queries."""
    return [limit for membership, steps in load(scope_q) for limit in limits_of(membership, steps, today)]
