"""Helpers shared by the dues pages: which org a page is about, the org picker, service calls."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

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


def page_org(request: HttpRequest, value: str | None = None) -> Org:
    """The org a page is about: ?org= (404 when invisible), else the user's first visible root.
    Users who see no org at all (members) are refused: their page is "my dues"."""
    if not can(request.user, Action.VIEW, None):
        raise PermissionDenied
    raw = value if value is not None else request.GET.get("org") or request.POST.get("org")
    if raw:
        try:
            pk = int(raw)
        except (TypeError, ValueError) as exc:
            raise Http404 from exc
        org: Org = get_for_user(Org.objects.all(), request.user, Action.VIEW, pk=pk)
        return org
    roots = visible_roots(request.user)
    if not roots:
        raise PermissionDenied
    return sorted(roots, key=lambda o: o.path)[0]


def org_choices(user: Any, current: Org) -> list[OrgChoice]:
    """Orgs the user sees that hold members directly or above (party groups are counted with their
    branch), indented by depth; the current org is always present."""
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


def month_shift(month: dt.date, delta: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def page_url(name: str, **params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(query) if query else "")
