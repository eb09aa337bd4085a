from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership

Errors = dict[str, str]


def today() -> dt.date:
    return timezone.localdate()


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def locked_membership(membership: Membership) -> Membership:
    """The membership row, locked for the transaction (one writer per member at a time)."""
    return (
        Membership.objects.select_for_update(of=("self",))
        .select_related("org", "person")
        .get(pk=membership.pk)
    )


def member_errors(membership: Membership, *, party_member: bool = True) -> Errors:
    """A lifecycle record needs a current member; most need a party member (not an applicant…)."""
    if not membership.is_current:
        return {"membership": _("This person has left; the record is kept as history and cannot be changed.")}
    if party_member and membership.status not in PARTY_MEMBER_STATUSES:
        return {
            "membership": _(
                "Only Party members (probationary or full) have a membership to transfer or suspend."
            )
        }
    return {}


def date_errors(
    field: str, value: dt.date | None, *, not_before: dt.date | None = None, before_label: str = ""
) -> Errors:
    """Not in the future, and not before `not_before` (named by `before_label`)."""
    if value is None:
        return {field: _("This date is required.")}
    if value > today():
        return {field: _("This date cannot be in the future.")}
    if not_before is not None and value < not_before:
        return {
            field: _("This date cannot be before the %(what)s (%(date)s).")
            % {"what": before_label, "date": not_before.isoformat()}
        }
    return {}


def required_text(field: str, value: str, message: str) -> Errors:
    return {} if value.strip() else {field: message}


def clean_text(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value
