from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xianfeng.core.forms import XianfengForm


class BlockForm(XianfengForm):
    source = forms.CharField(
        label=_("Text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Figures are written as {{fact name}}; they are filled from the statistics and cannot be typed over."
        ),
    )


class ProfileForm(XianfengForm):
    profile = forms.CharField(
        label=_("Layout profile (JSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false", "class": "font-monospace"}),
        help_text=_("Only the keys that differ from GB/T 9704; empty means the inherited or default layout."),
    )


class TemplateForm(XianfengForm):
    template = forms.CharField(
        label=_("Summary template"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false"}),
        help_text=_("Empty means the inherited or default template."),
    )


class TermsForm(XianfengForm):
    terms = forms.CharField(
        label=_("Mistaken terms"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
        help_text=_("One a line: mistaken wording => correct wording."),
    )
