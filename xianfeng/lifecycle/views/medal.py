"""The "光荣在党50年" medal list of an org's subtree for a year (MEM-11), and its .xlsx export."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.lifecycle import rules, selectors
from xianfeng.lifecycle.exports import medal_export
from xianfeng.lifecycle.views._common import page_org
from xianfeng.lifecycle.views.lists import PAGE, _context

MIN_YEAR = 2021  # first issued in 2021


def _year(request: HttpRequest) -> int:
    default = timezone.localdate().year
    try:
        year = int(request.GET.get("year") or default)
    except ValueError:
        return default
    return year if MIN_YEAR <= year <= default + 1 else default


@login_required
@require_GET
def medal_list(request: HttpRequest) -> HttpResponse:
    context = _context(request, "medal")
    year = _year(request)
    members = selectors.medal_members(context["org"], year)
    page = Paginator(members, PAGE).get_page(request.GET.get("page"))
    reference = rules.medal_cutoff(year).replace(year=year)
    context |= {
        "year": year,
        "years": list(range(timezone.localdate().year + 1, MIN_YEAR - 1, -1)),
        "cutoff": rules.medal_cutoff(year),
        "page": page,
        "rows": [(m, m.party_age_on(reference)) for m in page.object_list],
        "source": rules.SOURCE_MEDAL,
    }
    return render(request, "lifecycle/medal.html", context)


@login_required
@require_GET
def medal_download(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.EXPORT)
    export = medal_export(actor=request.user, org=org, year=_year(request))
    response = HttpResponse(export.data, content_type=export.content_type)
    response["Content-Disposition"] = content_disposition_header(True, export.filename)
    return response
