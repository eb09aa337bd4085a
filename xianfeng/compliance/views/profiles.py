"""Obligation profiles: the obligations list, enterprise profiles, their assignments and obligations."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xianfeng.compliance import selectors, services
from xianfeng.compliance.forms import (
    AssignForm,
    ImportForm,
    ObligationForm,
    ProfileForm,
    add_service_errors,
)
from xianfeng.compliance.models import Obligation, ObligationProfile, ProfileAssignment
from xianfeng.compliance.views._common import _done, _form_page
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Post

# --- Obligations ----------------------------------------------------------------------------------


def _manageable_orgs(user: Any) -> Any:
    return (
        Org.objects.restrict(user, Action.MANAGE_ORGS)
        .filter(status=OrgStatus.ACTIVE, org_type__in=[OrgType.COMMITTEE, OrgType.GENERAL_BRANCH])
        .order_by("path")
    )


@login_required
@require_GET
def obligations(request: HttpRequest) -> HttpResponse:
    profiles = selectors.profiles_with_obligations()
    type_labels, post_labels = dict(OrgType.choices), dict(Post.choices)
    for profile in profiles:
        for o in profile.obligations.all():
            o.org_type_labels = [str(type_labels.get(t, t)) for t in o.org_types]  # type: ignore[attr-defined]
            o.post_labels = [str(post_labels.get(p, p)) for p in o.posts]  # type: ignore[attr-defined]
    rows = [{"profile": p, "editable": services.may_edit_profile(request.user, p)} for p in profiles]
    context = {
        "profiles": rows,
        "can_create": can(request.user, Action.MANAGE_ORGS, None),
    }
    return render(request, "compliance/obligations.html", context)


def _editable_profile(request: HttpRequest, code: str) -> ObligationProfile:
    profile = get_object_or_404(ObligationProfile, code=code)
    if not services.may_edit_profile(request.user, profile):
        raise PermissionDenied
    return profile


@login_required
@require_http_methods(["GET", "POST"])
def profile_create(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.MANAGE_ORGS, None):
        raise PermissionDenied
    form = ProfileForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(
                request, reverse("compliance:obligations") + f"#profile-{profile.code}", _("Profile created.")
            )
    return _form_page(request, {"form": form, "title": _("New enterprise profile"), "submit": _("Create")})


@login_required
@require_http_methods(["GET", "POST"])
def profile_import(request: HttpRequest) -> HttpResponse:
    if not can(request.user, Action.MANAGE_ORGS, None):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None, orgs=_manageable_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            profile = services.profile_import(
                actor=request.user, data=form.cleaned_data["data"], org=form.cleaned_data["org"]
            )
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(None, f"{name}: {error}" if name != "__all__" else error)
        else:
            url = reverse("compliance:obligations") + f"#profile-{profile.code}"
            return _done(request, url, _("Profile imported and assigned."))
    return _form_page(
        request,
        {"form": form, "title": _("Import an enterprise profile"), "submit": _("Import"), "multipart": True},
    )


@login_required
@require_http_methods(["GET", "POST"])
def profile_assign(request: HttpRequest, code: str) -> HttpResponse:
    profile = _editable_profile(request, code)
    form = AssignForm(request.POST or None, orgs=_manageable_orgs(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_assign(actor=request.user, profile=profile, org=form.cleaned_data["org"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(
                request,
                reverse("compliance:obligations") + f"#profile-{profile.code}",
                _("Profile assigned."),
            )
    return _form_page(
        request, {"form": form, "title": _("Assign %(name)s") % {"name": profile.name}, "submit": _("Assign")}
    )


@login_required
@require_POST
def assignment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(ProfileAssignment.objects.select_related("org", "profile"), pk=pk)
    if not can(request.user, Action.VIEW, assignment.org):
        raise Http404
    services.profile_unassign(actor=request.user, assignment=assignment)
    return _done(request, reverse("compliance:obligations"), _("Assignment removed."))


@login_required
@require_http_methods(["GET", "POST"])
def obligation_create(request: HttpRequest, code: str) -> HttpResponse:
    profile = _editable_profile(request, code)
    form = ObligationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data, kinds = form.data_for_service()
        try:
            services.obligation_create(actor=request.user, profile=profile, data=data, kinds=kinds)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(
                request,
                reverse("compliance:obligations") + f"#profile-{profile.code}",
                _("Obligation added."),
            )
    title = _("New obligation in %(name)s") % {"name": profile.name}
    return _form_page(request, {"form": form, "title": title, "submit": _("Add")})


@login_required
@require_http_methods(["GET", "POST"])
def obligation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_object_or_404(Obligation.objects.select_related("profile"), pk=pk)
    if not services.may_edit_profile(request.user, obligation.profile):
        raise PermissionDenied
    form = ObligationForm(request.POST or None, initial=ObligationForm.initial_for(obligation))
    if request.method == "POST" and form.is_valid():
        data, kinds = form.data_for_service()
        try:
            services.obligation_update(actor=request.user, obligation=obligation, data=data, kinds=kinds)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            url = reverse("compliance:obligations") + f"#profile-{obligation.profile.code}"
            return _done(request, url, _("Obligation saved."))
    return _form_page(request, {"form": form, "title": obligation.title, "submit": _("Save")})


@login_required
@require_POST
def obligation_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = get_object_or_404(Obligation.objects.select_related("profile"), pk=pk)
    if not services.may_edit_profile(request.user, obligation.profile):
        raise PermissionDenied
    try:
        services.obligation_deactivate(actor=request.user, obligation=obligation)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("compliance:obligations")
    return _done(
        request,
        reverse("compliance:obligations") + f"#profile-{obligation.profile.code}",
        _("Obligation deactivated."),
    )
