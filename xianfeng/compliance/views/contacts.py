"""Contact points (联系点): the list, adding one for a leader, ending one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from xianfeng.compliance import selectors, services
from xianfeng.compliance.forms import ContactPointForm, EndDateForm, add_service_errors
from xianfeng.compliance.models import ContactPoint
from xianfeng.compliance.views._common import _done, _form_page
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.models import Person, PostHolding

# --- Contact points -------------------------------------------------------------------------------


@login_required
@require_GET
def contact_points(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.VIEW, None):
        raise PermissionDenied
    page = Paginator(selectors.contact_points(request.user), 50).get_page(request.GET.get("page"))
    manageable = {
        cp.pk
        for cp in page.object_list
        if cp.end_date is None and can(request.user, Action.MANAGE_ORGS, cp.org)
    }
    context = {
        "page": page,
        "manageable": manageable,
        "can_create": can(request.user, Action.MANAGE_ORGS, None),
    }
    return render(request, "compliance/contact_points.html", context)


def _leaders(user: Any) -> Any:
    """People holding a post in a committee the user manages (the leaders who get contact points)."""
    holdings = (
        PostHolding.objects.current()
        .restrict(user, Action.MANAGE_ORGS)
        .filter(org__org_type__in=[OrgType.COMMITTEE, OrgType.GENERAL_BRANCH])
        .values("person_id")
    )
    return Person.objects.filter(pk__in=holdings).select_related("membership").order_by("name")


@login_required
@require_http_methods(["GET", "POST"])
def contact_point_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.MANAGE_ORGS, None):
        raise PermissionDenied
    orgs = (
        Org.objects.restrict(request.user, Action.MANAGE_ORGS)
        .filter(status=OrgStatus.ACTIVE, org_type__in=services.CONTACT_POINT_ORG_TYPES)
        .order_by("path")
    )
    form = ContactPointForm(request.POST or None, people=_leaders(request.user), orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_point_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, reverse("compliance:contact_points"), _("Contact point added."))
    return _form_page(
        request,
        {
            "form": form,
            "title": _("New contact point"),
            "submit": _("Add"),
            "cancel_url": reverse("compliance:contact_points"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def contact_point_end(request: HttpRequest, pk: int) -> HttpResponse:
    point = get_for_user(
        ContactPoint.objects.select_related("org", "person"), request.user, Action.MANAGE_ORGS, pk=pk
    )
    form = EndDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_point_end(
                actor=request.user, contact_point=point, end_date=form.cleaned_data["end_date"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, reverse("compliance:contact_points"), _("Contact point ended."))
    title = _("End the contact point %(person)s → %(org)s") % {
        "person": point.person.name,
        "org": point.org.name,
    }
    return _form_page(
        request,
        {
            "form": form,
            "title": title,
            "submit": _("End"),
            "cancel_url": reverse("compliance:contact_points"),
        },
    )
