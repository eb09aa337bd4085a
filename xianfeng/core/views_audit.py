"""The audit log viewer: read-only, scoped to the subtrees where the user may read the audit log.

Events without an org (logins, failed logins) are shown to global administrators only: scope_q
selects rows by `org__path`, so a NULL org never matches a subtree.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from xianfeng.core.models import AuditEvent
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, scope_q
from xianfeng.orgs.models import Org

PAGE_SIZE = 50


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=64,
        help_text=_("Beginning of the action, e.g. “org.” or “member.transfer”."),
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    actor = forms.CharField(
        label=_("Actor"),
        required=False,
        max_length=150,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    target = forms.CharField(
        label=_("Target"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=_date_input())
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def audit_events(user: Any) -> QuerySet[AuditEvent]:
    """The audit rows the user may read, newest first."""
    return (
        AuditEvent.objects.filter(scope_q(user, Action.AUDIT, "org__path"))
        .select_related("org")
        .order_by("-time", "-id")
    )


def filter_events(events: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    if data.get("action"):
        events = events.filter(action__startswith=data["action"].strip())
    if data.get("actor"):
        events = events.filter(actor_name__icontains=data["actor"].strip())
    if data.get("target"):
        target = data["target"].strip()
        events = events.filter(Q(target_repr__icontains=target) | Q(target_id=target))
    if data.get("date_from"):
        events = events.filter(time__gte=_day_start(data["date_from"]))
    if data.get("date_to"):
        events = events.filter(time__lt=_day_start(data["date_to"] + dt.timedelta(days=1)))
    if data.get("org"):
        org = Org.objects.filter(pk=data["org"]).only("path").first()
        events = events.filter(org__path__startswith=org.path) if org else events.none()
    return events


def _field_label(target_type: str, name: str) -> str:
    try:
        return capfirst(str(apps.get_model(target_type)._meta.get_field(name).verbose_name))
    except (LookupError, ValueError, FieldDoesNotExist):
        return name


def diff_rows(event: AuditEvent) -> list[dict[str, Any]]:
    """Field, value before and value after, for the fields an event recorded (already censored)."""
    before, after = event.before or {}, event.after or {}
    names = list(dict.fromkeys([*before, *after]))
    return [
        {
            "field": _field_label(event.target_type, name),
            "before": before.get(name),
            "after": after.get(name),
            "changed": before.get(name) != after.get(name),
        }
        for name in names
    ]


def with_diffs(events: Any) -> list[AuditEvent]:
    rows = list(events)
    for event in rows:
        event.diff = diff_rows(event)  # type: ignore[attr-defined]
    return rows


@login_required
@require_GET
def audit_list(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.AUDIT, None):
        raise PermissionDenied
    form = AuditFilterForm(request.GET or None)
    events = audit_events(request.user)
    if form.is_bound and form.is_valid():
        events = filter_events(events, form.cleaned_data)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "events": with_diffs(page.object_list),
        "query": query.urlencode(),
        "filtered": form.is_bound and form.is_valid() and any(form.cleaned_data.values()),
    }
    htmx = getattr(request, "htmx", None)
    if htmx and not htmx.history_restore_request:
        return render(request, "core/partials/audit_results.html", context)
    return render(request, "core/audit_list.html", context)
