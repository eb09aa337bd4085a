"""Forms of the member pages. They only collect input: people.services validates and writes.

Service errors (`ValidationError` with a field dict) are mapped back onto the form's fields, so a
rule broken in the service shows under the field it concerns and the typed input is kept.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action
from xianfeng.orgs.choices import MEMBER_HOLDING_TYPES, OrgType
from xianfeng.orgs.models import Org, OrgQuerySet
from xianfeng.people import idcard
from xianfeng.people.choices import Education, Gender, LeaveReason, PoliticalStatus, Post
from xianfeng.people.ethnicity import ETHNICITY_CHOICES
from xianfeng.people.models import Membership, Person
from xianfeng.people.services import MEMBERSHIP_FIELDS, PERSON_FIELDS

KEY_DATES = ("application_date", "activist_date", "candidate_date", "admission_date", "conversion_date")


def _date(label: Any, *, required: bool = False, **kwargs: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        **kwargs,
    )


def _label(model: type[Person] | type[Membership], name: str) -> Any:
    return capfirst(cast("models.Field[Any, Any]", model._meta.get_field(name)).verbose_name)


def _org_label(org: Org, base_depth: int) -> str:
    return "\u3000" * max(org.depth - base_depth, 0) + org.display_name


def changeable_orgs(user: Any) -> OrgQuerySet:
    """Active orgs that hold members and where the user may change records."""
    return Org.objects.restrict(user, Action.CHANGE).active().filter(org_type__in=MEMBER_HOLDING_TYPES)


def group_queryset(user: Any, org: Org | None) -> OrgQuerySet:
    """Party groups the user may place members in; of `org` only when it is known."""
    groups = Org.objects.restrict(user, Action.CHANGE).active().filter(org_type=OrgType.PARTY_GROUP)
    if org is not None:
        groups = groups.filter(path__startswith=org.path, depth=org.depth + 1)
    return groups


class PersonFieldsForm(XianfengForm):
    """A person's employee data, as on the create and the edit page."""

    name = forms.CharField(label=_label(Person, "name"), max_length=50)
    id_number = forms.CharField(
        label=_label(Person, "id_number"),
        max_length=18,
        help_text=_("18 characters; the last one may be X."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    gender = forms.ChoiceField(
        label=_label(Person, "gender"),
        choices=[("", _("From the ID number")), *Gender.choices],
        required=False,
    )
    birth_date = _date(
        _label(Person, "birth_date"), help_text=_("Leave empty to take it from the ID number.")
    )
    ethnicity = forms.ChoiceField(label=_label(Person, "ethnicity"), choices=ETHNICITY_CHOICES, initial="01")
    phone = forms.CharField(
        label=_label(Person, "phone"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
    )
    education = forms.ChoiceField(
        label=_label(Person, "education"), choices=[("", "—"), *Education.choices], required=False
    )
    employee_no = forms.CharField(label=_label(Person, "employee_no"), max_length=32, required=False)
    business_unit = forms.CharField(label=_label(Person, "business_unit"), max_length=100, required=False)
    department = forms.CharField(label=_label(Person, "department"), max_length=100, required=False)
    job_post = forms.CharField(label=_label(Person, "job_post"), max_length=100, required=False)
    hire_date = _date(_label(Person, "hire_date"))

    def person_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PERSON_FIELDS if name in self.cleaned_data}


PERSON_LAYOUT = (
    "name",
    "id_number",
    "gender",
    "birth_date",
    "ethnicity",
    "phone",
    "education",
    "employee_no",
    "business_unit",
    "department",
    "job_post",
    "hire_date",
)


class MemberCreateForm(PersonFieldsForm):
    """Person and membership on one page; the org among those the user may change."""

    org: forms.ModelChoiceField[Org] = forms.ModelChoiceField(
        label=_("Organization"), queryset=Org.objects.none()
    )
    party_group: forms.ModelChoiceField[Org] = forms.ModelChoiceField(
        label=_("Party group"), queryset=Org.objects.none(), required=False
    )
    status = forms.ChoiceField(
        label=_label(Membership, "status"), choices=[("", "—"), *PoliticalStatus.choices]
    )
    application_date = _date(_label(Membership, "application_date"))
    activist_date = _date(_label(Membership, "activist_date"))
    candidate_date = _date(_label(Membership, "candidate_date"))
    admission_date = _date(_label(Membership, "admission_date"))
    conversion_date = _date(_label(Membership, "conversion_date"))

    fieldset_layout = (
        (_("Person"), PERSON_LAYOUT),
        (_("Party membership"), ("org", "party_group", "status", *KEY_DATES)),
    )

    def __init__(self, *args: Any, user: Any, org: Org | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = changeable_orgs(user)
        field = self.fields["org"]
        field.queryset = orgs  # type: ignore[attr-defined]
        options = list(orgs)
        base = min((o.depth for o in options), default=1)
        field.label_from_instance = lambda o: _org_label(o, base)  # type: ignore[attr-defined]
        if org is None and len(options) == 1:  # a branch admin records members in their branch
            org = options[0]
        if org is not None and not self.is_bound:
            self.initial["org"] = org.pk
        chosen = self._chosen_org(orgs, org)
        set_group_choices(self.fields["party_group"], user, chosen)
        self.fields["status"].help_text = _(
            "Each status needs the key date of its stage and the earlier ones."
        )

    def _chosen_org(self, orgs: OrgQuerySet, org: Org | None) -> Org | None:
        if not self.is_bound:
            return org
        pk = self.data.get("org")
        return orgs.filter(pk=pk).first() if pk and str(pk).isdigit() else None

    def membership_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in MEMBERSHIP_FIELDS}


def set_group_choices(field: Any, user: Any, org: Org | None) -> None:
    """Party groups of `org` (or, before one is chosen, all groups the user may place members in)."""
    groups = list(group_queryset(user, org))
    parents = {
        o.path: o.display_name
        for o in Org.objects.filter(path__in={g.path[: -Org.steplen] for g in groups}).only(
            "path", "name", "short_name"
        )
    }
    field.queryset = group_queryset(user, org)  # type: ignore[attr-defined]
    if org is None:
        field.label_from_instance = (
            lambda g: (  # type: ignore[attr-defined]
                f"{parents.get(g.path[: -Org.steplen], '')} · {g.display_name}"
            )
        )
    else:
        field.label_from_instance = lambda g: g.display_name  # type: ignore[attr-defined]
    field.empty_label = _("No party group")  # type: ignore[attr-defined]


class PersonEditForm(PersonFieldsForm):
    """Employee data. ID number and phone stay masked: empty means "keep the recorded value"."""

    clear_phone = forms.BooleanField(label=_("Remove the recorded phone number"), required=False)

    fieldset_layout = ((_("Person"), (*PERSON_LAYOUT, "clear_phone")),)

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        initial = {
            name: getattr(person, name) for name in PERSON_FIELDS if name not in Person.SENSITIVE_FIELDS
        }
        super().__init__(*args, initial=initial, **kwargs)
        self.person = person
        id_field, phone_field = self.fields["id_number"], self.fields["phone"]
        id_field.required = False
        id_field.widget.attrs["placeholder"] = person.id_number_masked
        id_field.help_text = _("Leave empty to keep the recorded number; type the full number to correct it.")
        phone_field.widget.attrs["placeholder"] = person.phone_masked
        phone_field.help_text = _("Leave empty to keep the recorded number.")
        self.fields["gender"].choices = Gender.choices  # type: ignore[attr-defined]
        self.fields["gender"].required = True
        self.fields["birth_date"].required = True
        self.fields["birth_date"].help_text = _("Must agree with the ID number.")
        if not person.phone:
            del self.fields["clear_phone"]

    def person_data(self) -> dict[str, Any]:
        data = super().person_data()
        for name in Person.SENSITIVE_FIELDS:
            if not data.get(name):
                data.pop(name, None)
        if self.cleaned_data.get("clear_phone"):
            data["phone"] = ""
        new_id = data.get("id_number")
        if new_id and not {"birth_date", "gender"} & set(self.changed_data):
            try:  # a corrected ID number brings its birth date and gender unless those were edited too
                parsed = idcard.parse(new_id, today=timezone.localdate())
            except idcard.IdNumberError:
                pass
            else:
                data["birth_date"], data["gender"] = parsed.birth_date, parsed.gender
        return data


class MembershipEditForm(XianfengForm):
    """Status, key dates and party group, with the reason kept in the history."""

    status = forms.ChoiceField(label=_label(Membership, "status"), choices=PoliticalStatus.choices)
    party_group: forms.ModelChoiceField[Org] = forms.ModelChoiceField(
        label=_("Party group"), queryset=Org.objects.none(), required=False
    )
    application_date = _date(_label(Membership, "application_date"))
    activist_date = _date(_label(Membership, "activist_date"))
    candidate_date = _date(_label(Membership, "candidate_date"))
    admission_date = _date(_label(Membership, "admission_date"))
    conversion_date = _date(_label(Membership, "conversion_date"))
    reason = forms.CharField(
        label=_("Reason for the change"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Kept in the member's history, e.g. the branch meeting that decided it."),
    )

    def __init__(self, *args: Any, user: Any, membership: Membership, **kwargs: Any) -> None:
        initial = {name: getattr(membership, name) for name in MEMBERSHIP_FIELDS}
        initial["party_group"] = membership.party_group_id
        super().__init__(*args, initial=initial, **kwargs)
        set_group_choices(self.fields["party_group"], user, membership.org)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not set(self.changed_data) - {"reason"}:
            raise ValidationError(_("Nothing was changed."))
        return cleaned

    def membership_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in MEMBERSHIP_FIELDS}


class TransferForm(XianfengForm):
    to_org: forms.ModelChoiceField[Org] = forms.ModelChoiceField(
        label=_("Transfer to"),
        queryset=Org.objects.none(),
        error_messages={
            "invalid_choice": _(
                "Choose one of the listed organizations; you may only transfer to organizations you manage."
            )
        },
    )
    party_group: forms.ModelChoiceField[Org] = forms.ModelChoiceField(
        label=_("Party group"), queryset=Org.objects.none(), required=False
    )
    date = _date(_("Transfer date"), required=True, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Reason"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("E.g. a change of job or department, with the transfer letter number."),
    )

    error_field_map = {"org": "to_org"}

    def __init__(
        self, *args: Any, user: Any, membership: Membership, to_org: Org | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        orgs = changeable_orgs(user).exclude(pk=membership.org_id)
        field = self.fields["to_org"]
        field.queryset = orgs  # type: ignore[attr-defined]
        base = min((o.depth for o in orgs), default=1)
        field.label_from_instance = lambda o: _org_label(o, base)  # type: ignore[attr-defined]
        if self.is_bound:
            pk = self.data.get("to_org")
            to_org = orgs.filter(pk=pk).first() if pk and str(pk).isdigit() else None
        elif to_org is not None:
            self.initial["to_org"] = to_org.pk
        set_group_choices(self.fields["party_group"], user, to_org)


class LeaveForm(XianfengForm):
    reason = forms.ChoiceField(label=_("Reason for leaving"), choices=[("", "—"), *LeaveReason.choices])
    date = _date(_("Date left"), required=True, initial=timezone.localdate)
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when the reason is “Other”."),
    )


class PostAssignForm(XianfengForm):
    org: forms.ModelChoiceField[Org] = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=Org.objects.none(),
        help_text=_("The member's own organization, one of its party groups, or a superior organization."),
    )
    post = forms.ChoiceField(label=_("Post"), choices=[("", "—"), *Post.choices])
    start_date = _date(_("Start date"), required=True, initial=timezone.localdate)

    def __init__(self, *args: Any, user: Any, membership: Membership, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = post_orgs(user, membership.org)  # type: ignore[attr-defined]
        self.initial.setdefault("org", membership.org_id)


def post_orgs(user: Any, org: Org) -> OrgQuerySet:
    """Where a member of `org` may hold a post: the org, its party groups, its superiors."""
    ancestors = [org.path[:end] for end in range(Org.steplen, len(org.path) + 1, Org.steplen)]
    groups = Q(path__startswith=org.path, depth=org.depth + 1, org_type=OrgType.PARTY_GROUP)
    return Org.objects.restrict(user, Action.CHANGE).active().filter(Q(path__in=ancestors) | groups)


class PostEndForm(XianfengForm):
    end_date = _date(_("End date"), required=True, initial=timezone.localdate)
