"""Helpers of the lifecycle pages: the shared org helpers (core.pages), the member and record look-ups
through the scoping choke point, and the form page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from xianfeng.core.forms import XianfengForm
from xianfeng.core.pages import OrgChoice, call, org_choices, page_org
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ScopedQuerySet, get_for_user
from xianfeng.people.models import Membership

__all__ = [
    "OrgChoice",
    "back_to_record",
    "call",
    "form_page",
    "member_for",
    "org_choices",
    "page_org",
    "posted",
    "record_for",
]


def member_for(request: HttpRequest, code: Any, action: str = Action.CHANGE) -> Membership:
    """A member's record: 404 when out of sight, 403 when visible but not `action`."""
    queryset = Membership.objects.select_related("person", "org")
    membership: Membership = get_for_user(queryset, request.user, action, code=code)
    return membership


def record_for(
    request: HttpRequest, queryset: ScopedQuerySet[Any], code: Any, action: str = Action.CHANGE
) -> Any:
    """A lifecycle record by its code, through the same choke point."""
    return get_for_user(queryset, request.user, action, code=code)


def posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def form_page(
    request: HttpRequest,
    form: XianfengForm,
    *,
    title: str,
    submit: str,
    membership: Membership | None = None,
    intro: str = "",
    danger: bool = False,
    cancel_url: str = "",
    summary: list[tuple[Any, Any]] | None = None,
) -> HttpResponse:
    """The form on its own page (phone-friendly); 400 when a posted form has errors."""
    if not cancel_url:
        cancel_url = (
            reverse("people:detail", args=[membership.code]) if membership else reverse("lifecycle:letters")
        )
    context = {
        "form": form,
        "title": title,
        "submit_label": submit,
        "membership": membership,
        "intro": intro,
        "danger": danger,
        "cancel_url": cancel_url,
        "summary": summary or [],
    }
    return render(request, "lifecycle/form.html", context, status=400 if form.is_bound else 200)


def back_to_record(request: HttpRequest, membership: Membership, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("people:detail", args=[membership.code]) + "#lifecycle")
