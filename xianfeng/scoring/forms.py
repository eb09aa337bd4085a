"""Forms of the scheme pages. The editor writes grade bands, outcome rules and catalogue items as one
line each ("90 | 优秀 | excellent"), which staff can read and type; parsing errors name the line."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Role
from xianfeng.scoring import catalogue
from xianfeng.scoring.choices import (
    Aggregation,
    DimensionKind,
    EntrySource,
    OutcomeKind,
    PeriodKind,
    Visibility,
)


def _cells(line: str, n: int) -> list[str]:
    cells = [c.strip() for c in line.split("|")]
    return cells + [""] * (n - len(cells))


def _number(text: str, line_no: int, what: str) -> Decimal:
    try:
        return Decimal(text)
    except InvalidOperation as exc:
        raise ValidationError(
            _("Line %(n)d: %(what)s must be a number.") % {"n": line_no, "what": what}
        ) from exc


def parse_bands(text: str) -> list[dict[str, Any]]:
    bands = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        minimum, label, flag = _cells(line, 3)[:3]
        band: dict[str, Any] = {"label": label, "min": float(_number(minimum, n, _("the minimum score")))}
        if flag.lower() in ("excellent", "优秀", "*"):
            band["excellent"] = True
        bands.append(band)
    return bands


def bands_text(bands: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{b['min']:g} | {b['label']}{' | excellent' if b.get('excellent') else ''}" for b in bands
    )


def parse_rules(text: str) -> list[dict[str, Any]]:
    rules = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        kind, count, label, consequence = _cells(line, 4)[:4]
        if kind not in OutcomeKind.values:
            raise ValidationError(
                _("Line %(n)d: the rule starts with top, bottom or most_improved.") % {"n": n}
            )
        rules.append(
            {"kind": kind, "n": int(_number(count, n, "N")), "label": label, "consequence": consequence}
        )
    return rules


def rules_text(rules: list[dict[str, Any]]) -> str:
    return "\n".join(f"{r['kind']} | {r['n']} | {r['label']} | {r.get('consequence', '')}" for r in rules)


def parse_items(text: str) -> list[dict[str, Any]]:
    items = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        code, name, low, high, cap, once, source = _cells(line, 7)[:7]
        if source and source not in EntrySource.values:
            raise ValidationError(_("Line %(n)d: unknown source “%(s)s”.") % {"n": n, "s": source})
        items.append(
            {
                "code": code,
                "name": name,
                "points_min": _number(low, n, _("points from")),
                "points_max": _number(high or low, n, _("points to")),
                "cap": _number(cap, n, _("the cap")) if cap else None,
                "award_once": once.lower() in ("once", "y", "是", "1"),
                "source": source or EntrySource.MANUAL,
            }
        )
    return items


def items_text(items: list[Any]) -> str:
    return "\n".join(
        f"{i.code} | {i.name} | {i.points_min:g} | {i.points_max:g} | {'' if i.cap is None else f'{i.cap:g}'}"
        f" | {'once' if i.award_once else ''} | {'' if i.source == EntrySource.MANUAL else i.source}"
        for i in items
    )


class SchemeCreateForm(XianfengForm):
    template = forms.ChoiceField(label=gettext_lazy("Template"))
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=2000, max_value=2100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["template"]).choices = [
            (t["code"], t["name"]) for t in catalogue.templates()
        ]


class SchemeForm(XianfengForm):
    name = forms.CharField(label=pgettext_lazy("scoring", "Name"), max_length=100)
    period_kind = forms.ChoiceField(label=gettext_lazy("Period"), choices=PeriodKind.choices)
    aggregation = forms.ChoiceField(label=gettext_lazy("Aggregation"), choices=Aggregation.choices)
    base_points = forms.DecimalField(label=gettext_lazy("Base points"), max_digits=8, decimal_places=2)
    carry_over = forms.BooleanField(
        label=gettext_lazy("Carry the previous year's total over"), required=False
    )
    visibility = forms.ChoiceField(label=gettext_lazy("Ranking visibility"), choices=Visibility.choices)
    veto_grade = forms.CharField(label=gettext_lazy("Grade on veto"), max_length=20)
    grade_bands = forms.CharField(
        label=gettext_lazy("Grade bands"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=gettext_lazy(
            "One band a line: minimum score | name | excellent (if it is the excellent band)."
        ),
    )
    outcome_rules = forms.CharField(
        label=gettext_lazy("Outcome rules"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("One rule a line: top, bottom or most_improved | N | label | consequence."),
    )

    def clean_grade_bands(self) -> list[dict[str, Any]]:
        return parse_bands(self.cleaned_data["grade_bands"])

    def clean_outcome_rules(self) -> list[dict[str, Any]]:
        return parse_rules(self.cleaned_data["outcome_rules"])


class DimensionForm(XianfengForm):
    code = forms.SlugField(label=gettext_lazy("Code"), max_length=40)
    name = forms.CharField(label=pgettext_lazy("scoring", "Name"), max_length=60)
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=DimensionKind.choices)
    maximum = forms.DecimalField(
        label=gettext_lazy("Maximum"), max_digits=8, decimal_places=2, required=False
    )
    weight = forms.DecimalField(label=gettext_lazy("Weight"), max_digits=5, decimal_places=4, required=False)
    evaluator_role = forms.ChoiceField(
        label=gettext_lazy("Evaluator role"), choices=[("", "—"), *Role.choices], required=False
    )
    evaluator_department = forms.CharField(
        label=gettext_lazy("Evaluator department"), max_length=100, required=False
    )
    items = forms.CharField(
        label=gettext_lazy("Catalogue items"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text=gettext_lazy(
            "One item a line: code | name | points from | points to | cap | once | source."
        ),
    )

    def clean_items(self) -> list[dict[str, Any]]:
        return parse_items(self.cleaned_data["items"])


DimensionFormSet = forms.formset_factory(DimensionForm, extra=1, can_delete=True)


class EntryForm(XianfengForm):
    subject = forms.ChoiceField(label=pgettext_lazy("scoring", "Subject"))
    item = forms.ChoiceField(label=gettext_lazy("Catalogue item"))
    points = forms.DecimalField(
        label=gettext_lazy("Points"),
        max_digits=8,
        decimal_places=2,
        required=False,
        help_text=gettext_lazy("Empty: the item's points. Deductions are negative."),
    )
    note = forms.CharField(label=gettext_lazy("Evidence"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(
        self, *args: Any, subjects: list[tuple[str, str]], items: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["subject"]).choices = subjects
        cast(forms.ChoiceField, self.fields["item"]).choices = items


class ReasonForm(XianfengForm):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea(attrs={"rows": 2}))


class ImportForm(XianfengForm):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))
