"""Forms of the lifecycle pages. They only collect input: lifecycle.services validates and writes,
and a service's errors land under the fields they name (core.forms.XianfengForm)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from xianfeng.core.forms import XianfengForm, date_input
from xianfeng.core.roles import Action
from xianfeng.lifecycle import rules
from xianfeng.lifecycle.choices import AwayReason, ContactMethod, SuspensionReason
from xianfeng.lifecycle.info import KINDS
from xianfeng.lifecycle.services import LetterIn
from xianfeng.orgs.choices import MEMBER_HOLDING_TYPES
from xianfeng.orgs.models import Org
from xianfeng.people.forms import MemberCreateForm
from xianfeng.people.models import Membership

MAX_ORG_CHOICES = 300


def _date(label: Any, *, required: bool = True, today: bool = False, **kwargs: Any) -> forms.DateField:
    if today:
        kwargs["initial"] = timezone.localdate
    return forms.DateField(label=label, required=required, widget=date_input(), **kwargs)


def _text(label: Any, *, required: bool = False, rows: int = 2, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


def _choices(choices: Any) -> list[tuple[str, Any]]:
    return [("", "—"), *choices]


# --- transfer letters ------------------------------------------------------------------------------


class LetterOutForm(XianfengForm):
    number = forms.CharField(label=_("Letter number"), max_length=64)
    counterpart_name = forms.CharField(
        label=_("Receiving organization"),
        max_length=200,
        required=False,
        help_text=_("As written on the letter, e.g. the party committee of the new employer."),
    )
    counterpart_org: forms.ModelChoiceField[Org] = forms.ModelChoiceField(
        label=_("Receiving organization in this system"),
        queryset=Org.objects.none(),
        required=False,
        help_text=_(
            "Only when the destination is an organization in this system: on receipt the member is moved "
            "there instead of leaving the system."
        ),
    )
    issue_date = _date(_("Issue date"), today=True)
    valid_days = forms.IntegerField(label=_("Validity (days)"), min_value=1, max_value=rules.MAX_LETTER_DAYS)
    reason = _text(_("Reason for the transfer"), help_text=_("E.g. a new job, further study, moving home."))

    def __init__(self, *args: Any, user: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_days"].initial = rules.letter_days()
        field = self.fields["counterpart_org"]
        orgs = (
            Org.objects.restrict(user, Action.VIEW)
            .active()
            .filter(org_type__in=MEMBER_HOLDING_TYPES)
            .exclude(pk=membership.org_id)
        )
        field.queryset = orgs.filter(pk__in=list(orgs.values_list("pk", flat=True)[:MAX_ORG_CHOICES]))  # type: ignore[attr-defined]
        field.empty_label = _("Outside the system")  # type: ignore[attr-defined]


class ReceiveForm(XianfengForm):
    received_date = _date(
        _("Received on"), today=True, help_text=_("The day the receiving organization took the member in.")
    )


class LetterReturnForm(XianfengForm):
    returned_date = _date(_("Returned on"), today=True)
    note = _text(_("Why the letter came back"), required=True)


LETTER_IN_FIELDS = ("number", "counterpart_name", "issue_date", "valid_days", "received_date", "reason")


class LetterInFieldsMixin(forms.Form):
    number = forms.CharField(label=_("Letter number"), max_length=64)
    counterpart_name = forms.CharField(label=_("Issuing organization"), max_length=200)
    issue_date = _date(_("Issue date"))
    valid_days = forms.IntegerField(
        label=_("Validity (days)"),
        min_value=1,
        max_value=rules.MAX_LETTER_DAYS,
        help_text=_("As written on the letter."),
    )
    received_date = _date(_("Received on"), today=True)
    reason = _text(_("Reason for the transfer"))

    def letter(self) -> LetterIn:
        data = self.cleaned_data
        return LetterIn(
            number=data["number"],
            counterpart_name=data["counterpart_name"],
            issue_date=data["issue_date"],
            received_date=data["received_date"],
            valid_days=data["valid_days"],
            reason=data["reason"],
        )


class LetterInForm(LetterInFieldsMixin, XianfengForm):
    """The incoming letter of a member already recorded."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_days"].initial = rules.letter_days()


class LetterInNewMemberForm(LetterInFieldsMixin, MemberCreateForm):
    """The incoming letter and the new member's record on one page."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["valid_days"].initial = rules.letter_days()
        self.fields["status"].help_text = _("Probationary or full member, with the key dates on the letter.")

    fieldset_layout = (  # type: ignore[assignment]
        (_("Letter of introduction"), LETTER_IN_FIELDS),
        *MemberCreateForm.fieldset_layout,
    )


# --- time away ---------------------------------------------------------------------------------------


class MobileStartForm(XianfengForm):
    start_date = _date(_("Away since"))
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("City, employer or school, country.")
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=_choices(AwayReason.choices))
    contact_person = forms.CharField(label=_("Contact person"), max_length=50, required=False)
    contact_phone = forms.CharField(
        label=_("Contact phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    expected_return = _date(_("Expected return"), required=False)
    note = _text(_("Note"))


class MobileUpdateForm(MobileStartForm):
    reason_for_change = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        help_text=_("E.g. moved to another city, new phone number, date entered wrongly."),
    )


class ContactForm(XianfengForm):
    date = _date(_("Date"), today=True)
    method = forms.ChoiceField(label=_("How"), choices=_choices(ContactMethod.choices))
    note = _text(_("What was discussed"))


class MobileReturnForm(XianfengForm):
    return_date = _date(_("Returned on"), today=True)
    note = _text(_("Note"), help_text=_("E.g. back at work here, or the record was transferred."))


# --- suspension --------------------------------------------------------------------------------------


class SuspensionForm(XianfengForm):
    reason = forms.ChoiceField(label=_("Ground"), choices=_choices(SuspensionReason.choices))
    since = _date(
        _("Abroad since / last contact"),
        help_text=_("The day the member went abroad, or the last contact before the search."),
    )
    start_date = _date(_("Suspended from"), today=True)
    note = _text(
        _("Decision and basis"), required=True, help_text=_("The meeting that decided it, the search made.")
    )


class RestoreForm(XianfengForm):
    restored_date = _date(_("Restored on"), today=True)
    note = _text(_("Decision and basis"), required=True)


class RemovalForm(XianfengForm):
    date = _date(_("Removed on"), today=True)
    note = _text(
        _("Decision and basis"), help_text=_("The branch meeting's decision and the approval above it.")
    )


# --- info sets ---------------------------------------------------------------------------------------


def _formfield(db_field: models.Field[Any, Any], **kwargs: Any) -> forms.Field | None:
    if isinstance(db_field, models.DateField):
        return forms.DateField(
            label=capfirst(db_field.verbose_name),
            required=not db_field.blank,
            widget=date_input(),
        )
    if isinstance(db_field, models.TextField):
        kwargs["widget"] = forms.Textarea(attrs={"rows": 2})
    return db_field.formfield(**kwargs)


@cache
def info_form_class(key: str) -> type[XianfengForm]:
    """A form with the kind's fields, labels and choices from its model."""
    kind = KINDS[key]
    fields = forms.fields_for_model(kind.model, fields=kind.fields, formfield_callback=_formfield)
    return type(f"{kind.model.__name__}Form", (XianfengForm,), dict(fields))
