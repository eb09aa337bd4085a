"""Helpers of the development pages: the shared org helpers (core.pages) and the person of a page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from xianfeng.core.pages import OrgChoice, call, org_choices, page_org, staff_only
from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user
from xianfeng.people.models import Membership

__all__ = ["OrgChoice", "call", "org_choices", "page_org", "person", "staff_only"]


def person(request: HttpRequest, code: Any, action: str = Action.VIEW) -> Membership:
    """The membership of the page: 404 out of scope, 403 when seen but not changeable."""
    staff_only(request)
    qs = Membership.objects.select_related("person", "org")
    membership: Membership = get_for_user(qs, request.user, action, code=code)
    return membership
