"""Forms of the activity pages. They only collect input: activities.services validates and writes,
and its errors land under the fields they name (core.forms.XianfengForm)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.activities import rules, selectors
from xianfeng.activities.choices import ActivityStatus, AttendanceStatus, MajorMatter, Metric, TopicTag
from xianfeng.activities.models import Activity, ActivityKind
from xianfeng.core.forms import XianfengForm
from xianfeng.orgs.models import Org
from xianfeng.people.models import Person

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


def _datetime(label: Any, *, required: bool = True, **kwargs: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        **kwargs,
    )


def local_input(value: Any) -> str:
    return timezone.localtime(value).strftime(DATETIME_FORMAT) if value else ""


class PersonChoiceField(forms.ChoiceField):
    """A person picked from a precomputed list (no query when rendering); cleans to the Person."""

    def __init__(self, *args: Any, people: Iterable[Person] = (), **kwargs: Any) -> None:
        self.people = {str(person.code): person for person in people}
        kwargs.setdefault("required", False)
        super().__init__(*args, choices=[("", "—"), *((k, p.name) for k, p in self.people.items())], **kwargs)

    def clean(self, value: Any) -> Person | None:  # type: ignore[override]
        value = super().clean(value)
        return self.people.get(str(value)) if value else None


class OrgChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Org) -> str:  # type: ignore[override]
        return "\u3000" * max(obj.depth - 1, 0) + obj.display_name


class PlanForm(XianfengForm):
    org = OrgChoiceField(label=_("Organization"), queryset=Org.objects.none())
    kind = forms.ModelChoiceField(
        label=_("Kind of activity"), queryset=ActivityKind.objects.none(), empty_label=None
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, required=False, help_text=_("Left empty, the kind's name is used.")
    )
    planned_start = _datetime(_("Planned start"))
    planned_end = _datetime(_("Planned end"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        orgs = selectors.changeable_orgs(user)
        org_field: Any = self.fields["org"]
        org_field.queryset = orgs
        if orgs.count() == 1:
            org_field.initial = orgs.first()
        kind_field: Any = self.fields["kind"]
        kind_field.queryset = ActivityKind.objects.filter(active=True)


def _person_fields(form: XianfengForm, activity: Activity, people: list[Person]) -> None:
    for name, label in (("host", _("Host (主持人)")), ("recorder", _("Recorder (记录人)"))):
        form.fields[name] = PersonChoiceField(label=label, people=people)
    if activity.kind.has_lecturer:
        form.fields["lecturer"] = PersonChoiceField(label=_("Lecturer"), people=people)


def _person_initial(activity: Activity) -> dict[str, Any]:
    return {name: getattr(activity, f"{name}_id") for name in ("host", "recorder", "lecturer")}


class ActivityEditForm(XianfengForm):
    title = forms.CharField(label=_("Title"), max_length=200, required=False)
    planned_start = _datetime(_("Planned start"))
    planned_end = _datetime(_("Planned end"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)

    def __init__(self, *args: Any, activity: Activity, people: list[Person], **kwargs: Any) -> None:
        initial = {
            "title": activity.title,
            "planned_start": local_input(activity.planned_start),
            "planned_end": local_input(activity.planned_end),
            "place": activity.place,
            **_person_initial(activity),
        }
        super().__init__(*args, initial=initial, **kwargs)
        if activity.status != ActivityStatus.PLANNED:
            del self.fields["planned_start"], self.fields["planned_end"]
        _person_fields(self, activity, people)
        _style(self)

    def data_for_service(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


def _style(form: XianfengForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxSelectMultiple):
            widget.attrs["class"] = "form-check-input"
        elif isinstance(widget, forms.Select) and "form-select" not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} form-select".strip()


class HeldForm(XianfengForm):
    """Record as held: time, place, host, recorder, lecturer, minutes and the kind's metrics."""

    held_start = _datetime(_("Held from"))
    held_end = _datetime(_("Held until"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    minutes = forms.CharField(
        label=_("Minutes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("What was said and discussed, speaker by speaker; votes (for / against / abstaining)."),
    )

    def __init__(self, *args: Any, activity: Activity, people: list[Person], **kwargs: Any) -> None:
        start = activity.held_start or activity.planned_start
        if start > timezone.now():
            start = timezone.now()
        initial = {
            "held_start": local_input(start),
            "held_end": local_input(activity.held_end if activity.held_start else activity.planned_end),
            "place": activity.place,
            "minutes": activity.minutes,
            **_person_initial(activity),
            **{f"metric_{key}": value for key, value in (activity.metrics or {}).items()},
        }
        super().__init__(*args, initial=initial, **kwargs)
        _person_fields(self, activity, people)
        self.metric_keys = list(activity.kind.metrics)
        for key in self.metric_keys:
            try:
                label: Any = Metric(key).label
            except ValueError:
                label = key
            self.fields[f"metric_{key}"] = forms.DecimalField(
                label=label,
                required=False,
                min_value=0,
                widget=forms.NumberInput(attrs={"class": "form-control"}),
            )
        _style(self)
        self.order_fields(["held_start", "held_end", "place", "host", "recorder", "lecturer"])

    def service_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "held_start": data["held_start"],
            "held_end": data.get("held_end"),
            "place": data.get("place", ""),
            "host": data.get("host"),
            "recorder": data.get("recorder"),
            "lecturer": data.get("lecturer"),
            "minutes": data.get("minutes", ""),
            "metrics": {key: data.get(f"metric_{key}") for key in self.metric_keys},
        }


class CancelForm(XianfengForm):
    reason = forms.CharField(label=_("Reason for cancelling"), widget=forms.Textarea(attrs={"rows": 3}))


def attendance_status_choices() -> list[tuple[str, Any]]:
    return [(value, label) for value, label in AttendanceStatus.choices]


class AttendanceForm(XianfengForm):
    """One row of the attendance table: status, reason, hours."""

    status = forms.ChoiceField(label=_("Attendance"), choices=attendance_status_choices)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    hours = forms.DecimalField(
        label=_("Hours"), required=False, min_value=0, max_value=rules.MAX_HOURS, decimal_places=1
    )


class AttendanceAddForm(AttendanceForm):
    """Add a person to the list (a named participant, a talk's party, or a guest)."""

    person = PersonChoiceField(label=pgettext_lazy("picker", "Person"), required=True)

    def __init__(self, *args: Any, people: list[Person], has_hours: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"] = PersonChoiceField(
            label=pgettext_lazy("picker", "Person"), people=people, required=True
        )
        if not has_hours:
            del self.fields["hours"]
        _style(self)
        self.order_fields(["person", "status", "reason", "hours"])


class AgendaForm(XianfengForm):
    topic = forms.CharField(label=_("Topic"), max_length=300)
    tags = forms.MultipleChoiceField(
        label=_("Topic tags"), choices=TopicTag.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    first_item = forms.BooleanField(
        label=_("First agenda item (第一议题): study of the central spirit"), required=False
    )
    major_matter = forms.ChoiceField(
        label=_("Major matter (三重一大)"),
        choices=[("", _("Not a major matter")), *MajorMatter.choices],
        required=False,
    )
    prior_study = forms.BooleanField(
        label=_("Studied by the party committee beforehand (前置研究)"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _style(self)


class DecisionForm(XianfengForm):
    text = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))
    owner = PersonChoiceField(label=_("Owner (责任人)"))
    deadline = forms.DateField(
        label=_("Deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args: Any, people: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"] = PersonChoiceField(label=_("Owner (责任人)"), people=people)
        _style(self)


class AttachmentForm(XianfengForm):
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, Word, Excel, PowerPoint, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,.xlsx,.pptx,.jpg,.jpeg,.png"}),
    )


class LeaveRequestForm(XianfengForm):
    reason = forms.CharField(label=_("Reason for leave"), max_length=200)
