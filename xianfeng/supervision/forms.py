"""Forms of the supervision pages. They only collect input: supervision.services validates and
writes, and a service's errors land under the fields they name (core.forms.XianfengForm)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.forms import XianfengForm, date_input
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Post
from xianfeng.people.models import Membership, Person
from xianfeng.supervision.models import (
    OrderKind,
    PlanKind,
    RectificationCategory,
    RectificationSource,
    ResponsibilityKind,
)


def _date(label: Any, *, required: bool = True, today: bool = False, **kwargs: Any) -> forms.DateField:
    if today:
        kwargs["initial"] = timezone.localdate
    return forms.DateField(label=label, required=required, widget=date_input(), **kwargs)


def _text(label: Any, *, required: bool = False, rows: int = 3, **kwargs: Any) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows}), **kwargs
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several evidence files at once (PDF, Office, JPEG/PNG; checked by the services)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


def orgs_under(top: Org, *, strictly: bool = False) -> QuerySet[Org]:
    qs = Org.objects.filter(path__startswith=top.path, status=OrgStatus.ACTIVE).exclude(
        org_type=OrgType.PARTY_GROUP
    )
    if strictly:
        qs = qs.exclude(pk=top.pk)
    return qs.order_by("path")


def people_under(top: Org) -> QuerySet[Person]:
    members = Membership.objects.filter(left_date__isnull=True, org__path__startswith=top.path)
    return Person.objects.filter(pk__in=members.values("person_id")).order_by("name", "pk")


class OrgLabelChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return "\u3000" * max(obj.depth - 1, 0) + obj.name


class OrgsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return obj.name


class TaskListForm(XianfengForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    issued_on = _date(_("Issued on"), today=True)
    categories = _text(
        _("Categories (one a line)"),
        rows=4,
        help_text=_("e.g. 党风廉政建设, 组织建设… Items may be added to them later."),
    )
    note = _text(_("Note"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year

    def category_names(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data.get("categories", "").splitlines() if line.strip()]


class ItemForm(XianfengForm):
    category = forms.ChoiceField(label=_("Category"), required=False)
    title = _text(_("Task"), required=True, rows=2)
    lead_org = OrgLabelChoiceField(label=_("Lead organization"), queryset=Org.objects.none())
    lead_person = forms.ModelChoiceField(
        label=_("Person responsible"), queryset=Person.objects.none(), required=False
    )
    collaborators = OrgsField(
        label=_("Collaborating organizations"),
        queryset=Org.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    deadline = _date(_("Deadline"))
    acceptance = _text(_("Acceptance criterion"), rows=2)
    milestones = _text(
        _("Milestones (one a line: date and step)"),
        rows=3,
        help_text=_("e.g. “2026-03-31 完成方案”."),
    )

    def __init__(self, *args: Any, task_list: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [("", "—"), *((c.name, c.name) for c in task_list.categories.all())]
        self.fields["lead_org"].queryset = orgs_under(task_list.org)  # type: ignore[attr-defined]
        self.fields["collaborators"].queryset = orgs_under(task_list.org)  # type: ignore[attr-defined]
        self.fields["lead_person"].queryset = people_under(task_list.org)  # type: ignore[attr-defined]

    def clean_milestones(self) -> list[tuple[Any, str]]:
        import datetime as dt

        out = []
        for line in self.cleaned_data.get("milestones", "").splitlines():
            line = line.strip()
            if not line:
                continue
            day, _sep, title = line.partition(" ")
            try:
                out.append((dt.date.fromisoformat(day), title.strip()))
            except ValueError:
                raise forms.ValidationError(
                    _("Write each milestone as a date (YYYY-MM-DD), a space and the step: “%(line)s”.")
                    % {"line": line}
                ) from None
        return out


class ProgressForm(XianfengForm):
    text = _text(_("Progress"), required=True)
    percent = forms.IntegerField(label=_("Progress (%)"), min_value=0, max_value=100)
    evidence_files = MultipleFileField(
        label=_("Evidence files"), help_text=_("PDF, Word, Excel, PowerPoint, JPEG or PNG.")
    )


class ResponseForm(XianfengForm):
    response = _text(
        _("Response"), required=True, help_text=_("What was done, against the acceptance criterion.")
    )


class NoteForm(XianfengForm):
    note = _text(_("Note"))


class ReturnForm(XianfengForm):
    note = _text(_("What is still missing"), required=True)


class ImportForm(XianfengForm):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


class BatchForm(XianfengForm):
    source = forms.ChoiceField(label=_("Source"), choices=RectificationSource.choices)
    title = forms.CharField(
        label=_("Batch"), max_length=200, help_text=_("e.g. 2026年公司党委第一巡察组反馈问题")
    )
    issued_on = _date(_("Issued on"), today=True)


class RectificationForm(XianfengForm):
    problem = _text(_("Problem"), required=True)
    category = forms.ChoiceField(label=_("Category"), choices=RectificationCategory.choices)
    responsible_org = OrgLabelChoiceField(label=_("Responsible organization"), queryset=Org.objects.none())
    responsible_person = forms.ModelChoiceField(
        label=_("Person responsible"), queryset=Person.objects.none(), required=False
    )
    measures = _text(_("Measures"))
    immediate = forms.BooleanField(label=_("Rectify at once (立行立改)"), required=False)
    deadline = _date(
        _("Deadline"), required=False, help_text=_("Left empty for 立行立改: the short deadline applies.")
    )

    def __init__(self, *args: Any, batch: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["responsible_org"].queryset = orgs_under(batch.org)  # type: ignore[attr-defined]
        self.fields["responsible_person"].queryset = people_under(batch.org)  # type: ignore[attr-defined]


class SubmitForm(XianfengForm):
    evidence = _text(_("Evidence"), required=True, help_text=_("What was done, with documents and dates."))
    evidence_files = MultipleFileField(
        label=_("Evidence files"), help_text=_("PDF, Word, Excel, PowerPoint, JPEG or PNG.")
    )


class VerifyForm(XianfengForm):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            ("accept", _("Accept: verified and closed")),
            ("reject", _("Not accepted: back to rectification")),
        ],
        widget=forms.RadioSelect,
    )
    note = _text(_("Verification note"))


class OrderForm(XianfengForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=OrderKind.choices)
    recipient_org = OrgLabelChoiceField(label=_("Recipient organization"), queryset=Org.objects.none())
    reason = _text(_("Reason"), required=True)
    deadline = _date(_("Response due"))
    deduction = forms.DecimalField(
        label=_("Deduction (points)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("Assessment only: recorded in the evaluation scheme."),
    )

    def __init__(self, *args: Any, issuer: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["recipient_org"].queryset = orgs_under(issuer, strictly=True)  # type: ignore[attr-defined]


class EscalateForm(XianfengForm):
    reason = _text(_("Reason"), required=True)
    deadline = _date(_("Response due"))
    deduction = forms.DecimalField(
        label=_("Deduction (points)"),
        required=False,
        min_value=0,
        max_digits=6,
        decimal_places=2,
        help_text=_("Assessment only: recorded in the evaluation scheme."),
    )


class ResponsibilityListForm(XianfengForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=ResponsibilityKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    post = forms.ChoiceField(label=_("Post"), choices=[("", "—"), *Post.choices], required=False)
    person = forms.ModelChoiceField(label=_("Person"), queryset=Person.objects.none(), required=False)
    content = _text(_("Responsibilities (one a line)"), required=True, rows=6)

    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["person"].queryset = people_under(org)  # type: ignore[attr-defined]


class PledgeForm(XianfengForm):
    title = forms.CharField(label=_("Title"), max_length=200, initial="全面从严治党责任书")
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    signer = forms.ModelChoiceField(label=_("Signer"), queryset=Person.objects.none())
    content = _text(_("Content"), required=True, rows=6)

    def __init__(self, *args: Any, org: Org, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["signer"].queryset = people_under(org)  # type: ignore[attr-defined]


class ThemeForm(XianfengForm):
    month = _date(_("Month (any day of it)"), today=True)
    theme = forms.CharField(label=_("Theme"), max_length=200)
    measures = _text(_("Measures"))


class PlanForm(XianfengForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=PlanKind.choices)
    period = _date(_("Week or month (any day of it)"), today=True)
    content = _text(_("Content"), required=True, rows=6)


class MeasuresForm(XianfengForm):
    measures = _text(_("Measures"), required=True, rows=5)
