"""Arrears for an org's subtree: the 3-month warnings and the DUES-13 findings, worst first."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xianfeng.dues import rules
from xianfeng.dues.selectors import ArrearsRow, arrears
from xianfeng.dues.views._common import org_choices, page_org

PAGE = 50
FILTERS = ("open", "warning", "finding", "no_base")


def _keep(row: ArrearsRow, show: str) -> bool:
    if show == "finding":
        return row.finding is not None
    if show == "warning":
        return row.warning
    if show == "no_base":
        return row.missing_base
    return bool(row.unpaid_months) or row.missing_base


@login_required
@require_GET
def arrears_list(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    show = str(request.GET.get("show")) if request.GET.get("show") in FILTERS else "open"
    rows = arrears(scope_orgs_or_user=[org], as_of=timezone.localdate())
    counts = {name: sum(1 for r in rows if _keep(r, name)) for name in FILTERS}
    kept = sorted(
        (r for r in rows if _keep(r, show)),
        key=lambda r: (-r.unexcused_consecutive, -r.consecutive_unpaid, -len(r.unpaid_months)),
    )
    context = {
        "org": org,
        "show": show,
        "counts": counts,
        "page": Paginator(kept, PAGE).get_page(request.GET.get("page")),
        "orgs": org_choices(request.user, org),
        "warn_months": rules.warn_months(),
        "source": rules.SOURCE_SELF_DEPARTURE,
    }
    return render(request, "dues/arrears.html", context)
