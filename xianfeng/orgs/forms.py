"""Forms for the organization pages. They only collect input; orgs.services validates and writes."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from xianfeng.core.forms import XianfengForm, date_input
from xianfeng.orgs.choices import ALLOWED_PARENTS, ALLOWED_TERM_YEARS, OrgType
from xianfeng.orgs.models import Org


def _model_field(name: str, **kwargs: Any) -> forms.Field:
    """The form field Django derives from the model (label, length, required), unbound to a model."""
    model_field = Org._meta.get_field(name)
    assert isinstance(model_field, models.Field)
    if model_field.get_internal_type() == "DateField":
        kwargs.setdefault("widget", date_input())
    field = model_field.formfield(**kwargs)
    assert field is not None
    return field


def _term_years_field() -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=capfirst(Org._meta.get_field("term_years").verbose_name),
        choices=[("", _("No elected term")), *((n, _("%(n)s years") % {"n": n}) for n in ALLOWED_TERM_YEARS)],
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("Left empty, the default term for the type is used when a term start is given."),
    )


def child_types(parent: Org | None) -> list[tuple[str, Any]]:
    """The types that may sit under `parent` (orgs.choices.ALLOWED_PARENTS)."""
    parent_type = parent.org_type if parent is not None else None
    return [(value, label) for value, label in OrgType.choices if parent_type in ALLOWED_PARENTS[value]]


class OrgEditForm(XianfengForm):
    """The fields orgs.services.org_update accepts (EDITABLE_FIELDS)."""

    name = _model_field("name")
    short_name = _model_field("short_name")
    code = _model_field("code")
    business_unit = _model_field("business_unit")
    founded_date = _model_field("founded_date")
    term_start = _model_field("term_start")
    term_years = _term_years_field()

    @classmethod
    def initial_for(cls, org: Org) -> dict[str, Any]:
        return {name: getattr(org, name) for name in cls.base_fields}


class OrgCreateForm(OrgEditForm):
    org_type = forms.ChoiceField(label=capfirst(Org._meta.get_field("org_type").verbose_name))

    field_order = ["org_type", "name", "short_name", "code"]

    def __init__(self, *args: Any, parent: Org | None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = child_types(parent)
        type_field = self.fields["org_type"]
        assert isinstance(type_field, forms.ChoiceField)
        type_field.choices = choices
        if len(choices) == 1:
            type_field.initial = choices[0][0]


class ParentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Org) -> str:  # type: ignore[override]
        return "{indent}{name} ({code})".format(
            indent="\u3000" * (obj.depth - 1), name=obj.name, code=obj.code
        )


class OrgMoveForm(XianfengForm):
    parent = ParentChoiceField(
        queryset=Org.objects.none(),
        label=_("New parent organization"),
        help_text=_("Only organizations you manage and that may hold this type are listed."),
    )

    def __init__(self, *args: Any, parents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent_field = self.fields["parent"]
        assert isinstance(parent_field, forms.ModelChoiceField)
        parent_field.queryset = parents


class OrgDissolveForm(XianfengForm):
    date = forms.DateField(label=_("Dissolution date"), widget=date_input(), initial=timezone.localdate)
    reason = forms.CharField(label=_("Reason for the dissolution"), widget=forms.Textarea(attrs={"rows": 3}))


class OrgSearchForm(XianfengForm):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    org_type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *OrgType.choices]
    )
    term = forms.ChoiceField(
        label=_("Term"), required=False, choices=[("", _("Any term")), ("due", _("Due or expired"))]
    )

    def is_search(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.values())
