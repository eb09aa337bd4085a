"""Responsibility lists and pledges per year; monthly themes, weekly summaries and monthly plans."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.supervision import services
from xianfeng.supervision.forms import PlanForm, PledgeForm, ResponsibilityListForm, ThemeForm
from xianfeng.supervision.models import MonthlyTheme, Pledge, ResponsibilityList, WorkPlan
from xianfeng.supervision.views._common import form_page, org_choices, page_org, today


def _year(request: HttpRequest) -> int:
    try:
        return int(request.GET.get("year", "") or today().year)
    except ValueError:
        return today().year


@login_required
@require_GET
def responsibility(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    year = _year(request)
    lists = (
        ResponsibilityList.objects.restrict(request.user)
        .in_subtree(org)
        .filter(year=year)
        .select_related("org", "person")
        .order_by("org__path", "kind", "pk")
    )
    pledges = (
        Pledge.objects.restrict(request.user)
        .in_subtree(org)
        .filter(year=year)
        .select_related("org", "signer")
        .order_by("org__path", "pk")
    )
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "year": year,
        "years": range(today().year + 1, today().year - 5, -1),
        "lists": lists,
        "pledges": pledges,
        "can_change": can(request.user, Action.CHANGE, org),
    }
    return render(request, "supervision/responsibility.html", context)


@login_required
def responsibility_list_create(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.CHANGE)
    form = ResponsibilityListForm(request.POST or None, org=org)
    back = reverse("supervision:responsibility") + f"?org={org.pk}"
    return form_page(
        request,
        form,
        title=_("Record a responsibility list"),
        submit_label=_("Record"),
        cancel_url=back,
        write=lambda: services.responsibility_list_create(actor=request.user, org=org, **form.cleaned_data),
        done_url=lambda r: back + f"&year={r.year}",
        done_message=_("The responsibility list was recorded."),
        summary=[(_("Organization"), org.name)],
    )


@login_required
def pledge_issue(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.CHANGE)
    form = PledgeForm(request.POST or None, org=org)
    back = reverse("supervision:responsibility") + f"?org={org.pk}"
    return form_page(
        request,
        form,
        title=_("Issue a pledge"),
        submit_label=_("Issue"),
        cancel_url=back,
        write=lambda: services.pledge_issue(actor=request.user, org=org, **form.cleaned_data),
        done_url=lambda p: back + f"&year={p.year}",
        done_message=_("The pledge was issued; the signer acknowledges it under “My items”."),
        summary=[(_("Organization"), org.name)],
    )


@login_required
@require_POST
def pledge_acknowledge(request: HttpRequest, code: Any) -> HttpResponse:
    pledge: Pledge = get_for_user(Pledge.objects.select_related("signer"), request.user, code=code)
    try:
        services.pledge_acknowledge(actor=request.user, pledge=pledge)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("You acknowledged the pledge."))
    return redirect("supervision:mine")


@login_required
@require_GET
def plans(request: HttpRequest) -> HttpResponse:
    """Themes of the committees above and at the org; summaries and plans of the org's subtree."""
    org = page_org(request)
    try:
        month = dt.date.fromisoformat((request.GET.get("month") or "") + "-01")
    except ValueError:
        month = today().replace(day=1)
    next_month = (month + dt.timedelta(days=32)).replace(day=1)
    above = [org.path[:end] for end in range(4, len(org.path) + 1, 4)]
    themes = (
        MonthlyTheme.objects.filter(org__path__in=above, month=month)
        .select_related("org")
        .order_by("org__path")
        | MonthlyTheme.objects.restrict(request.user)
        .in_subtree(org)
        .filter(month=month)
        .select_related("org")
    ).distinct()
    rows = (
        WorkPlan.objects.restrict(request.user)
        .in_subtree(org)
        .filter(period__gte=month - dt.timedelta(days=6), period__lt=next_month)
        .select_related("org", "author")
        .order_by("org__path", "kind", "-period")
    )
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "month": month,
        "prev_month": (month - dt.timedelta(days=1)).replace(day=1),
        "next_month": next_month,
        "themes": themes,
        "rows": rows,
        "can_change": can(request.user, Action.CHANGE, org),
    }
    return render(request, "supervision/plans.html", context)


@login_required
def theme_set(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.CHANGE)
    form = ThemeForm(request.POST or None)
    back = reverse("supervision:plans") + f"?org={org.pk}"
    return form_page(
        request,
        form,
        title=_("Set the theme of the month"),
        submit_label=_("Save"),
        cancel_url=back,
        write=lambda: services.theme_set(actor=request.user, org=org, **form.cleaned_data),
        done_url=lambda t: back + f"&month={t.month:%Y-%m}",
        done_message=_("The monthly theme was saved."),
        summary=[(_("Organization"), org.name)],
    )


@login_required
def plan_save(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.CHANGE)
    form = PlanForm(request.POST or None)
    back = reverse("supervision:plans") + f"?org={org.pk}"
    return form_page(
        request,
        form,
        title=_("Write a weekly summary or monthly plan"),
        submit_label=_("Save"),
        cancel_url=back,
        write=lambda: services.plan_save(actor=request.user, org=org, **form.cleaned_data),
        done_url=lambda p: back + f"&month={p.period:%Y-%m}",
        done_message=_("The summary or plan was saved."),
        summary=[(_("Organization"), org.name)],
    )
