"""Suspension of membership (停止党籍, MEM-02): start on one of the two grounds, restoration, and
removal as having left of one's own accord after 2 years (through people.services.member_leave)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ensure_in_scope, require
from xianfeng.lifecycle import rules
from xianfeng.lifecycle.choices import SuspensionReason
from xianfeng.lifecycle.models import Suspension
from xianfeng.lifecycle.services._common import (
    Errors,
    date_errors,
    locked_membership,
    member_errors,
    raise_errors,
    required_text,
)
from xianfeng.people import services as people
from xianfeng.people.choices import LeaveReason
from xianfeng.people.models import Membership


def _audit(actor: Any, suspension: Suspension, before: Any = None, *, action: str, message: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        target=suspension,
        org=suspension.membership.org,
        before=before,
        after=audit.snapshot(suspension),
        message=message,
        target_repr=str(suspension.membership.person),
    )


def _ground_errors(reason: str, since: dt.date | None, start_date: dt.date | None) -> Errors:
    if reason not in SuspensionReason.values:
        return {"reason": _("Choose the ground of the suspension.")}
    if since is None or start_date is None:
        return {}
    errors = date_errors("since", since)
    if errors:
        return errors
    earliest = rules.earliest_suspension(reason, since)
    if start_date < earliest:
        message = (
            _("Suspension on this ground needs more than 5 years abroad: %(date)s at the earliest (MEM-02).")
            if reason == SuspensionReason.ABROAD
            else _(
                "Suspension on this ground needs 6 months without contact: %(date)s at the earliest (MEM-02)."
            )
        )
        errors["start_date"] = message % {"date": earliest.isoformat()}
    return errors


@transaction.atomic
def suspension_start(
    *, actor: Any, membership: Membership, start_date: dt.date, reason: str, since: dt.date, note: str
) -> Suspension:
    membership = locked_membership(membership)
    require(actor, Action.CHANGE, membership.org)
    errors: Errors = member_errors(membership)
    if Suspension.objects.filter(
        membership=membership, restored_date__isnull=True, removed_date__isnull=True
    ).exists():
        errors["membership"] = _("The membership is already suspended.")
    errors.update(date_errors("start_date", start_date))
    for key, message in _ground_errors(reason, since, start_date).items():
        errors.setdefault(key, message)
    errors.update(
        required_text("note", note, _("Record the decision and its basis (the meeting, the search made)."))
    )
    raise_errors(errors)
    suspension = Suspension(
        membership=membership, start_date=start_date, reason=reason, since=since, note=note.strip()
    )
    suspension.full_clean()
    suspension.save()
    _audit(actor, suspension, action="suspension.start")
    ensure_in_scope(actor, Action.CHANGE, Suspension.objects.all(), [suspension.pk])
    return suspension


def _locked(suspension: Suspension) -> Suspension:
    return (
        Suspension.objects.select_for_update(of=("self",))
        .select_related("membership__org", "membership__person")
        .get(pk=suspension.pk)
    )


def _open_errors(suspension: Suspension) -> Errors:
    if not suspension.is_open:
        return {"status": _("This suspension has already ended.")}
    return member_errors(suspension.membership, party_member=False)


@transaction.atomic
def suspension_restore(
    *, actor: Any, suspension: Suspension, restored_date: dt.date, note: str
) -> Suspension:
    """Restore a suspended membership (MEM-02: "may be restored under the rules")."""
    suspension = _locked(suspension)
    require(actor, Action.CHANGE, suspension.membership.org)
    errors = _open_errors(suspension)
    errors.update(
        date_errors(
            "restored_date",
            restored_date,
            not_before=suspension.start_date,
            before_label=_("suspension date"),
        )
    )
    errors.update(required_text("note", note, _("Record the decision to restore and its basis.")))
    raise_errors(errors)
    before = audit.snapshot(suspension)
    suspension.restored_date, suspension.restored_note = restored_date, note.strip()
    suspension.save(update_fields=["restored_date", "restored_note", "updated"])
    _audit(actor, suspension, before, action="suspension.restore", message=suspension.restored_note)
    return suspension


@transaction.atomic
def suspension_remove(*, actor: Any, suspension: Suspension, date: dt.date, note: str = "") -> Suspension:
    """After 2 years of suspension without restoration, remove the member as having left of their own
    accord (自行脱党): the membership ends through member_leave."""
    suspension = _locked(suspension)
    require(actor, Action.CHANGE, suspension.membership.org)
    errors = _open_errors(suspension)
    due = rules.removal_due(suspension.start_date)
    errors.update(date_errors("date", date))
    if "date" not in errors and date < due:
        errors["date"] = _(
            "Removal comes after 2 years of suspension without restoration: %(date)s at the earliest (MEM-02)."
        ) % {"date": due.isoformat()}
    raise_errors(errors)
    before = audit.snapshot(suspension)
    suspension.removed_date = date
    suspension.save(update_fields=["removed_date", "updated"])
    _audit(actor, suspension, before, action="suspension.remove", message=note.strip())
    reason_note = note.strip() or _("Suspended since %(date)s without restoration (MEM-02).") % {
        "date": suspension.start_date.isoformat()
    }
    people.member_leave(
        actor=actor,
        membership=suspension.membership,
        reason=LeaveReason.SELF_DEPARTURE,
        date=date,
        note=reason_note,
    )
    return suspension
