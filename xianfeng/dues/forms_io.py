"""Forms of the payroll import and the dues exports. They collect input; the import and export
modules check, scope, write and audit."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Min, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action
from xianfeng.dues import imports, rules
from xianfeng.dues.forms import MonthField
from xianfeng.dues.imports.layout import MAX_HEADER_ROW
from xianfeng.dues.publication import QUARTER, publication_period
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org

MAX_EXPORT_MONTHS = 24
COLUMN_FIELDS = ("id_number_column", "name_column", "base_column", "category_column")


class OrgField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """Orgs indented by their depth below the highest one offered."""

    top: int | None = None

    def set_orgs(self, queryset: QuerySet[Org]) -> None:
        self.queryset, self.top = queryset, None

    def label_from_instance(self, obj: Any) -> str:
        if self.top is None:  # only when the choices are rendered
            self.top = self.queryset.aggregate(top=Min("depth"))["top"] or 1  # type: ignore[union-attr]
        return "\u3000" * max(obj.depth - self.top, 0) + obj.name


def orgs_for(user: Any, action: str) -> QuerySet[Org]:
    return Org.objects.restrict(user, action).exclude(org_type=OrgType.PARTY_GROUP).order_by("path")


class UploadForm(XianfengForm):
    org = OrgField(label=_("Organization"), queryset=Org.objects.none())
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    file = forms.FileField(label=_("Payroll workbook (.xlsx)"))

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OrgField, self.fields["org"]).set_orgs(
            orgs_for(user, Action.CHANGE).filter(status=OrgStatus.ACTIVE)
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > imports.max_bytes():
            raise ValidationError(imports.too_large_message())
        return upload


class MappingForm(XianfengForm):
    header_row = forms.IntegerField(label=_("Header row"), min_value=1, max_value=MAX_HEADER_ROW)
    id_number_column = forms.CharField(label=_("ID number column"), max_length=3)
    base_column = forms.CharField(
        label=_("Base column"), max_length=3, help_text=_("Monthly after-tax regular pay (DUES-01).")
    )
    name_column = forms.CharField(
        label=_("Name column"),
        max_length=3,
        required=False,
        help_text=_("Optional: checked against the record."),
    )
    category_column = forms.CharField(
        label=_("Category column"),
        max_length=3,
        required=False,
        help_text=_("Optional: empty cells are employed members."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        seen: dict[str, str] = {}
        for name in COLUMN_FIELDS:
            letter = (data.get(name) or "").strip().upper()
            if not letter:
                continue
            try:
                imports.column_index(letter)
            except ValueError:
                self.add_error(name, _("Enter a column letter from A to BL."))
                continue
            if letter in seen:
                self.add_error(name, _("This column is already used for another value."))
            seen[letter] = name
            data[name] = letter
        return data

    def mapping(self) -> imports.ColumnMapping:
        return imports.ColumnMapping.from_dict(self.cleaned_data)


class ExportForm(XianfengForm):
    org = OrgField(label=_("Organization"), queryset=Org.objects.none())

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(OrgField, self.fields["org"]).set_orgs(orgs_for(user, Action.EXPORT))


class CollectionExportForm(ExportForm):
    month = MonthField(label=_("Month"))


class RangeExportForm(ExportForm):
    start = MonthField(label=_("From month"))
    end = MonthField(label=_("To month"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The period ends before it starts."))
            elif rules.month_index(end) - rules.month_index(start) >= MAX_EXPORT_MONTHS:
                self.add_error("end", _("Choose at most %(n)d months.") % {"n": MAX_EXPORT_MONTHS})
            elif end > rules.first_of_month(timezone.localdate()):
                self.add_error("end", _("Choose months up to the current one."))
        return data


class PublicationForm(ExportForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"),
        coerce=int,
        choices=[
            (1, _("First quarter")),
            (2, _("Second quarter")),
            (3, _("Third quarter")),
            (4, _("Fourth quarter")),
        ],
    )
    format = forms.ChoiceField(
        label=_("Format"), choices=[("xlsx", _("Excel (.xlsx)")), ("docx", _("Word (.docx)"))], initial="docx"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if publication_period() != QUARTER:
            del self.fields["quarter"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        year, quarter = data.get("year"), data.get("quarter")
        today = timezone.localdate()
        if year and (
            year > today.year or (year == today.year and quarter and (today.month - 1) // 3 + 1 < quarter)
        ):
            self.add_error("year", _("The period has not begun yet."))
        return data


def initial_month(today: dt.date | None = None) -> str:
    return f"{today or timezone.localdate():%Y-%m}"
