"""系统设置 › 用户与角色: accounts and their role grants.

Every page needs MANAGE_ROLES somewhere (403 otherwise). Accounts are read through
core.selectors (an account outside the actor's scope is a 404); views never write, core.services
does, and audits. Account actions (password, activation, unlock) are offered only when the actor may
manage the whole account (`account_manage_error`); the service re-checks and answers 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import F, Min, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from xianfeng.core import selectors, services
from xianfeng.core.forms import XianfengForm
from xianfeng.core.forms_users import (
    GrantForm,
    PasswordResetForm,
    UserCreateForm,
    UserFilterForm,
    manageable_orgs,
)
from xianfeng.core.models import RoleGrant
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, scope_q
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership, Person

PAGE_SIZE = 50
ORG_OPTION_LEVELS = 3
ORG_OPTION_LIMIT = 400
T = TypeVar("T")

SORTS: dict[str, tuple[Any, Any]] = {
    "username": (gettext_lazy("Username"), F("username")),
    "name": (gettext_lazy("Name"), F("first_name")),
    "last_login": (gettext_lazy("Last login"), F("last_login")),
}


def _require_manager(request: HttpRequest) -> Any:
    if not can(request.user, Action.MANAGE_ROLES, None):
        raise PermissionDenied
    return request.user


def _linked_membership(actor: Any, account: Any) -> tuple[Membership | None, bool]:
    """The account's member record, and whether the actor may open it."""
    try:
        membership = account.person.membership
    except ObjectDoesNotExist:
        return None, False
    return membership, selectors.in_manage_scope(actor, membership.org.path)


# --- the list -------------------------------------------------------------------------------


@dataclass
class UserRow:
    account: Any
    membership: Membership | None
    member_visible: bool
    grants: list[RoleGrant]
    other_grants: int


def _filter(users: QuerySet[Any], actor: Any, data: dict[str, Any]) -> QuerySet[Any]:
    if data.get("q"):
        q = data["q"].strip()
        users = users.filter(
            Q(username__icontains=q)
            | Q(first_name__icontains=q)
            | Q(last_name__icontains=q)
            | Q(person__name__icontains=q)
        )
    if data.get("active") in ("yes", "no"):
        users = users.filter(is_active=data["active"] == "yes")
    org = None
    if data.get("org"):
        org = manageable_orgs(actor).filter(pk=data["org"]).only("path").first()
        if org is None:
            return users.none()
    if data.get("role") or org is not None:
        grants = selectors.active_grants().filter(scope_q(actor, Action.MANAGE_ROLES, "org__path"))
        if data.get("role"):
            grants = grants.filter(role=data["role"])
        if org is not None:
            grants = grants.filter(org__path__startswith=org.path)
        query = Q(pk__in=grants.values("user_id"))
        if org is not None and not data.get("role"):
            members = Person.objects.filter(user__isnull=False, membership__org__path__startswith=org.path)
            query |= Q(pk__in=members.values("user_id"))
        users = users.filter(query)
    return users


def _sorted(users: QuerySet[Any], sort: str) -> tuple[QuerySet[Any], str]:
    key = sort.removeprefix("-")
    if key not in SORTS:
        return users, ""
    expression = SORTS[key][1]
    ordering = expression.desc(nulls_last=True) if sort.startswith("-") else expression.asc(nulls_last=True)
    return users.order_by(ordering, "username", "pk"), sort


def _columns(sort: str) -> list[dict[str, Any]]:
    columns = []
    for key, (label, _expression) in SORTS.items():
        state = "ascending" if sort == key else "descending" if sort == f"-{key}" else ""
        columns.append(
            {"key": key, "label": label, "state": state, "next": f"-{key}" if sort == key else key}
        )
    return columns


def _org_options(actor: Any, selected: Any) -> list[tuple[int, str]]:
    """The top levels of the orgs where the actor manages roles, plus the selected org."""
    orgs_in_scope = manageable_orgs(actor)
    base = orgs_in_scope.aggregate(base=Min("depth"))["base"] or 1
    fields = ("pk", "name", "short_name", "depth", "path")
    orgs: list[Org] = []
    for levels in range(ORG_OPTION_LEVELS, 0, -1):
        orgs = list(orgs_in_scope.filter(depth__lt=base + levels).only(*fields)[: ORG_OPTION_LIMIT + 1])
        if len(orgs) <= ORG_OPTION_LIMIT:
            break
    orgs = orgs[:ORG_OPTION_LIMIT]
    if selected and all(o.pk != selected for o in orgs):
        orgs += list(orgs_in_scope.filter(pk=selected).only(*fields))
    return [(o.pk, "\u3000" * (o.depth - base) + o.display_name) for o in sorted(orgs, key=lambda o: o.path)]


@login_required
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _require_manager(request)
    form = UserFilterForm(request.GET or None)
    users = selectors.user_list(actor=actor)
    filtered = False
    if form.is_bound and form.is_valid():
        users = _filter(users, actor, form.cleaned_data)
        filtered = any(form.cleaned_data.get(name) for name in ("q", "role", "org", "active"))
    users, sort = _sorted(users, request.GET.get("sort", ""))
    page = Paginator(selectors.with_list_data(users), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = []
    for account in page.object_list:
        grants, others = selectors.split_grants(actor, account.active_grants)
        membership, visible = _linked_membership(actor, account)
        rows.append(UserRow(account, membership, visible, grants, others))
    context = {
        "form": form,
        "page": page,
        "rows": rows,
        "columns": _columns(sort),
        "sort": sort,
        "filtered": filtered,
        "partial": bool(getattr(request, "htmx", None) and request.htmx.target == "user-table"),  # type: ignore[attr-defined]
    }
    if context["partial"]:
        return render(request, "core/partials/users_table.html", context)
    selected = form.cleaned_data.get("org") if form.is_bound and form.is_valid() else None
    context["org_options"] = _org_options(actor, selected)
    context["selected_org"] = selected
    return render(request, "core/users_list.html", context)


# --- one account ----------------------------------------------------------------------------


def _detail_context(actor: Any, account: Any, grant_form: GrantForm) -> dict[str, Any]:
    grants, others = selectors.split_grants(actor, account.active_grants)
    membership, member_visible = _linked_membership(actor, account)
    revoked = (
        RoleGrant.objects.filter(user_id=account.pk, revoked_at__isnull=False)
        .filter(scope_q(actor, Action.MANAGE_ROLES, "org__path"))
        .select_related("org", "granted_by")
        .order_by("-revoked_at", "-pk")[:20]
    )
    manage_error = selectors.account_manage_error(actor, account)
    return {
        "account": account,
        "membership": membership,
        "member_visible": member_visible,
        "grants": grants,
        "other_grants": others,
        "revocable_ids": {g.pk for g in grants if selectors.role_manage_error(actor, g.role, g.org) is None},
        "revoked_grants": list(revoked),
        "manage_error": manage_error,
        "locked_out": services.is_locked_out(account),
        "grant_form": grant_form,
        "is_self": account.pk == actor.pk,
    }


@login_required
def user_detail(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _require_manager(request)
    account = selectors.get_user_for_actor(actor, pk)
    return render(request, "core/users_detail.html", _detail_context(actor, account, GrantForm(user=actor)))


def _call(form: XianfengForm, write: Callable[[], T]) -> T | None:
    """Run a service call; its ValidationError lands on the form's fields and nothing is written."""
    try:
        return write()
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


def _done(request: HttpRequest, account: Any, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("users:detail", pk=account.pk)


@login_required
@require_POST
def user_grant(request: HttpRequest, pk: int) -> HttpResponse:
    actor = _require_manager(request)
    account = selectors.get_user_for_actor(actor, pk)
    form = GrantForm(request.POST, user=actor)
    if form.is_valid():
        data = form.cleaned_data
        grant = _call(
            form, lambda: services.role_grant(actor=actor, user=account, org=data["org"], role=data["role"])
        )
        if grant is not None:
            return _done(
                request,
                account,
                _("%(role)s @ %(org)s was granted to %(username)s.")
                % {
                    "role": grant.get_role_display(),
                    "org": grant.org.display_name,
                    "username": account.username,
                },
            )
    return render(request, "core/users_detail.html", _detail_context(actor, account, form))


@login_required
@require_POST
def user_revoke(request: HttpRequest, pk: int, grant_pk: int) -> HttpResponse:
    actor = _require_manager(request)
    account = selectors.get_user_for_actor(actor, pk)
    grant = (
        selectors.active_grants()
        .filter(scope_q(actor, Action.MANAGE_ROLES, "org__path"))
        .select_related("org")
        .filter(pk=grant_pk, user_id=account.pk)
        .first()
    )
    if grant is None:
        raise Http404
    try:
        services.role_revoke(actor=actor, grant=grant)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("users:detail", pk=account.pk)
    return _done(
        request,
        account,
        _("%(role)s @ %(org)s was revoked from %(username)s.")
        % {"role": grant.get_role_display(), "org": grant.org.display_name, "username": account.username},
    )


def _form_page(
    request: HttpRequest, form: XianfengForm, *, title: str, submit: str, **extra: Any
) -> HttpResponse:
    account = extra.get("account")
    context = {
        "form": form,
        "title": title,
        "submit_label": submit,
        "cancel_url": reverse("users:detail", args=[account.pk]) if account else reverse("users:list"),
        **extra,
    }
    return render(request, "core/users_form.html", context)


def _manageable_account(request: HttpRequest, pk: int) -> tuple[Any, Any]:
    actor = _require_manager(request)
    account = selectors.get_user_for_actor(actor, pk)
    reason = selectors.account_manage_error(actor, account)
    if reason:
        raise PermissionDenied(reason)
    return actor, account


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _require_manager(request)
    initial = {"member": request.GET.get("member", "")[:64]} if request.GET.get("member") else {}
    form = UserCreateForm(request.POST if request.method == "POST" else None, user=actor, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        account = _call(
            form,
            lambda: services.user_create(
                actor=actor,
                username=data["username"],
                full_name=data["full_name"],
                password=data["password"],
                person=form.person,
                org=data["org"],
                role=data["role"],
            ),
        )
        if account is not None:
            return _done(
                request, account, _("The account %(username)s was created.") % {"username": account.username}
            )
    return _form_page(
        request,
        form,
        title=_("New account"),
        submit=_("Create account"),
        intro=_(
            "Give the account a first role, or link it to a member so they can see their own record. "
            "More roles can be granted on the account's page."
        ),
    )


@login_required
def user_password(request: HttpRequest, pk: int) -> HttpResponse:
    actor, account = _manageable_account(request, pk)
    form = PasswordResetForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        saved = _call(
            form,
            lambda: services.user_set_password(
                actor=actor, user=account, password=form.cleaned_data["password"]
            ),
        )
        if saved is not None:
            if saved.pk == actor.pk:  # keep the administrator's own session
                update_session_auth_hash(request, saved)
            return _done(
                request,
                account,
                _("The password of %(username)s was reset. Their open sessions have ended.")
                % {"username": account.username},
            )
    return _form_page(
        request,
        form,
        title=_("Reset password"),
        submit=_("Set the new password"),
        account=account,
        intro=_(
            "Tell the account holder the new password in person or by phone, and ask them to change it. "
            "The password is not recorded in the audit log."
        ),
    )


@login_required
@require_POST
def user_set_active(request: HttpRequest, pk: int) -> HttpResponse:
    actor, account = _manageable_account(request, pk)
    active = request.POST.get("active") == "1"
    try:
        services.user_set_active(actor=actor, user=account, active=active)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("users:detail", pk=account.pk)
    message = (
        _("The account %(username)s was activated.")
        if active
        else _("The account %(username)s was deactivated; it can no longer log in.")
    )
    return _done(request, account, message % {"username": account.username})


@login_required
@require_POST
def user_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    actor, account = _manageable_account(request, pk)
    services.user_unlock(actor=actor, user=account)
    return _done(
        request,
        account,
        _("The account %(username)s was unlocked and may log in again.") % {"username": account.username},
    )
