"""The supervision board (by org and state) and the owner's "my items" (phone-friendly)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.supervision import selectors
from xianfeng.supervision.views._common import org_choices, page_org, today, with_states


@login_required
@require_GET
def board(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    day = today()
    try:
        year = int(request.GET.get("year", "") or 0) or None
    except ValueError:
        year = None
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "board": selectors.board(request.user, org, day, year),
        "year": year,
        "today": day,
        "can_change": can(request.user, Action.CHANGE, org),
        "max_orgs": selectors.rules.MAX_BOARD_ORGS,
    }
    return render(request, "supervision/board.html", context)


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """Every logged-in user: their own open items, in one column for a phone."""
    day = today()
    items = selectors.mine(request.user, day)
    for rows in (items.tasks, items.rectifications, items.orders, items.to_check, items.to_verify):
        with_states(rows, day)
    return render(request, "supervision/mine.html", {"items": items, "today": day})
