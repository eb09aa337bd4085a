"""The development board: everyone in development under an org, by stage, with what is due next."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.development import selectors
from xianfeng.development.views._common import org_choices, page_org


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    only_overdue = request.GET.get("overdue") == "1"
    today = timezone.localdate()
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "board": selectors.board(request.user, org, today, only_overdue),
        "only_overdue": only_overdue,
        "today": today,
        "can_change": can(request.user, Action.CHANGE, org),
        "max_board": selectors.MAX_BOARD,
    }
    return render(request, "development/board.html", context)
