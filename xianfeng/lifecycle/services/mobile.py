"""Members away without transferring their record (流动党员, MEM-04/05): registration, contact log,
return. The contact phone is encrypted at rest and censored in the audit log."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ensure_in_scope, require
from xianfeng.lifecycle.choices import AwayReason, ContactMethod
from xianfeng.lifecycle.models import MobileContact, MobileRecord
from xianfeng.lifecycle.services._common import (
    Errors,
    clean_text,
    date_errors,
    locked_membership,
    member_errors,
    raise_errors,
    required_text,
)
from xianfeng.people.models import Membership

# Mainland mobile or landline numbers, and international numbers for members abroad.
PHONE_RE = re.compile(r"^\+?[0-9][0-9 \-]{5,22}[0-9]$")


def _locked_record(record: MobileRecord) -> MobileRecord:
    return (
        MobileRecord.objects.select_for_update(of=("self",))
        .select_related("membership__org", "membership__person")
        .get(pk=record.pk)
    )


def _audit(
    actor: Any, record: MobileRecord, before: Any = None, after: Any = None, *, action: str, message: str = ""
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=record,
        org=record.membership.org,
        before=before,
        after=after if after is not None else audit.snapshot(record),
        message=message,
        target_repr=f"{record.membership.person} · {record.place}",
    )


def _detail_errors(
    start_date: dt.date, place: str, reason: str, contact_phone: str, expected_return: dt.date | None
) -> Errors:
    errors: Errors = {}
    errors.update(date_errors("start_date", start_date))
    errors.update(required_text("place", place, _("Say where the member is.")))
    if reason not in AwayReason.values:
        errors["reason"] = _("Choose the reason for being away.")
    if contact_phone and not PHONE_RE.match(contact_phone):
        errors["contact_phone"] = _("Enter a phone number: digits, optionally starting with + for abroad.")
    if expected_return is not None and start_date is not None and expected_return <= start_date:
        errors["expected_return"] = _("The expected return must be after the date the member left.")
    return errors


@transaction.atomic
def mobile_start(
    *,
    actor: Any,
    membership: Membership,
    start_date: dt.date,
    place: str,
    reason: str,
    contact_person: str = "",
    contact_phone: str = "",
    expected_return: dt.date | None = None,
    note: str = "",
) -> MobileRecord:
    """Record that a member is away (working, studying or living elsewhere or abroad)."""
    membership = locked_membership(membership)
    require(actor, Action.CHANGE, membership.org)
    place, contact_phone = place.strip(), contact_phone.strip()
    errors: Errors = member_errors(membership)
    if MobileRecord.objects.filter(membership=membership, return_date__isnull=True).exists():
        errors["membership"] = _("The member is already recorded as away; record the return first.")
    errors.update(_detail_errors(start_date, place, reason, contact_phone, expected_return))
    raise_errors(errors)
    record = MobileRecord(
        membership=membership,
        start_date=start_date,
        place=place,
        reason=reason,
        contact_person=contact_person.strip(),
        contact_phone=contact_phone,
        expected_return=expected_return,
        note=clean_text(note),
    )
    record.full_clean()
    record.save()
    _audit(actor, record, action="mobile.start")
    ensure_in_scope(actor, Action.CHANGE, MobileRecord.objects.all(), [record.pk])
    return record


@transaction.atomic
def mobile_contact_add(
    *, actor: Any, record: MobileRecord, date: dt.date, method: str, note: str = ""
) -> MobileContact:
    """Log a contact with a member who is away (at least every 6 months when abroad, MEM-05)."""
    record = _locked_record(record)
    require(actor, Action.CHANGE, record.membership.org)
    errors: Errors = member_errors(record.membership, party_member=False)
    if record.return_date is not None:
        errors["record"] = _("The member has returned; contacts are logged while the member is away.")
    errors.update(
        date_errors("date", date, not_before=record.start_date, before_label=_("date the member left"))
    )
    if method not in ContactMethod.values:
        errors["method"] = _("Choose how the contact was made.")
    raise_errors(errors)
    contact = MobileContact(record=record, date=date, method=method, note=clean_text(note))
    contact.full_clean()
    contact.save()
    _audit(
        actor,
        record,
        action="mobile.contact",
        after=audit.snapshot(contact),
        message=f"{date.isoformat()} {contact.get_method_display()}",
    )
    ensure_in_scope(actor, Action.CHANGE, MobileContact.objects.all(), [contact.pk])
    return contact


@transaction.atomic
def mobile_return(*, actor: Any, record: MobileRecord, return_date: dt.date, note: str = "") -> MobileRecord:
    """The member is back (or has transferred the record): the time away ends."""
    record = _locked_record(record)
    require(actor, Action.CHANGE, record.membership.org)
    errors: Errors = {}
    if record.return_date is not None:
        errors["record"] = _("The return is already recorded.")
    errors.update(
        date_errors(
            "return_date", return_date, not_before=record.start_date, before_label=_("date the member left")
        )
    )
    raise_errors(errors)
    before = audit.snapshot(record)
    record.return_date, record.return_note = return_date, clean_text(note)
    record.save(update_fields=["return_date", "return_note", "updated"])
    _audit(actor, record, action="mobile.return", before=before)
    return record


@transaction.atomic
def mobile_update(
    *,
    actor: Any,
    record: MobileRecord,
    reason_for_change: str,
    start_date: dt.date,
    place: str,
    reason: str,
    contact_person: str = "",
    contact_phone: str = "",
    expected_return: dt.date | None = None,
    note: str = "",
) -> MobileRecord:
    """Correct or update the details of a time away that is still open (a new place or phone, a
    later expected return, a wrong date), with the reason for the change, audited before and after."""
    record = _locked_record(record)
    require(actor, Action.CHANGE, record.membership.org)
    place, contact_phone, why = place.strip(), contact_phone.strip(), reason_for_change.strip()
    errors: Errors = {}
    if record.return_date is not None:
        errors["record"] = _("The return is already recorded; the time away is kept as history.")
    errors.update(_detail_errors(start_date, place, reason, contact_phone, expected_return))
    first_contact = record.contacts.order_by("date").values_list("date", flat=True).first()
    if first_contact is not None and start_date is not None and start_date > first_contact:
        errors["start_date"] = _("A contact is logged on %(day)s: the member left before it.") % {
            "day": first_contact.isoformat()
        }
    errors.update(required_text("reason_for_change", why, _("Say why the record changes.")))
    raise_errors(errors)
    before = audit.snapshot(record)
    record.start_date, record.place, record.reason = start_date, place, reason
    record.contact_person, record.contact_phone = contact_person.strip(), contact_phone
    record.expected_return, record.note = expected_return, clean_text(note)
    record.full_clean()
    record.save()
    _audit(actor, record, action="mobile.update", before=before, message=why)
    return record
