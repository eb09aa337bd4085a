"""Downloads of a period: the ranking and the score sheet (.xlsx), audited as exports."""

from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.scoring import exports
from xianfeng.scoring.models import Result
from xianfeng.scoring.views._common import get_period, require_staff

A_EXPORT = "scoring.export"


def _download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    require_staff(request.user)
    period = get_period(request.user, pk)
    if not can(request.user, Action.EXPORT, None):
        raise PermissionDenied
    rows = list(
        Result.objects.restrict(request.user, Action.EXPORT)
        .filter(period=period)
        .select_related("org")
        .order_by("rank", "subject_name")
    )
    if kind == "ranking":
        data, title = exports.ranking_xlsx(period, rows), "排名"
    else:
        dims = [d for d in period.scheme.dimensions.all() if d.kind != "veto"]
        data, title = exports.score_sheet_xlsx(period, dims, rows), "评分表"
    audit.record(
        actor=request.user,
        action=A_EXPORT,
        target=period,
        org=period.scheme.org,
        message=f"{title}：{len(rows)}",
    )
    name = f"{period.scheme.name}-{period.label}-{title}.xlsx"
    response = HttpResponse(data, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response


@login_required
@require_GET
def export_ranking(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "ranking")


@login_required
@require_GET
def export_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    return _download(request, pk, "sheet")
