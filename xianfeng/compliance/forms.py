"""Forms of the compliance pages. They collect input; compliance.services validates and writes."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.activities.choices import TopicTag
from xianfeng.activities.models import ActivityKind
from xianfeng.compliance.catalogue import DATA_DIR
from xianfeng.compliance.models import Condition, Obligation, SubjectKind
from xianfeng.compliance.periods import PeriodKind
from xianfeng.core.forms import XianfengForm, add_service_errors, date_input
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Post
from xianfeng.people.models import Person

__all__ = ["add_service_errors"]

SHIPPED_PROFILES = {"seed004": DATA_DIR / "seed004.json"}


class KindChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: ActivityKind) -> str:  # type: ignore[override]
        return obj.name


class ObligationForm(XianfengForm):
    code = forms.SlugField(
        label=_("Code"),
        max_length=60,
        help_text=_("Letters, digits and hyphens. Use the code of a local default (status L) to replace it."),
    )
    title = forms.CharField(label=_("Title"), max_length=200)
    subject = forms.ChoiceField(label=_("Subject"), choices=SubjectKind.choices)
    org_types = forms.MultipleChoiceField(
        label=_("Organization types"),
        choices=OrgType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    posts = forms.MultipleChoiceField(
        label=_("Posts (for post holders)"),
        choices=Post.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    condition = forms.ChoiceField(
        label=_("Applies when"), choices=Condition.choices, initial=Condition.ALWAYS
    )
    kinds = KindChoiceField(
        label=_("Counted activity kinds"),
        queryset=ActivityKind.objects.filter(active=True).order_by("order", "code"),
        widget=forms.CheckboxSelectMultiple,
    )
    topic_tag = forms.ChoiceField(
        label=_("Only with this topic tag"), choices=[("", _("Any topic")), *TopicTag.choices], required=False
    )
    given_by_subject = forms.BooleanField(label=_("Given by the subject (lecturer or host)"), required=False)
    at_contact_point = forms.BooleanField(label=_("Held at the subject's contact point"), required=False)
    # Not IntegerField(min_value=1): the service's rule ("at least 1") is the message the user reads.
    min_count = forms.IntegerField(label=_("Minimum count"))
    period = forms.ChoiceField(label=_("Per"), choices=PeriodKind.choices)
    deadline_month = forms.IntegerField(label=_("Deadline month (yearly only)"), required=False)
    deadline_day = forms.IntegerField(label=_("Deadline day"), required=False)
    due_soon_days = forms.IntegerField(
        label=_("Warn this many days before"), initial=7, min_value=0, max_value=366
    )
    citation = forms.CharField(label=_("Citation"), widget=forms.Textarea(attrs={"rows": 3}))
    rule_ref = forms.CharField(label=_("Rule reference"), max_length=20, required=False)
    valid_from = forms.DateField(label=_("Valid from"), widget=date_input(), initial=timezone.localdate)
    valid_to = forms.DateField(label=_("Valid to"), widget=date_input(), required=False)

    @classmethod
    def initial_for(cls, obligation: Obligation) -> dict[str, Any]:
        initial = {name: getattr(obligation, name) for name in cls.base_fields if name != "kinds"}
        initial["kinds"] = list(obligation.kinds.all())
        return initial

    def data_for_service(self) -> tuple[dict[str, Any], list[ActivityKind]]:
        data = dict(self.cleaned_data)
        kinds = list(data.pop("kinds"))
        data["rule_ref"] = data.get("rule_ref") or ""
        data["topic_tag"] = data.get("topic_tag") or ""
        return data, kinds


class ProfileForm(XianfengForm):
    code = forms.SlugField(label=_("Code"), max_length=40)
    name = forms.CharField(label=pgettext_lazy("thing", "Name"), max_length=100)
    description = forms.CharField(
        label=_("Description"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OrgChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Org) -> str:  # type: ignore[override]
        return "{indent}{name} ({code})".format(
            indent="\u3000" * (obj.depth - 1), name=obj.name, code=obj.code
        )


class AssignForm(XianfengForm):
    org = OrgChoiceField(
        queryset=Org.objects.none(),
        label=_("Organization"),
        help_text=_("The profile applies to this organization and everything below it."),
    )

    def __init__(self, *args: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["org"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = orgs


class ImportForm(AssignForm):
    shipped = forms.ChoiceField(
        label=_("Example profile"),
        required=False,
        choices=[
            ("", _("None: upload a file")),
            ("seed004", _("Seed 004: party-building responsibility system")),
        ],
    )
    file = forms.FileField(label=_("Profile file (JSON)"), required=False)

    field_order = ["shipped", "file", "org"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        shipped, upload = cleaned.get("shipped"), cleaned.get("file")
        if not shipped and not upload:
            raise forms.ValidationError(_("Choose an example profile or upload a file."))
        try:
            if upload:
                if upload.size > 1024 * 1024:
                    raise forms.ValidationError({"file": _("The file is larger than 1 MB.")})
                cleaned["data"] = json.loads(upload.read().decode("utf-8"))
            else:
                cleaned["data"] = json.loads(SHIPPED_PROFILES[str(shipped)].read_text(encoding="utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise forms.ValidationError({"file": _("The file is not valid JSON.")}) from exc
        return cleaned


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Person) -> str:  # type: ignore[override]
        return obj.name


class ContactPointForm(XianfengForm):
    person = PersonChoiceField(queryset=Person.objects.none(), label=_("Leader"))
    org = OrgChoiceField(queryset=Org.objects.none(), label=_("Contact point (branch)"))
    start_date = forms.DateField(label=_("Start date"), widget=date_input(), initial=timezone.localdate)

    def __init__(self, *args: Any, people: Any, orgs: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        person = self.fields["person"]
        assert isinstance(person, forms.ModelChoiceField)
        person.queryset = people
        org = self.fields["org"]
        assert isinstance(org, forms.ModelChoiceField)
        org.queryset = orgs


class EndDateForm(XianfengForm):
    end_date = forms.DateField(label=_("End date"), widget=date_input(), initial=timezone.localdate)


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, required=False)

    def year_or(self, default: int) -> int:
        if self.is_valid() and self.cleaned_data.get("year"):
            return int(self.cleaned_data["year"])
        return default
