"""A period's page: the ranking with grades and outcomes, the distribution and trend charts, entries
awaiting approval, and the close actions (compute, lock, reopen, publish)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.scoring import closing, selectors
from xianfeng.scoring.access import evaluable_dimensions, may_manage
from xianfeng.scoring.forms import ReasonForm
from xianfeng.scoring.models import Result
from xianfeng.scoring.views._common import get_period, require_staff


def _chart_data(period: Any) -> dict[str, Any]:
    dist = selectors.distribution(period)
    trend = selectors.trend(period.scheme)
    return {
        "distribution": dist,
        "trend": trend,
        "distTitle": _("Distribution of totals"),
        "trendTitle": _("Average and best total by period"),
        "countLabel": _("Subjects"),
        "avgLabel": _("Average"),
        "bestLabel": _("Best"),
        "unit": _("points"),
    }


@login_required
@require_GET
def period(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    obj = get_period(request.user, pk)
    scheme = obj.scheme
    rows = list(
        Result.objects.restrict(request.user, Action.VIEW)
        .filter(period=obj)
        .select_related("org")
        .order_by("rank", "subject_name")
    )
    dims = list(scheme.dimensions.all())
    pending = list(selectors.pending_entries(request.user, scheme).filter(period=obj)[:200])
    context = {
        "period": obj,
        "scheme": scheme,
        "periods": list(scheme.periods.all()),
        "rows": rows,
        "dims": [d for d in dims if d.kind != "veto"],
        "pending": pending,
        "may_manage": may_manage(request.user, scheme),
        "may_enter": can(request.user, Action.CHANGE, None),
        "grid_dims": evaluable_dimensions(request.user, scheme),
        "reason_form": ReasonForm(),
        "chart": _chart_data(obj),
    }
    return render(request, "scoring/period.html", context)


def _act(request: HttpRequest, pk: int, run: Callable[[Any], Any], done: str) -> HttpResponse:
    obj = get_period(request.user, pk)
    if not may_manage(request.user, obj.scheme):
        raise PermissionDenied
    try:
        run(obj)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
    return redirect("scoring:period", pk=obj.pk)


@login_required
@require_POST
def period_compute(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        lambda p: closing.period_compute(actor=request.user, period=p),
        _("Results computed and ranked."),
    )


@login_required
@require_POST
def period_lock(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, lambda p: closing.period_lock(actor=request.user, period=p), _("Period locked."))


@login_required
@require_POST
def period_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(
        request, pk, lambda p: closing.period_publish(actor=request.user, period=p), _("Results published.")
    )


@login_required
@require_POST
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    reason = request.POST.get("reason", "")
    return _act(
        request,
        pk,
        lambda p: closing.period_reopen(actor=request.user, period=p, reason=reason),
        _("Period reopened."),
    )
