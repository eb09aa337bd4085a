"""The year's development plan of the orgs below an org against what happened, and setting quotas."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.development import selectors, services
from xianfeng.development.forms import PlanForm
from xianfeng.development.views._common import call, org_choices, page_org
from xianfeng.orgs.models import Org


def parse_year(value: str | None, default: int) -> int:
    try:
        year = int(value or "")
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _settable(user: Any, org: Org, table: selectors.PlanTable) -> list[Org]:
    """Orgs whose quota the user may set from this page: the children (set by this org's admins) and
    this org itself when the user may change its parent (or it is a root)."""
    out = [r.org for r in table.rows if not r.own] if can(user, Action.CHANGE, org) else []
    if can(user, Action.CHANGE, org.superior()):
        out.append(org)
    return out


def _page(request: HttpRequest, org: Org, year: int, form: PlanForm | None = None) -> HttpResponse:
    today = timezone.localdate()
    table = selectors.plan_vs_actual(org, year)
    settable = _settable(request.user, org, table)
    context = {
        "org": org,
        "year": year,
        "years": list(range(today.year + 1, today.year - 5, -1)),
        "orgs": org_choices(request.user, org),
        "table": table,
        "form": form or PlanForm(orgs=settable, initial={"year": year}),
        "form_open": form is not None,
        "can_set": bool(settable),
    }
    return render(request, "development/plan.html", context, status=400 if form else 200)


@login_required
@require_GET
def plan(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    return _page(request, org, parse_year(request.GET.get("year"), timezone.localdate().year))


@login_required
@require_POST
def plan_set(request: HttpRequest) -> HttpResponse:
    org = page_org(request, request.POST.get("page") or "")
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    settable = _settable(request.user, org, selectors.plan_vs_actual(org, year))
    if not settable:
        raise PermissionDenied
    form = PlanForm(request.POST, orgs=settable)
    if form.is_valid():
        d = form.cleaned_data
        target = form.orgs[d["org"]]
        saved = call(
            form,
            lambda: services.plan_set(
                actor=request.user, org=target, year=d["year"], quota=d["quota"], note=d["note"]
            ),
        )
        if saved is not None:
            messages.success(
                request, _("Plan saved: %(org)s, %(year)d.") % {"org": target.name, "year": saved.year}
            )
            return redirect(f"{reverse('development:plan')}?org={org.pk}&year={saved.year}")
    return _page(request, org, year, form)
