"""Organization pages: the tree, an org's page, and the forms that call orgs.services.

Each view renders a full page, or for htmx requests only the fragment in templates/orgs/partials/.
Access: an org the user cannot see is a 404, one they see but may not manage is a 403.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from xianfeng.core.forms import add_service_errors
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.core.views_audit import with_diffs
from xianfeng.orgs import selectors, services
from xianfeng.orgs.choices import ALLOWED_PARENTS, OrgStatus
from xianfeng.orgs.forms import (
    OrgCreateForm,
    OrgDissolveForm,
    OrgEditForm,
    OrgMoveForm,
    OrgSearchForm,
    child_types,
)
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.selectors import org_posts


def _is_htmx(request: HttpRequest) -> bool:
    """An htmx request wanting a fragment (a history restore wants the full page)."""
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _org_for(request: HttpRequest, pk: int, action: str = Action.VIEW) -> Org:
    return get_for_user(Org.objects.all(), request.user, action, pk=pk)


def _breadcrumbs(user: Any, org: Org) -> list[Org]:
    """The visible ancestors of an org, top first (one query)."""
    return [a for a in org.get_ancestors() if can(user, Action.VIEW, a)]


# --- Tree -----------------------------------------------------------------------------------------


def _tree_nodes(nodes: list[Org], counts: dict[int, int]) -> list[dict[str, Any]]:
    return [{"org": org, "members": counts.get(org.pk, 0)} for org in nodes]


@login_required
def org_tree(request: HttpRequest) -> HttpResponse:
    """The visible subtrees, two levels deep; deeper levels load on demand (?parent=<pk>)."""
    if "parent" in request.GET:
        return _subtree(request, _org_for(request, _int_or_404(request.GET["parent"])))
    form = OrgSearchForm(request.GET or None)
    if form.is_search():
        return _search(request, form)
    roots = selectors.visible_roots(request.user)
    children = selectors.children_by_parent(roots)
    counts = selectors.subtree_member_counts([*roots, *(c for cs in children.values() for c in cs)])
    tree = [
        {"org": root, "members": counts[root.pk], "children": _tree_nodes(children[root.pk], counts)}
        for root in roots
    ]
    template = "orgs/partials/tree.html" if _is_htmx(request) else "orgs/tree.html"
    return render(request, template, {"form": form, "roots": tree})


def _subtree(request: HttpRequest, parent: Org) -> HttpResponse:
    """The children of one org: a fragment for htmx, else a page with the tree rooted there."""
    children = selectors.children_of(parent)
    counts = selectors.subtree_member_counts([parent, *children])
    nodes = _tree_nodes(children, counts)
    if _is_htmx(request):
        return render(request, "orgs/partials/tree_children.html", {"nodes": nodes})
    context = {
        "roots": [{"org": parent, "members": counts[parent.pk], "children": nodes}],
        "focus": parent,
        "ancestors": _breadcrumbs(request.user, parent),
        "form": OrgSearchForm(),
    }
    return render(request, "orgs/tree.html", context)


def _search(request: HttpRequest, form: OrgSearchForm) -> HttpResponse:
    results = selectors.search_orgs(
        request.user,
        q=form.cleaned_data["q"],
        org_type=form.cleaned_data["org_type"],
        term_due=form.cleaned_data["term"] == "due",
    )
    names = selectors.ancestor_names(request.user, results)
    counts = selectors.subtree_member_counts(results)
    rows = [
        {"org": org, "members": counts[org.pk], "within": " / ".join(_ancestor_path(org, names))}
        for org in results
    ]
    context = {"form": form, "results": rows, "searching": True, "limit": selectors.SEARCH_LIMIT}
    template = "orgs/partials/search_results.html" if _is_htmx(request) else "orgs/tree.html"
    return render(request, template, context)


def _ancestor_path(org: Org, names: dict[str, str]) -> list[str]:
    step = Org.steplen
    return [names[org.path[:end]] for end in range(step, len(org.path), step) if org.path[:end] in names]


def _int_or_404(value: str) -> int:
    try:
        return int(value)
    except ValueError as exc:
        raise Http404 from exc


# --- Org page -------------------------------------------------------------------------------------


@login_required
def org_detail(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    org = _org_for(request, pk)
    today = timezone.localdate()
    children = selectors.children_of(org)
    counts = selectors.subtree_member_counts([org, *children])
    posts = org_posts(org).select_related("person__membership")
    context = {
        "org": org,
        "ancestors": _breadcrumbs(user, org),
        "term": selectors.term_state(org, today),
        "members": counts[org.pk],
        "children": _tree_nodes(children, counts),
        "status_counts": [
            {"status": status, "label": PoliticalStatus(status).label, "count": n}
            for status, n in selectors.status_counts(org)
        ],
        "posts": posts,
        "can_manage": can(user, Action.MANAGE_ORGS, org),
        "can_add_child": bool(child_types(org)),
        "can_audit": can(user, Action.AUDIT, org),
    }
    if context["can_audit"]:
        context["history"] = with_diffs(selectors.org_history(org))
    return render(request, "orgs/detail.html", context)


# --- Forms ----------------------------------------------------------------------------------------


def _form_response(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    """Full page, or only the form card for htmx requests (the page template includes the partial).

    A refused POST answers 200 with the errors, because htmx swaps only 2xx responses."""
    if _is_htmx(request):
        return render(request, "orgs/partials/form.html", context)
    return render(request, template, context)


def _done(request: HttpRequest, org: Org, message: str) -> HttpResponse:
    messages.success(request, message)
    url = reverse("orgs:detail", args=[org.pk])
    return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)


@login_required
@require_http_methods(["GET", "POST"])
def org_create(request: HttpRequest) -> HttpResponse:
    parent: Org | None = None
    if request.GET.get("parent"):
        parent = _org_for(request, _int_or_404(request.GET["parent"]), Action.MANAGE_ORGS)
    elif not request.user.is_superuser:  # only a superuser creates a top-level organization
        raise PermissionDenied
    form = OrgCreateForm(request.POST or None, parent=parent)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_create(actor=request.user, parent=parent, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, org, _("Organization created."))
    context = {
        "form": form,
        "parent": parent,
        "org": parent,
        "ancestors": [*_breadcrumbs(request.user, parent), parent] if parent else [],
        "title": _("New organization"),
        "submit": _("Create"),
        "cancel_url": reverse("orgs:detail", args=[parent.pk]) if parent else reverse("orgs:tree"),
    }
    return _form_response(request, "orgs/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def org_edit(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org_for(request, pk, Action.MANAGE_ORGS)
    form = OrgEditForm(request.POST or None, initial=OrgEditForm.initial_for(org))
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_update(actor=request.user, org=org, data=dict(form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, org, _("Organization saved."))
    return _form_response(
        request, "orgs/form.html", _org_form_context(request, org, form, _("Edit"), _("Save"))
    )


def _org_form_context(request: HttpRequest, org: Org, form: Any, title: str, submit: str) -> dict[str, Any]:
    return {
        "form": form,
        "org": org,
        "ancestors": [*_breadcrumbs(request.user, org), org],
        "title": title,
        "submit": submit,
        "cancel_url": reverse("orgs:detail", args=[org.pk]),
    }


def move_targets(user: Any, org: Org) -> QuerySet[Org]:
    """Active orgs the user manages that may hold this type. Its own subtree stays in the list: the
    service refuses it with a rule the user can read."""
    allowed = [t for t in ALLOWED_PARENTS[org.org_type] if t is not None]
    return (
        Org.objects.restrict(user, Action.MANAGE_ORGS)
        .filter(status=OrgStatus.ACTIVE, org_type__in=allowed)
        .exclude(pk=org.pk)
    )


@login_required
@require_http_methods(["GET", "POST"])
def org_move(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org_for(request, pk, Action.MANAGE_ORGS)
    current_parent = org.get_parent()
    form = OrgMoveForm(
        request.POST or None,
        parents=move_targets(request.user, org),
        initial={"parent": current_parent.pk if current_parent else None},
    )
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_move(actor=request.user, org=org, new_parent=form.cleaned_data["parent"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, org, _("Organization moved."))
    context = _org_form_context(request, org, form, _("Move"), _("Move"))
    context["current_parent"] = current_parent
    return _form_response(request, "orgs/form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def org_dissolve(request: HttpRequest, pk: int) -> HttpResponse:
    org = _org_for(request, pk, Action.MANAGE_ORGS)
    form = OrgDissolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            org = services.org_dissolve(actor=request.user, org=org, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            return _done(request, org, _("Organization dissolved."))
    context = _org_form_context(request, org, form, _("Dissolve"), _("Dissolve"))
    context["danger"] = True
    return _form_response(request, "orgs/form.html", context)
