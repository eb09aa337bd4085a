"""Forms of the dues pages. They collect input; dues.services validates, scopes and writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.forms import XianfengForm, date_input
from xianfeng.dues.choices import DuesCategory, Hardship, PaymentKind, PaymentMethod
from xianfeng.orgs.models import Org

MONTH_FORMATS = ["%Y-%m"]


class MonthField(forms.DateField):
    """A month typed or picked as YYYY-MM (<input type=month>), cleaned to its first day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
    input_formats = MONTH_FORMATS

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"invalid": _("Enter a month as YYYY-MM.")})
        super().__init__(input_formats=MONTH_FORMATS, **kwargs)

    def to_python(self, value: Any) -> dt.date | None:
        day = super().to_python(value)
        return day.replace(day=1) if day else None


def parse_month(value: str | None, default: dt.date) -> dt.date:
    """?month=YYYY-MM from a query string; anything else falls back to `default`."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1) if 2000 <= year <= 2100 else default
    except ValueError:
        return default


def parse_year(value: str | None, default: int) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


class CollectForm(XianfengForm):
    """The collector's batch: the date and method applied to every selected member."""

    paid_on = forms.DateField(label=_("Paid on"), widget=date_input())
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH)
    paid_by_proxy = forms.CharField(label=_("Paid by (proxy)"), max_length=50, required=False)

    def clean_paid_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["paid_on"]
        if day > timezone.localdate():
            raise ValidationError(_("The payment date cannot be in the future."))
        return day


class PaymentForm(XianfengForm):
    month_owed = MonthField(label=_("Month owed"))
    kind = forms.ChoiceField(label=_("Kind"), choices=PaymentKind.choices, initial=PaymentKind.REGULAR)
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=12, decimal_places=2)
    paid_on = forms.DateField(label=_("Paid on"), widget=date_input())
    method = forms.ChoiceField(label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH)
    paid_by_proxy = forms.CharField(label=_("Paid by (proxy)"), max_length=50, required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BaseForm(XianfengForm):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    category = forms.ChoiceField(label=_("Category"), choices=DuesCategory.choices)
    base = forms.DecimalField(
        label=_("Monthly base (yuan)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("After-tax regular pay, or the pension for retired members."),
    )
    fixed_amount = forms.DecimalField(
        label=_("Fixed amount (yuan)"),
        max_digits=12,
        decimal_places=2,
        required=False,
        help_text=_("Only for students, the unemployed, members on relief and rural members."),
    )


class AdjustForm(XianfengForm):
    effective_month = MonthField(label=_("From month"))
    base = forms.DecimalField(
        label=_("New monthly base (yuan)"), max_digits=12, decimal_places=2, required=False
    )
    fixed_amount = forms.DecimalField(
        label=_("Fixed amount (yuan)"), max_digits=12, decimal_places=2, required=False
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class HardshipForm(XianfengForm):
    hardship = forms.ChoiceField(
        label=_("Reduction or exemption"), choices=[c for c in Hardship.choices if c[0]]
    )
    reduced_amount = forms.DecimalField(
        label=_("Reduced monthly amount (yuan)"), max_digits=12, decimal_places=2, required=False
    )
    approved_by: forms.ModelChoiceField[Org] = forms.ModelChoiceField(
        label=_("Approved by"), queryset=Org.objects.none()
    )
    from_month = MonthField(label=_("From month"))
    to_month = MonthField(label=_("To month"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))

    def set_approvers(self, approvers: Any) -> HardshipForm:
        """The committees that may approve for this member (known once the member is)."""
        field = self.fields["approved_by"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = approvers
        return self


class ReasonForm(XianfengForm):
    from_month = MonthField(label=_("From month"))
    to_month = MonthField(label=_("To month"))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class RemittanceForm(XianfengForm):
    period_start = MonthField(label=_("From month"))
    period_end = MonthField(label=_("To month"))
    amount = forms.DecimalField(label=_("Amount (yuan)"), max_digits=14, decimal_places=2)
    remitted_on = forms.DateField(label=_("Remitted on"), widget=date_input())
    reference = forms.CharField(label=_("Voucher or transfer reference"), max_length=100, required=False)


class RatioForm(XianfengForm):
    valid_from = MonthField(label=_("From month"))
    percent = forms.DecimalField(
        label=_("Share remitted (%)"), max_digits=6, decimal_places=2, min_value=0, max_value=100
    )
    note = forms.CharField(label=_("Basis"), max_length=300, required=False)
    error_field_map = {"ratio": "percent"}
