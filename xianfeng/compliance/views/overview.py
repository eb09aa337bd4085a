"""Pages over the org tree: a branch's health check, the subtree matrix and the classification."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xianfeng.compliance import selectors
from xianfeng.compliance.engine import Scope, Status
from xianfeng.compliance.forms import YearForm
from xianfeng.compliance.selectors import CELL_SYMBOLS, TIER_LABELS
from xianfeng.compliance.views._common import _is_htmx
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org

MATRIX_PAGE = 40
CLASSIFICATION_PAGE = 50


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _year(request: HttpRequest) -> int:
    year = YearForm(request.GET).year_or(timezone.localdate().year)
    return year


def _root(request: HttpRequest) -> tuple[Org | None, Scope]:
    """The org chosen with ?org= (404 if invisible), or the user's whole visible scope."""
    if not can(request.user, Action.VIEW, None):
        raise PermissionDenied
    if request.GET.get("org"):
        org: Org = get_for_user(
            Org.objects.all(), request.user, Action.VIEW, pk=_int_or_404(request.GET["org"])
        )
        return org, Scope.subtree(org)
    return None, Scope.of_user(request.user)


def _root_choices(user: Any) -> list[dict[str, Any]]:
    """Committees and general branches the user can see, to pick a subtree from (indented)."""
    orgs = list(
        Org.objects.restrict(user, Action.VIEW)
        .filter(org_type__in=[OrgType.COMMITTEE, OrgType.GENERAL_BRANCH], status=OrgStatus.ACTIVE)
        .order_by("path")
        .values("pk", "name", "depth")[:500]
    )
    top = min((o["depth"] for o in orgs), default=1)
    return [{"pk": o["pk"], "label": "\u3000" * (o["depth"] - top) + o["name"]} for o in orgs]


def _status_legend() -> list[dict[str, Any]]:
    order = [
        Status.MET,
        Status.PENDING,
        Status.DUE_SOON,
        Status.OVERDUE,
        Status.MISSED,
        Status.NOT_APPLICABLE,
    ]
    return [
        {"key": s, "label": Status(s).label, "symbol": CELL_SYMBOLS[s], "severity": selectors.SEVERITY[s]}
        for s in order
    ]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("compliance:matrix" if can(request.user, Action.VIEW, None) else "compliance:due")


# --- Health check ---------------------------------------------------------------------------------


@login_required
@require_GET
def health(request: HttpRequest, org_id: int) -> HttpResponse:
    org: Org = get_for_user(Org.objects.all(), request.user, Action.VIEW, pk=org_id)
    today = timezone.localdate()
    year = _year(request)
    result = selectors.health_check(org, year=year, today=today)
    month = request.GET.get("month", "")
    shown = result.findings
    month_number = int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
    if month_number:
        shown = [
            f
            for f in shown
            if f.period_end and f.period_end.month == month_number and f.period_end.year == year
        ]
    evidence = result.evidence
    context = {
        "org": org,
        "crumbs": [*(a for a in org.get_ancestors() if can(request.user, Action.VIEW, a)), org],
        "health": result,
        "count_rows": [
            {**item, "count": result.counts.get(item["key"], 0)}
            for item in _status_legend()
            if item["key"] != Status.NOT_APPLICABLE
        ],
        "shown": [
            {"f": f, "activities": [evidence[pk] for pk in f.evidence if pk in evidence]} for f in shown
        ],
        "month": month_number,
        "months": list(range(1, 13)),
        "month_date": dt.date(year, month_number, 1) if month_number else None,
        "year": year,
        "years": list(range(today.year - 3, today.year + 2)),
        "tier_label": TIER_LABELS[result.tier],
        "thresholds": selectors.thresholds(),
        "legend": _status_legend(),
        "open_count": sum(1 for f in result.findings if f.is_open),
        "today": today,
    }
    return render(request, "compliance/health.html", context)


# --- Matrix ---------------------------------------------------------------------------------------


@login_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    root, scope = _root(request)
    today = timezone.localdate()
    year = _year(request)
    problems_only = request.GET.get("problems") == "1"
    health_url = reverse("compliance:health", args=[0]).removesuffix("0/")
    page: Any
    if problems_only:
        result = selectors.matrix(scope=scope, year=year, today=today, with_scores=True)
        rows = [r for r in result.rows if selectors.SEVERITY[r.worst] >= selectors.SEVERITY[Status.DUE_SOON]]
        page = Paginator(rows, MATRIX_PAGE).get_page(request.GET.get("page"))
        page_rows = list(page.object_list)
    else:
        # Only the page's branches are evaluated: the queries and the time do not grow with the scope.
        page = Paginator(selectors.row_orgs(scope), MATRIX_PAGE).get_page(request.GET.get("page"))
        orgs = list(page.object_list)
        result = selectors.matrix(scope=Scope.subtrees(orgs), year=year, today=today, with_scores=True)
        wanted = {org.pk for org in orgs}
        page_rows = [row for row in result.rows if row.org.id in wanted]
    chart = {
        "months": [m.strftime("%Y-%m") for m in result.months],
        "rows": [row.org.name for row in page_rows],
        "cells": [
            [
                x,
                y,
                cell.severity,
                cell.met,
                cell.total,
                cell.symbol,
                f"{health_url}{row.org.id}/?year={year}&month={x + 1}",
            ]
            for y, row in enumerate(page_rows)
            for x, cell in enumerate(row.cells)
        ],
        "legend": [{**item, "label": str(item["label"])} for item in _status_legend()],
        "title": _("Compliance by branch and month, %(year)s") % {"year": year},
    }
    context = {
        "root": root,
        "roots": _root_choices(request.user),
        "year": year,
        "years": list(range(today.year - 3, today.year + 2)),
        "matrix": result,
        "rows": page_rows,
        "page": page,
        "problems_only": problems_only,
        "chart": chart,
        "chart_height": 100 + 26 * len(page_rows),
        "legend": _status_legend(),
        "query": _query(request, exclude=("page",)),
    }
    template = "compliance/partials/matrix_table.html" if _is_htmx(request) else "compliance/matrix.html"
    return render(request, template, context)


def _query(request: HttpRequest, exclude: tuple[str, ...]) -> str:
    params = request.GET.copy()
    for name in exclude:
        params.pop(name, None)
    return params.urlencode()


# --- Classification -------------------------------------------------------------------------------


@login_required
@require_GET
def classification(request: HttpRequest) -> HttpResponse:
    root, scope = _root(request)
    today = timezone.localdate()
    year = _year(request)
    result = selectors.classification(scope=scope, year=year, today=today)
    tier = request.GET.get("tier", "")
    rows = [r for r in result.rows if not tier or r.tier == tier]
    page = Paginator(rows, CLASSIFICATION_PAGE).get_page(request.GET.get("page"))
    context = {
        "root": root,
        "roots": _root_choices(request.user),
        "year": year,
        "years": list(range(today.year - 3, today.year + 2)),
        "result": result,
        "page": page,
        "tier": tier,
        "tiers": [{"key": k, "label": v, "count": result.counts.get(k, 0)} for k, v in TIER_LABELS.items()],
        "tier_labels": TIER_LABELS,
        "query": _query(request, exclude=("page",)),
        "query_all": _query(request, exclude=("page", "tier")),
    }
    return render(request, "compliance/classification.html", context)
