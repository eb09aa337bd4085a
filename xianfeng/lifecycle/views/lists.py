"""Org-level pages: open transfer letters (overdue first), members away (contact overdue first),
suspensions (due for removal first). Each reads its rows in one query, then paginates."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.lifecycle import rules, selectors
from xianfeng.lifecycle.views._common import org_choices, page_org

PAGE = 50


def _context(request: HttpRequest, tab: str) -> dict[str, Any]:
    org = page_org(request)
    return {
        "org": org,
        "orgs": org_choices(request.user, org),
        "tab": tab,
        "today": timezone.localdate(),
        "can_change": can(request.user, Action.CHANGE, org),
        "can_export": can(request.user, Action.EXPORT, org),
    }


@login_required
@require_GET
def letters_list(request: HttpRequest) -> HttpResponse:
    context = _context(request, "letters")
    show = "all" if request.GET.get("show") == "all" else "open"
    letters = selectors.letters_in_subtree(context["org"], open_only=show == "open")
    page = Paginator(letters, PAGE).get_page(request.GET.get("page"))
    today = context["today"]
    context |= {
        "show": show,
        "page": page,
        "rows": [selectors.letter_row(letter, today) for letter in page.object_list],
        "overdue_count": selectors.letters_in_subtree(context["org"]).filter(valid_until__lt=today).count(),
        "letter_days": rules.letter_days(),
        "source": rules.SOURCE_TRANSFER,
    }
    return render(request, "lifecycle/letters.html", context)


@login_required
@require_GET
def mobile_list(request: HttpRequest) -> HttpResponse:
    context = _context(request, "mobile")
    rows = selectors.mobile_rows(context["org"], context["today"])
    context |= {
        "page": Paginator(rows, PAGE).get_page(request.GET.get("page")),
        "overdue_count": sum(1 for r in rows if r.state.contact_overdue),
        "mobile_months": rules.MOBILE_MONTHS,
        "contact_months": rules.CONTACT_MONTHS,
        "source": rules.SOURCE_MOBILE,
    }
    return render(request, "lifecycle/mobile.html", context)


@login_required
@require_GET
def suspensions_list(request: HttpRequest) -> HttpResponse:
    context = _context(request, "suspensions")
    show = "all" if request.GET.get("show") == "all" else "open"
    rows = selectors.suspension_rows(context["org"], context["today"], open_only=show == "open")
    context |= {
        "show": show,
        "page": Paginator(rows, PAGE).get_page(request.GET.get("page")),
        "source": rules.SOURCE_SUSPENSION,
    }
    return render(request, "lifecycle/suspensions.html", context)
