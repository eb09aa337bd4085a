"""Helpers the module pages share: which org a page is about, the org picker, and service calls whose
refusals land on the form's fields."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest

from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.orgs.selectors import visible_roots

T = TypeVar("T")
MAX_ORG_CHOICES = 300


@dataclass(frozen=True)
class OrgChoice:
    pk: int
    label: str


def staff_only(request: HttpRequest) -> None:
    """Pages for people with a role somewhere; members without one are refused (403): their pages are
    the self-service ones ("my record", "my dues")."""
    if not can(request.user, Action.VIEW, None):
        raise PermissionDenied


def page_org(request: HttpRequest, value: str | None = None, *, action: str = Action.VIEW) -> Org:
    """The org a page is about: `value`, else ?org= or a posted org (404 when out of sight, 403 without
    `action`), else the user's first visible root."""
    if not can(request.user, action, None):
        raise PermissionDenied
    raw = value if value is not None else request.GET.get("org") or request.POST.get("org")
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
    """Active orgs the user sees (party groups count with their branch), indented by depth; the
    current org always present."""
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


def call(form: XianfengForm, write: Callable[[], T]) -> T | None:
    """Run a service call; its ValidationError lands on the form's fields and nothing is written."""
    try:
        return write()
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None
