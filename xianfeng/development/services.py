"""The only writers of development records. A step is checked against the rules in force on its date
(`checks.step_errors`), saved with the people named on it, and moves the person's status and key date
when it is the step that does so; a wrong step is voided (with a reason), never edited or deleted.
Every write is scoped (`require`) and audited in the same transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.development import checks
from xianfeng.development.checks import Proposed
from xianfeng.development.models import DevelopmentPlan, DevelopmentStep, StepPerson, ThoughtReport
from xianfeng.development.steps import BY_CODE, STATUS_AFTER, Decision
from xianfeng.development.thought_reports import report_errors
from xianfeng.orgs.models import Org
from xianfeng.people import services as people_services
from xianfeng.people.choices import STATUS_DATE_FIELD, LeaveReason, PoliticalStatus
from xianfeng.people.models import Membership

A_STEP = "development.step_record"
A_VOID = "development.step_void"
A_PLAN = "development.plan_set"
A_REPORT = "development.thought_report_record"
A_REPORT_VOID = "development.thought_report_void"

STEP_FIELDS = (
    "should_attend",
    "present",
    "written_opinions",
    "votes_for",
    "votes_against",
    "abstentions",
    "training_days",
    "training_hours",
    "leaving_within_3_months",
    "extension_months",
    "approving_org",
    "delay_reason",
    "conclusion",
)


def valid_steps(membership: Membership) -> list[DevelopmentStep]:
    return list(DevelopmentStep.objects.filter(membership=membership, voided=False).order_by("date", "id"))


def _decided(p: Proposed) -> Proposed:
    """A meeting's decision follows its vote: without a majority the resolution fails (DEV-13); the
    acceptance meeting passes with one. A copy: the caller's proposal is left as it was."""
    step = BY_CODE.get(p.code)
    if step is None or not step.votes:
        return p
    if p.present is not None and not checks.vote_passes(p):
        return replace(p, decision=Decision.FAILED)
    if p.code == "acceptance_meeting":
        return replace(p, decision=Decision.PASSED)
    return p


def _fresh_people(p: Proposed) -> Proposed:
    """The people named, as the database has them now: the checks read their status, conversion date
    and leaving date, which a caller's copy may no longer show."""
    pks = [m.pk for m, _role in p.people if m.pk is not None]
    if not pks:
        return p
    found = Membership.objects.select_related("person").in_bulk(pks)
    return replace(p, people=[(found.get(m.pk, m), role) for m, role in p.people])


def _reason(step_label: Any) -> str:
    return _("Development step: %(step)s") % {"step": step_label}


def _apply_status(actor: Any, membership: Membership, p: Proposed, steps: list[DevelopmentStep]) -> None:
    """Move status and key date when this step is the one that does (steps.STATUS_AFTER)."""
    step = BY_CODE[p.code]
    if p.code == "application":
        if membership.application_date != p.date:
            people_services.membership_update(
                actor=actor,
                membership=membership,
                data={"application_date": p.date},
                reason=_reason(step.label),
            )
        return
    if p.code == "conversion_approval" and p.decision == Decision.PASSED:
        meeting = checks.done(steps, "conversion_meeting")[-1]
        if meeting.decision == Decision.CANCELLED:
            people_services.member_leave(
                actor=actor,
                membership=membership,
                date=p.date,
                reason=LeaveReason.PROBATION_CANCELLED,
                note=_reason(step.label),
            )
            return
        if meeting.decision != Decision.PASSED:
            return  # an approved extension: still probationary, the end moves
        end = checks.probation_end(membership, steps)
        people_services.membership_update(
            actor=actor,
            membership=membership,
            data={"status": PoliticalStatus.FULL, "conversion_date": end},
            reason=_reason(step.label),
        )
        return
    status = STATUS_AFTER.get((p.code, p.decision))
    if status is None:
        return
    day = checks.done(steps, "acceptance_meeting")[-1].date if p.code == "approval" else p.date
    field = STATUS_DATE_FIELD[PoliticalStatus(status)]
    people_services.membership_update(
        actor=actor, membership=membership, data={"status": status, field: day}, reason=_reason(step.label)
    )


@transaction.atomic
def step_record(
    *, actor: Any, membership: Membership, proposed: Proposed, note: str = "", today: dt.date | None = None
) -> DevelopmentStep:
    """Record one step after checking it; refuses with the field, the rule and its article."""
    membership = Membership.objects.select_for_update().select_related("person", "org").get(pk=membership.pk)
    require(actor, Action.CHANGE, membership.org)
    if not membership.is_current:
        raise ValidationError(_("This person has left; the record is kept as history."))
    steps = valid_steps(membership)
    p = _decided(_fresh_people(proposed))
    errors = checks.step_errors(p, membership, steps, today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    obj = DevelopmentStep(
        membership=membership, step=p.code, date=p.date, decision=p.decision, note=note.strip()
    )
    for name in STEP_FIELDS:
        setattr(obj, name, getattr(p, name))
    obj.full_clean()
    obj.save()
    StepPerson.objects.bulk_create(
        StepPerson(step=obj, person_id=m.person_id, role=role) for m, role in p.people
    )
    audit.record(
        actor=actor,
        action=A_STEP,
        target=obj,
        org=membership.org,
        after=audit.snapshot(obj),
        message=str(BY_CODE[p.code].label),
        target_repr=str(membership.person),
    )
    _apply_status(actor, membership, p, [*steps, obj])
    return obj


@transaction.atomic
def step_void(*, actor: Any, step: DevelopmentStep, reason: str) -> DevelopmentStep:
    """Void a wrongly recorded step. Only the latest valid step can be voided, and not one that moved
    the person's status (that is corrected on the membership record, with its own reason)."""
    membership = step.membership
    require(actor, Action.CHANGE, membership.org)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for voiding the step.")})
    latest = valid_steps(membership)[-1:]
    if step.voided or not latest or latest[0].pk != step.pk:
        raise ValidationError(_("Only the latest step can be voided; void the later steps first."))
    if (step.step, step.decision) in STATUS_AFTER or step.step == "conversion_approval":
        raise ValidationError(
            _("This step changed the person's status; correct the membership record instead, with a reason.")
        )
    before = audit.snapshot(step)
    step.voided, step.void_reason = True, reason.strip()
    step.save(update_fields=["voided", "void_reason", "updated"])
    audit.record(
        actor=actor,
        action=A_VOID,
        target=step,
        org=membership.org,
        before=before,
        after=audit.snapshot(step),
        message=reason.strip(),
        target_repr=str(membership.person),
    )
    return step


@transaction.atomic
def plan_set(*, actor: Any, org: Org, year: int, quota: int, note: str = "") -> DevelopmentPlan:
    """The year's development quota of an org, set from above (DEV-21): by whoever may change the
    org's parent (a root org sets its own)."""
    require(actor, Action.CHANGE, org.superior())
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    if quota < 0:
        raise ValidationError({"quota": _("The quota cannot be negative.")})
    existing = DevelopmentPlan.objects.select_for_update().filter(org=org, year=year).first()
    before = audit.snapshot(existing) if existing else None
    plan = existing or DevelopmentPlan(org=org, year=year)
    plan.quota, plan.note = quota, note.strip()
    plan.full_clean()
    plan.save()
    audit.record(actor=actor, action=A_PLAN, target=plan, org=org, before=before, after=audit.snapshot(plan))
    return plan


@transaction.atomic
def thought_report_record(
    *,
    actor: Any,
    membership: Membership,
    received_on: dt.date,
    summary: str = "",
    today: dt.date | None = None,
) -> ThoughtReport:
    """Record a written thought report handed in (MISC-05, local practice)."""
    membership = Membership.objects.select_for_update().select_related("person", "org").get(pk=membership.pk)
    require(actor, Action.CHANGE, membership.org)
    if not membership.is_current:
        raise ValidationError(_("This person has left; the record is kept as history."))
    errors = report_errors(membership, received_on, today or timezone.localdate())
    if errors:
        raise ValidationError(errors)
    report = ThoughtReport(
        membership=membership, received_on=received_on, status=membership.status, summary=summary.strip()
    )
    report.full_clean()
    report.save()
    audit.record(
        actor=actor,
        action=A_REPORT,
        target=report,
        org=membership.org,
        after=audit.snapshot(report),
        message=received_on.isoformat(),
        target_repr=str(membership.person),
    )
    return report


@transaction.atomic
def thought_report_void(*, actor: Any, report: ThoughtReport, reason: str) -> ThoughtReport:
    """Void a wrongly recorded report; it stays on the record, struck through, with the reason."""
    membership = report.membership
    require(actor, Action.CHANGE, membership.org)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for voiding the report.")})
    if report.voided:
        raise ValidationError(_("This report is already voided."))
    before = audit.snapshot(report)
    report.voided, report.void_reason = True, reason.strip()
    report.save(update_fields=["voided", "void_reason", "updated"])
    audit.record(
        actor=actor,
        action=A_REPORT_VOID,
        target=report,
        org=membership.org,
        before=before,
        after=audit.snapshot(report),
        message=reason.strip(),
        target_repr=str(membership.person),
    )
    return report
