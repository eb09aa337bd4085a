"""The user's own account: changing one's password (an administrator sets the first one)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.http import HttpResponse
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from xianfeng.core import audit


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change (old password, the password validators, session kept) plus an
    audit row that never holds the password."""

    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("dashboards:home")

    def get_form(self, form_class: Any = None) -> Any:
        form = super().get_form(form_class)
        for name, field in form.fields.items():
            css = "form-control is-invalid" if form.is_bound and name in form.errors else "form-control"
            field.widget.attrs["class"] = css
        return form

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            user = form.user  # the authenticated account whose password changed
            audit.record(actor=user, action="user.password_change", target=user)
        messages.success(self.request, _("Your password was changed."))
        return response
