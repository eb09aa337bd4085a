"""The committee staff's pages: the list of schemes (new from a template) and the scheme editor."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xianfeng.core.pages import org_choices, page_org
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.scoring import catalogue, services
from xianfeng.scoring.access import may_manage
from xianfeng.scoring.forms import (
    DimensionFormSet,
    SchemeCreateForm,
    SchemeForm,
    bands_text,
    items_text,
    rules_text,
)
from xianfeng.scoring.models import Scheme
from xianfeng.scoring.selectors import current_period
from xianfeng.scoring.views._common import get_scheme, require_staff, schemes_for


@login_required
@require_http_methods(["GET", "POST"])
def schemes(request: HttpRequest) -> HttpResponse:
    require_staff(request.user)
    org = page_org(request)
    form = SchemeCreateForm(request.POST or None, initial={"year": timezone.localdate().year})
    may_create = can(request.user, Action.CHANGE, org)
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied
        if form.is_valid():
            try:
                scheme = services.scheme_create(
                    actor=request.user,
                    org=org,
                    year=form.cleaned_data["year"],
                    template=form.cleaned_data["template"],
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Scheme created from the template; review it and put it in use."))
                return redirect("scoring:scheme", pk=scheme.pk)
    rows = list(schemes_for(request.user).order_by("-year", "name").prefetch_related("periods"))
    today = timezone.localdate()
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "schemes": [(s, current_period(s, today)) for s in rows],
        "form": form,
        "may_create": may_create,
        "templates": catalogue.templates(),
    }
    return render(request, "scoring/schemes.html", context, status=400 if form.errors else 200)


def _initial_dims(scheme: Scheme) -> list[dict[str, Any]]:
    return [
        {
            "code": d.code,
            "name": d.name,
            "kind": d.kind,
            "maximum": d.maximum,
            "weight": d.weight,
            "evaluator_role": d.evaluator_role,
            "evaluator_department": d.evaluator_department,
            "items": items_text(list(d.items.all())),
        }
        for d in scheme.dimensions.prefetch_related("items")
    ]


@login_required
@require_http_methods(["GET", "POST"])
def scheme(request: HttpRequest, pk: int) -> HttpResponse:
    """The editor: settings, grade bands, outcome rules, dimensions and their catalogues. Every check
    runs before anything is saved; errors stay on the page with what was typed."""
    require_staff(request.user)
    obj = get_scheme(request.user, pk)
    editable = may_manage(request.user, obj)
    initial = {
        "name": obj.name,
        "period_kind": obj.period_kind,
        "aggregation": obj.aggregation,
        "base_points": obj.base_points,
        "carry_over": obj.carry_over,
        "visibility": obj.visibility,
        "veto_grade": obj.veto_grade,
        "grade_bands": bands_text(obj.grade_bands),
        "outcome_rules": rules_text(obj.outcome_rules),
    }
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        form = SchemeForm(request.POST)
        dims = DimensionFormSet(request.POST, prefix="dim")
        if form.is_valid() and dims.is_valid():
            wanted = [
                {**d, "maximum": d.get("maximum"), "weight": d.get("weight")}
                for d in dims.cleaned_data
                if d and not d.get("DELETE")
            ]
            try:
                services.scheme_update(
                    actor=request.user, scheme=obj, fields=dict(form.cleaned_data), dimensions=wanted
                )
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Scheme saved."))
                return redirect("scoring:scheme", pk=obj.pk)
        status = 400
    else:
        form, dims, status = (
            SchemeForm(initial=initial),
            DimensionFormSet(initial=_initial_dims(obj), prefix="dim"),
            200,
        )
    context = {
        "scheme": obj,
        "form": form,
        "dims": dims,
        "editable": editable,
        "periods": list(obj.periods.all()),
    }
    return render(request, "scoring/scheme.html", context, status=status)


@login_required
@require_POST
def scheme_activate(request: HttpRequest, pk: int) -> HttpResponse:
    obj = get_scheme(request.user, pk)
    services.scheme_activate(actor=request.user, scheme=obj)
    messages.success(request, _("The scheme is in use."))
    return redirect(reverse("scoring:scheme", kwargs={"pk": obj.pk}))
