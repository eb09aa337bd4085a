"""Forms of the activity-kind pages. They collect input; activities.services.kinds validates and writes,
and its errors land under the fields they name (core.forms.XianfengForm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.activities.choices import Audience, KindCategory, Metric, Quorum
from xianfeng.activities.models import ActivityKind
from xianfeng.core.forms import XianfengForm
from xianfeng.orgs.choices import OrgType

FLAGS = ("has_attendance", "has_agenda", "has_hours", "has_lecturer", "is_talk")


def _flag(label: Any, **kwargs: Any) -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, **kwargs)


class KindOrderForm(XianfengForm):
    """What a built-in kind lets the enterprise change: whether it is offered, and where it is listed."""

    # Not IntegerField(min_value=0): the service's rule is the message the user reads.
    order = forms.IntegerField(
        label=_("Order"), help_text=_("Kinds are listed from the lowest number up."), initial=100
    )
    active = _flag(_("Active (offered when planning)"), initial=True)

    @classmethod
    def initial_for(cls, kind: ActivityKind) -> dict[str, Any]:
        return {name: getattr(kind, name) for name in cls.base_fields}

    def data_for_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


class KindForm(KindOrderForm):
    """An enterprise kind; `active` only when editing (a new kind is active)."""

    code = forms.CharField(
        label=_("Code"),
        max_length=40,
        help_text=_(
            "A short name of letters, digits, hyphens and underscores, used in addresses and the API."
        ),
    )
    name = forms.CharField(label=_("Name"), max_length=60)
    category = forms.ChoiceField(label=_("Category"), choices=KindCategory.choices)
    audience = forms.ChoiceField(label=_("Expected attendees"), choices=Audience.choices)
    quorum = forms.ChoiceField(label=_("Quorum rule"), choices=Quorum.choices, initial=Quorum.NONE)
    org_types = forms.MultipleChoiceField(
        label=_("Held by (none ticked: any organization)"),
        choices=OrgType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    has_attendance = _flag(_("Records attendance"), initial=True)
    has_agenda = _flag(_("Has agenda items"))
    has_hours = _flag(_("Counts study hours"))
    has_lecturer = _flag(_("Has a lecturer"))
    is_talk = _flag(_("Is a talk between two people"))
    metrics = forms.MultipleChoiceField(
        label=_("Figures recorded"),
        choices=Metric.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    field_order = ["code", "name", "category", "audience", "quorum", "org_types", *FLAGS, "metrics", "order"]

    def __init__(self, *args: Any, creating: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["active"]
