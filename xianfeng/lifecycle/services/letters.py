"""Transfer letters (组织关系介绍信, MEM-03): issue, receipt, return; incoming letters.

A letter out that is received ends the membership through people.services.member_leave (reason
"transferred out"), or moves it through member_transfer when the destination is an org in the system.
An incoming letter is linked to the member record, created through people.services.member_create
when the person is new.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, ensure_in_scope, require
from xianfeng.lifecycle import rules
from xianfeng.lifecycle.choices import LetterDirection, LetterStatus
from xianfeng.lifecycle.models import Suspension, TransferLetter
from xianfeng.lifecycle.services._common import (
    Errors,
    clean_text,
    date_errors,
    locked_membership,
    member_errors,
    raise_errors,
    required_text,
)
from xianfeng.orgs.choices import MEMBER_HOLDING_TYPES
from xianfeng.orgs.models import Org
from xianfeng.people import services as people
from xianfeng.people.choices import PARTY_MEMBER_STATUSES, LeaveReason
from xianfeng.people.models import Membership


@dataclass(frozen=True)
class LetterIn:
    """The particulars of an incoming letter."""

    number: str
    counterpart_name: str
    issue_date: dt.date
    received_date: dt.date
    valid_days: int | None = None
    reason: str = ""


def _letter_errors(
    org: Org, direction: str, number: str, issue_date: dt.date | None, valid_days: int
) -> Errors:
    errors: Errors = {}
    if not number:
        errors["number"] = _("The letter number is required.")
    elif TransferLetter.objects.filter(org=org, direction=direction, number=number).exists():
        errors["number"] = _("A letter with this number is already recorded by this organization.")
    errors.update(date_errors("issue_date", issue_date))
    if not 1 <= valid_days <= rules.MAX_LETTER_DAYS:
        errors["valid_days"] = _("The validity is between 1 and %(max)d days (MEM-03).") % {
            "max": rules.MAX_LETTER_DAYS
        }
    return errors


def _destination_errors(membership: Membership, counterpart_name: str, counterpart_org: Org | None) -> Errors:
    if counterpart_org is None:
        return required_text("counterpart_name", counterpart_name, _("Name the receiving organization."))
    if not counterpart_org.is_active or counterpart_org.org_type not in MEMBER_HOLDING_TYPES:
        return {"counterpart_org": _("Members can only be received by an active committee or branch.")}
    if counterpart_org.pk == membership.org_id:
        return {"counterpart_org": _("The member already belongs to this organization.")}
    return {}


def _audit(actor: Any, letter: TransferLetter, before: Any = None, *, action: str, message: str = "") -> None:
    audit.record(
        actor=actor,
        action=action,
        target=letter,
        org=letter.org,
        before=before,
        after=audit.snapshot(letter),
        message=message,
        target_repr=f"{letter.number} · {letter.membership.person}",
    )


@transaction.atomic
def letter_issue(
    *,
    actor: Any,
    membership: Membership,
    number: str,
    issue_date: dt.date,
    counterpart_name: str = "",
    counterpart_org: Org | None = None,
    valid_days: int | None = None,
    reason: str = "",
) -> TransferLetter:
    """Issue a letter moving a member's record out; the org stays responsible until it is received."""
    membership = locked_membership(membership)
    require(actor, Action.CHANGE, membership.org)
    number, counterpart_name = number.strip(), counterpart_name.strip()
    days = valid_days if valid_days is not None else rules.letter_days()
    errors = member_errors(membership)
    if (
        not errors
        and Suspension.objects.filter(
            membership=membership, restored_date__isnull=True, removed_date__isnull=True
        ).exists()
    ):
        errors["membership"] = _("The membership is suspended; restore it before transferring it (MEM-02).")
    open_letter = TransferLetter.objects.filter(membership=membership).open().first()
    if open_letter is not None:
        errors["membership"] = _(
            "Letter %(number)s is still open; record its receipt or its return first."
        ) % {"number": open_letter.number}
    errors.update(_letter_errors(membership.org, LetterDirection.OUT, number, issue_date, days))
    errors.update(_destination_errors(membership, counterpart_name, counterpart_org))
    raise_errors(errors)
    letter = TransferLetter(
        org=membership.org,
        membership=membership,
        direction=LetterDirection.OUT,
        number=number,
        counterpart_name=counterpart_name or (counterpart_org.name if counterpart_org else ""),
        counterpart_org=counterpart_org,
        issue_date=issue_date,
        valid_days=days,
        valid_until=rules.valid_until(issue_date, days),
        status=LetterStatus.ISSUED,
        reason=clean_text(reason),
    )
    letter.full_clean()
    letter.save()
    _audit(actor, letter, action="transfer_letter.issue")
    ensure_in_scope(actor, Action.CHANGE, TransferLetter.objects.all(), [letter.pk])
    return letter


def _locked_letter(letter: TransferLetter) -> TransferLetter:
    return (
        TransferLetter.objects.select_for_update(of=("self",))
        .select_related("org", "counterpart_org", "membership__person", "membership__org")
        .get(pk=letter.pk)
    )


def _open_out_errors(letter: TransferLetter) -> Errors:
    if letter.direction != LetterDirection.OUT or letter.status != LetterStatus.ISSUED:
        return {"status": _("Only an issued letter out that is still open can be received or returned.")}
    return {}


@transaction.atomic
def letter_receive(*, actor: Any, letter: TransferLetter, received_date: dt.date) -> TransferLetter:
    """The destination received the letter: the membership ends here (member_leave, "transferred
    out"), or moves to the destination when it is an org in the system (member_transfer)."""
    letter = _locked_letter(letter)
    require(actor, Action.CHANGE, letter.org)
    membership = letter.membership
    errors = _open_out_errors(letter)
    errors.update(member_errors(membership, party_member=False))
    if not errors and not membership.org.path.startswith(letter.org.path):
        errors["membership"] = _(
            "The member has moved to %(org)s since the letter was issued; record the letter's return."
        ) % {"org": membership.org.name}
    errors.update(
        date_errors(
            "received_date", received_date, not_before=letter.issue_date, before_label=_("issue date")
        )
    )
    destination = letter.counterpart_org
    if destination is not None and not can(actor, Action.CHANGE, destination):
        errors["counterpart_org"] = _(
            "The destination %(org)s is outside your organizations: its administrator, or the committee "
            "above both, records the receipt."
        ) % {"org": destination.name}
    raise_errors(errors)
    before = audit.snapshot(letter)
    letter.status, letter.received_date = LetterStatus.RECEIVED, received_date
    letter.save(update_fields=["status", "received_date", "updated"])
    _audit(actor, letter, before, action="transfer_letter.receive")
    note = _("Letter %(number)s to %(to)s") % {"number": letter.number, "to": letter.counterpart_name}
    try:
        if destination is not None:
            people.member_transfer(
                actor=actor, membership=membership, to_org=destination, date=received_date, reason=note
            )
        else:
            people.member_leave(
                actor=actor,
                membership=membership,
                reason=LeaveReason.TRANSFER_OUT,
                date=received_date,
                note=note,
            )
    except ValidationError as exc:  # the date is the receipt date on the form
        if hasattr(exc, "error_dict") and "date" in exc.error_dict:
            exc.error_dict["received_date"] = exc.error_dict.pop("date")
        raise
    return letter


@transaction.atomic
def letter_return(*, actor: Any, letter: TransferLetter, returned_date: dt.date, note: str) -> TransferLetter:
    """The letter came back unused (refused, expired, the move cancelled): the membership stays."""
    letter = _locked_letter(letter)
    require(actor, Action.CHANGE, letter.org)
    errors = _open_out_errors(letter)
    errors.update(
        date_errors(
            "returned_date", returned_date, not_before=letter.issue_date, before_label=_("issue date")
        )
    )
    errors.update(required_text("note", note, _("Say why the letter came back.")))
    raise_errors(errors)
    before = audit.snapshot(letter)
    letter.status, letter.returned_date, letter.note = LetterStatus.RETURNED, returned_date, note.strip()
    letter.save(update_fields=["status", "returned_date", "note", "updated"])
    _audit(actor, letter, before, action="transfer_letter.return", message=letter.note)
    return letter


def _incoming_errors(org: Org, data: LetterIn, days: int) -> Errors:
    errors = _letter_errors(org, LetterDirection.IN, data.number.strip(), data.issue_date, days)
    errors.update(
        required_text(
            "counterpart_name", data.counterpart_name, _("Name the organization that issued the letter.")
        )
    )
    if "issue_date" not in errors:
        errors.update(
            date_errors(
                "received_date", data.received_date, not_before=data.issue_date, before_label=_("issue date")
            )
        )
        expiry = rules.valid_until(data.issue_date, days)
        if "received_date" not in errors and data.received_date > expiry:
            errors["received_date"] = _(
                "The letter was valid until %(date)s; ask the issuing organization for a new one (MEM-03)."
            ) % {"date": expiry.isoformat()}
    return errors


def _save_incoming(actor: Any, membership: Membership, data: LetterIn, days: int) -> TransferLetter:
    letter = TransferLetter(
        org=membership.org,
        membership=membership,
        direction=LetterDirection.IN,
        number=data.number.strip(),
        counterpart_name=data.counterpart_name.strip(),
        issue_date=data.issue_date,
        valid_days=days,
        valid_until=rules.valid_until(data.issue_date, days),
        status=LetterStatus.RECEIVED,
        received_date=data.received_date,
        reason=clean_text(data.reason),
    )
    letter.full_clean()
    letter.save()
    _audit(actor, letter, action="transfer_letter.receive_in")
    ensure_in_scope(actor, Action.CHANGE, TransferLetter.objects.all(), [letter.pk])
    return letter


@transaction.atomic
def letter_in_new_member(
    *, actor: Any, org: Org, letter: LetterIn, person_data: dict[str, Any], membership_data: dict[str, Any]
) -> TransferLetter:
    """Receive a member from outside the system: record the person (member_create) and the letter.
    Someone recorded here before whose membership ended (transferred out, now back) is re-admitted on
    their existing record, which keeps the earlier history. Every error, of the letter
    and of the member record, is reported at once."""
    require(actor, Action.CHANGE, org)
    days = letter.valid_days if letter.valid_days is not None else rules.letter_days()
    errors = _incoming_errors(org, letter, days)
    person, membership = people.build_member(
        org=org, person_data=person_data, membership_data=membership_data
    )
    returning = people.returning_person(person)
    if returning is not None:
        membership.person = returning
        person = returning
        errors.update(people.rejoin_errors(returning))
    for key, message in people.member_errors(person, membership, check_duplicates=returning is None).items():
        errors.setdefault(key, message)
    if membership.status and membership.status not in PARTY_MEMBER_STATUSES:
        errors["status"] = _("A letter of introduction moves a Party member: probationary or full.")
    raise_errors(errors)
    if returning is not None:
        created = people.member_rejoin(
            actor=actor,
            person=returning,
            org=org,
            membership_data=membership_data,
            date=letter.received_date,
            reason=_("Back with letter %(number)s from %(org)s")
            % {"number": letter.number.strip(), "org": letter.counterpart_name.strip()},
        )
    else:
        created = people.member_create(
            actor=actor, org=org, person_data=person_data, membership_data=membership_data
        )
    return _save_incoming(actor, created, letter, days)


@transaction.atomic
def letter_in_existing(*, actor: Any, membership: Membership, letter: LetterIn) -> TransferLetter:
    """Record the incoming letter of a member already recorded here (e.g. by an import)."""
    membership = locked_membership(membership)
    require(actor, Action.CHANGE, membership.org)
    days = letter.valid_days if letter.valid_days is not None else rules.letter_days()
    errors = member_errors(membership)
    if TransferLetter.objects.filter(membership=membership, direction=LetterDirection.IN).exists():
        errors["membership"] = _("An incoming letter is already recorded for this member.")
    errors.update(_incoming_errors(membership.org, letter, days))
    raise_errors(errors)
    return _save_incoming(actor, membership, letter, days)
