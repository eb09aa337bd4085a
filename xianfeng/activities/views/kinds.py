"""The catalogue of activity kinds: the built-in national kinds and the enterprise's own, for those who
manage the org tree (MANAGE_ORGS). Views never write; activities.services.kinds does, and audits."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xianfeng.activities import services
from xianfeng.activities.choices import Metric
from xianfeng.activities.forms_kinds import KindForm, KindOrderForm
from xianfeng.activities.models import ActivityKind
from xianfeng.activities.views._common import _call, _posted
from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.orgs.choices import OrgType


def _require_manager(request: HttpRequest) -> None:
    if not can(request.user, Action.MANAGE_ORGS, None):
        raise PermissionDenied


def _labels(values: list[str], choices: Any) -> list[str]:
    labels = dict(choices.choices)
    return [str(labels.get(value, value)) for value in values]


def _page(
    request: HttpRequest, form: XianfengForm, *, title: str, submit: str, kind: ActivityKind | None = None
) -> HttpResponse:
    context = {"form": form, "title": title, "submit_label": submit, "kind": kind}
    if kind is not None:
        context["org_type_labels"] = _labels(kind.org_types, OrgType)
        context["metric_labels"] = _labels(kind.metrics, Metric)
    return render(request, "activities/kinds_form.html", context)


@login_required
@require_GET
def kinds(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    rows = list(ActivityKind.objects.order_by("order", "code"))
    for kind in rows:
        kind.org_type_labels = _labels(kind.org_types, OrgType)  # type: ignore[attr-defined]
        kind.metric_labels = _labels(kind.metrics, Metric)  # type: ignore[attr-defined]
    return render(request, "activities/kinds.html", {"kinds": rows})


@login_required
@require_http_methods(["GET", "POST"])
def kind_create(request: HttpRequest) -> HttpResponse:
    _require_manager(request)
    form = KindForm(_posted(request), creating=True)
    if form.is_bound and form.is_valid():
        kind = _call(form, lambda: services.kind_create(actor=request.user, **form.data_for_service()))
        if kind is not None:
            messages.success(request, _("Activity kind “%(name)s” added.") % {"name": kind.name})
            return redirect(reverse("activities:kinds") + f"#kind-{kind.code}")
    return _page(request, form, title=_("New activity kind"), submit=_("Add"))


@login_required
@require_http_methods(["GET", "POST"])
def kind_edit(request: HttpRequest, code: str) -> HttpResponse:
    _require_manager(request)
    kind = get_object_or_404(ActivityKind, code=code)
    form_class = KindOrderForm if kind.builtin else KindForm
    form = form_class(_posted(request), initial=form_class.initial_for(kind))
    if form.is_bound and form.is_valid():
        data = form.data_for_service()
        saved = _call(form, lambda: services.kind_update(actor=request.user, kind=kind, data=data))
        if saved is not None:
            messages.success(request, _("Activity kind “%(name)s” saved.") % {"name": saved.name})
            return redirect(reverse("activities:kinds") + f"#kind-{saved.code}")
    return _page(request, form, title=kind.name, submit=_("Save"), kind=kind)
