"""Compliance pages: health check, subtree matrix, classification, obligations, contact points,
"due for me" and notifications.

Access: pages about orgs go through core.scoping (an org the user cannot see is a 404; an action
they may not take is a 403). Obligation profiles are read by every logged-in user and changed by
those who manage the orgs they apply to (services.may_edit_profile).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from xianfeng.compliance import selectors, services
from xianfeng.compliance.engine import Scope, Status
from xianfeng.compliance.forms import (
    AssignForm,
    ContactPointForm,
    EndDateForm,
    ImportForm,
    ObligationForm,
    ProfileForm,
    YearForm,
    add_service_errors,
)
from xianfeng.compliance.models import (
    ContactPoint,
    Notification,
    Obligation,
    ObligationProfile,
    ProfileAssignment,
)
from xianfeng.compliance.selectors import CELL_SYMBOLS, TIER_LABELS
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Post
from xianfeng.people.models import Person, PostHolding

MATRIX_PAGE = 40
CLASSIFICATION_PAGE = 50


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc


def _year(request: HttpRequest) -> int:
    year = YearForm(request.GET).year_or(timezone.localdate().year)
    return year


def _root(request: HttpRequest) -> tuple[Org | None, Scope]:
    """The org chosen with ?org= (404 if invisible), or the user's whole visible scope."""
    if not can(request.user, Action.VIEW, None):
        raise PermissionDenied
    if request.GET.get("org"):
        org: Org = get_for_user(
            Org.objects.all(), request.user, Action.VIEW, pk=_int_or_404(request.GET["org"])
        )
        return org, Scope.subtree(org)
    return None, Scope.of_user(request.user)


def _root_choices(user: Any) -> list[dict[str, Any]]:
    """Committees and general branches the user can see, to pick a subtree from (indented)."""
    orgs = list(
        Org.objects.restrict(user, Action.VIEW)
        .filter(org_type__in=[OrgType.COMMITTEE, OrgType.GENERAL_BRANCH], status=OrgStatus.ACTIVE)
        .order_by("path")
        .values("pk", "name", "depth")[:500]
    )
    top = min((o["depth"] for o in orgs), default=1)
    return [{"pk": o["pk"], "label": "\u3000" * (o["depth"] - top) + o["name"]} for o in orgs]


def _status_legend() -> list[dict[str, Any]]:
    order = [
        Status.MET,
        Status.PENDING,
        Status.DUE_SOON,
        Status.OVERDUE,
        Status.MISSED,
        Status.NOT_APPLICABLE,
    ]
    return [
        {"key": s, "label": Status(s).label, "symbol": CELL_SYMBOLS[s], "severity": selectors.SEVERITY[s]}
        for s in order
    ]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return redirect("compliance:matrix" if can(request.user, Action.VIEW, None) else "compliance:due")


# --- Health check ---------------------------------------------------------------------------------


@login_required
@require_GET
def health(request: HttpRequest, org_id: int) -> HttpResponse:
    org: Org = get_for_user(Org.objects.all(), request.user, Action.VIEW, pk=org_id)
    today = timezone.localdate()
    year = _year(request)
    result = selectors.health_check(org, year=year, today=today)
    month = request.GET.get("month", "")
    shown = result.findings
    month_number = int(month) if month.isdigit() and 1 <= int(month) <= 12 else None
    if month_number:
        shown = [
            f
            for f in shown
            if f.period_end and f.period_end.month == month_number and f.period_end.year == year
        ]
    evidence = result.evidence
    context = {
        "org": org,
        "crumbs": [*(a for a in org.get_ancestors() if can(request.user, Action.VIEW, a)), org],
        "health": result,
        "count_rows": [
            {**item, "count": result.counts.get(item["key"], 0)}
            for item in _status_legend()
            if item["key"] != Status.NOT_APPLICABLE
        ],
        "shown": [
            {"f": f, "activities": [evidence[pk] for pk in f.evidence if pk in evidence]} for f in shown
        ],
        "month": month_number,
        "months": list(range(1, 13)),
        "month_date": dt.date(year, month_number, 1) if month_number else None,
        "year": year,
        "years": list(range(today.year - 3, today.year + 2)),
        "tier_label": TIER_LABELS[result.tier],
        "thresholds": selectors.thresholds(),
        "legend": _status_legend(),
        "open_count": sum(1 for f in result.findings if f.is_open),
        "today": today,
    }
    return render(request, "compliance/health.html", context)


# --- Matrix ---------------------------------------------------------------------------------------


@login_required
@require_GET
def matrix(request: HttpRequest) -> HttpResponse:
    root, scope = _root(request)
    today = timezone.localdate()
    year = _year(request)
    problems_only = request.GET.get("problems") == "1"
    health_url = reverse("compliance:health", args=[0]).removesuffix("0/")
    page: Any
    if problems_only:
        result = selectors.matrix(scope=scope, year=year, today=today, with_scores=True)
        rows = [r for r in result.rows if selectors.SEVERITY[r.worst] >= selectors.SEVERITY[Status.DUE_SOON]]
        page = Paginator(rows, MATRIX_PAGE).get_page(request.GET.get("page"))
        page_rows = list(page.object_list)
    else:
        # Only the page's branches are evaluated: the queries and the time do not grow with the scope.
        page = Paginator(selectors.row_orgs(scope), MATRIX_PAGE).get_page(request.GET.get("page"))
        orgs = list(page.object_list)
        result = selectors.matrix(scope=Scope.subtrees(orgs), year=year, today=today, with_scores=True)
        wanted = {org.pk for org in orgs}
        page_rows = [row for row in result.rows if row.org.id in wanted]
    chart = {
        "months": [m.strftime("%Y-%m") for m in result.months],
        "rows": [row.org.name for row in page_rows],
        "cells": [
            [
                x,
                y,
                cell.severity,
                cell.met,
                cell.total,
                cell.symbol,
                f"{health_url}{row.org.id}/?year={year}&month={x + 1}",
            ]
            for y, row in enumerate(page_rows)
            for x, cell in enumerate(row.cells)
        ],
        "legend": [{**item, "label": str(item["label"])} for item in _status_legend()],
        "title": _("Compliance by branch and month, %(year)s") % {"year": year},
    }
    context = {
        "root": root,
        "roots": _root_choices(request.user),
        "year": year,
        "years": list(range(today.year - 3, today.year + 2)),
        "matrix": result,
        "rows": page_rows,
        "page": page,
        "problems_only": problems_only,
        "chart": chart,
        "chart_height": 100 + 26 * len(page_rows),
        "legend": _status_legend(),
        "query": _query(request, exclude=("page",)),
    }
    template = "compliance/partials/matrix_table.html" if _is_htmx(request) else "compliance/matrix.html"
    return render(request, template, context)


def _query(request: HttpRequest, exclude: tuple[str, ...]) -> str:
    params = request.GET.copy()
    for name in exclude:
        params.pop(name, None)
    return params.urlencode()


# --- Classification -------------------------------------------------------------------------------


@login_required
@require_GET
def classification(request: HttpRequest) -> HttpResponse:
    root, scope = _root(request)
    today = timezone.localdate()
    year = _year(request)
    result = selectors.classification(scope=scope, year=year, today=today)
    tier = request.GET.get("tier", "")
    rows = [r for r in result.rows if not tier or r.tier == tier]
    page = Paginator(rows, CLASSIFICATION_PAGE).get_page(request.GET.get("page"))
    context = {
        "root": root,
        "roots": _root_choices(request.user),
        "year": year,
        "years": list(range(today.year - 3, today.year + 2)),
        "result": result,
        "page": page,
        "tier": tier,
        "tiers": [{"key": k, "label": v, "count": result.counts.get(k, 0)} for k, v in TIER_LABELS.items()],
        "tier_labels": TIER_LABELS,
        "query": _query(request, exclude=("page",)),
        "query_all": _query(request, exclude=("page", "tier")),
    }
    return render(request, "compliance/classification.html", context)


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


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("cancel_url", reverse("compliance:obligations"))
    template = "compliance/partials/form.html" if _is_htmx(request) else "compliance/form.html"
    return render(request, template, context)


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)


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


# --- Due for me, notifications --------------------------------------------------------------------


@login_required
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    result = selectors.due_for_me(request.user, today)
    context = {"due": result, "today": today, "unread": selectors.unread_count(request.user)}
    return render(request, "compliance/due.html", context)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user.pk)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs.order_by("-created", "-id"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": request.GET.get("unread") == "1"}
    return render(request, "compliance/notifications.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, Q(user=request.user.pk), pk=pk)
    services.notification_read(user=request.user, notification=notification)
    if _is_htmx(request):
        return render(request, "compliance/partials/notification.html", {"n": notification})
    if request.POST.get("go") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("compliance:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": count})
    return redirect("compliance:notifications")
