"""The form base every page uses: Bootstrap widget classes, accessible error states, and a service's
ValidationError put under the fields it names (views call services; forms only present them)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from django import forms
from django.core.exceptions import ValidationError

Fieldsets = list[tuple[Any, list[forms.BoundField]]]


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class XianfengForm(forms.Form):
    """Bootstrap widget classes, `is-invalid` and aria attributes on fields in error, service errors
    on fields, and optional fieldsets for long forms."""

    # Service error keys that differ from the form's field names.
    error_field_map: ClassVar[dict[str, str]] = {}
    fieldset_layout: ClassVar[Sequence[tuple[Any, Sequence[str]]]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def add_error(self, field: str | None, error: Any) -> None:
        super().add_error(field, error)
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                if "is-invalid" not in attrs.get("class", ""):
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                attrs["aria-invalid"] = "true"
                attrs["aria-describedby"] = f"{self[name].auto_id}_errors"  # the templates' error block

    def add_service_errors(self, exc: ValidationError) -> None:
        """Put a service's ValidationError under the fields it names (the rest above the form)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for key, errors in exc.error_dict.items():
            name = self.error_field_map.get(key, key)
            self.add_error(name if name in self.fields else None, [e for error in errors for e in error])

    def fieldsets(self) -> Fieldsets:
        if not self.fieldset_layout:
            return [("", list(self))]
        return [
            (legend, [self[name] for name in names if name in self.fields])
            for legend, names in self.fieldset_layout
        ]


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """The same for any form: under the fields a service's ValidationError names, the rest on top."""
    if isinstance(form, XianfengForm):
        form.add_service_errors(exc)
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.error_list)
