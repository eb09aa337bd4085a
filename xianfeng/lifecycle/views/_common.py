"""Helpers of the lifecycle pages: the org a list is about, the org picker, the member and record
look-ups through the scoping choke point, service calls on forms, and the form page."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ScopedQuerySet, can, get_for_user
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.orgs.selectors import visible_roots
from xianfeng.people.models import Membership

T = TypeVar("T")
MAX_ORG_CHOICES = 300


@dataclass(frozen=True)
class OrgChoice:
    pk: int
    label: str


def page_org(request: HttpRequest, action: str = Action.VIEW) -> Org:
    """?org= (404 when invisible, 403 without `action`), else the user's first visible root.
    Users who see no org at all (members with the self-service role only) are refused."""
    if not can(request.user, action, None):
        raise PermissionDenied
    raw = request.GET.get("org") or request.POST.get("org")
    if raw:
        try:
            pk = int(raw)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        org: Org = get_for_user(Org.objects.all(), request.user, action, pk=pk)
        return org
    roots = visible_roots(request.user)
    if not roots:
        raise PermissionDenied
    return sorted(roots, key=lambda o: o.path)[0]


def org_choices(user: Any, current: Org) -> list[OrgChoice]:
    """Orgs the user sees (not party groups), indented by depth; the current one always present."""
    orgs = list(
        Org.objects.restrict(user, Action.VIEW)
        .filter(status=OrgStatus.ACTIVE)
        .exclude(org_type=OrgType.PARTY_GROUP)
        .order_by("path")
        .only("pk", "name", "depth", "path")[:MAX_ORG_CHOICES]
    )
    if current.pk not in {o.pk for o in orgs}:
        orgs.insert(0, current)
    top = min((o.depth for o in orgs), default=1)
    return [OrgChoice(o.pk, "\u3000" * (o.depth - top) + o.name) for o in orgs]


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


def call(form: XianfengForm, write: Callable[[], T]) -> T | None:
    """Run a service call; its ValidationError lands on the form's fields and nothing is written."""
    try:
        return write()
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


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
