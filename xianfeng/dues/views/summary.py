"""Totals of an org's subtree for a year, a quarter or a month, and remittance to the level above."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.dues import services
from xianfeng.dues.forms import RatioForm, RemittanceForm, parse_year
from xianfeng.dues.models import RemittanceRatio
from xianfeng.dues.summaries import dues_totals, quarter_months
from xianfeng.dues.views._common import call, org_choices, page_org, page_url
from xianfeng.orgs.models import Org

PERIODS = ("year", "q1", "q2", "q3", "q4", *(f"m{n}" for n in range(1, 13)))


def period_months(year: int, period: str) -> tuple[dt.date, dt.date]:
    if period.startswith("q"):
        return quarter_months(year, int(period[1]))
    if period.startswith("m"):
        month = dt.date(year, int(period[1:]), 1)
        return month, month
    return dt.date(year, 1, 1), dt.date(year, 12, 1)


def _page(
    request: HttpRequest, org: Org, year: int, period: str, bound: dict[str, XianfengForm] | None = None
) -> HttpResponse:
    start, end = period_months(year, period)
    today = timezone.localdate()
    totals = dues_totals(org, start, end, today)
    forms: dict[str, XianfengForm] = {
        "remittance": RemittanceForm(
            initial={
                "period_start": start,
                "period_end": end,
                "amount": totals.remittance_outstanding or None,
                "remitted_on": today,
            }
        ),
        "ratio": RatioForm(initial={"valid_from": dt.date(year, 1, 1)}),
    }
    forms.update(bound or {})
    context: dict[str, Any] = {
        "org": org,
        "year": year,
        "period": period,
        "periods": PERIODS,
        "years": list(range(today.year, today.year - 5, -1)),
        "totals": totals,
        "ratio_percent": None
        if totals.ratio is None
        else f"{totals.ratio * 100:.2f}".rstrip("0").rstrip("."),
        "orgs": org_choices(request.user, org),
        "can_remit": can(request.user, Action.CHANGE, org),
        "can_set_ratio": can(request.user, Action.CHANGE, org.superior()),
        "ratios": RemittanceRatio.objects.filter(org=org).order_by("-valid_from")[:10],
        "forms": forms,
        "open_form": next(iter(bound), "") if bound else "",
        "chart": {
            "labels": [str(_("Own members")) if r.own else r.org.name for r in totals.rows],
            "expected": [float(r.expected) for r in totals.rows],
            "collected": [float(r.collected) for r in totals.rows],
            "expectedLabel": str(pgettext("dues", "Expected")),
            "collectedLabel": str(pgettext("dues", "Collected")),
            "unit": str(_("yuan")),
        },
    }
    return render(request, "dues/summary.html", context, status=400 if bound else 200)


def _period(request: HttpRequest) -> tuple[int, str]:
    source = request.GET if request.method == "GET" else request.POST
    year = parse_year(source.get("year"), timezone.localdate().year)
    period = source.get("period") if source.get("period") in PERIODS else "year"
    return year, str(period)


@login_required
@require_GET
def summary(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    year, period = _period(request)
    return _page(request, org, year, period)


def _back(request: HttpRequest, org: Org, year: int, period: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(page_url("dues:summary", org=org.pk, year=year, period=period))


@login_required
@require_POST
def remittance_create(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    year, period = _period(request)
    form = RemittanceForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        if call(form, lambda: services.remittance_record(actor=request.user, org=org, **d)):
            return _back(request, org, year, period, _("Remittance recorded."))
    return _page(request, org, year, period, {"remittance": form})


@login_required
@require_POST
def ratio_set(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    year, period = _period(request)
    form = RatioForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        ratio = d["percent"] / 100
        if call(
            form,
            lambda: services.remittance_ratio_set(
                actor=request.user, org=org, valid_from=d["valid_from"], ratio=ratio, note=d["note"]
            ),
        ):
            return _back(request, org, year, period, _("Remittance share saved."))
    return _page(request, org, year, period, {"ratio": form})
