"""Reads of user accounts for the "Users and roles" pages, restricted to what an actor may manage.

Which accounts may an actor see here? (documented rule, tested in core/tests/test_views_users.py)

* A global administrator (superuser, or system administrator on a root node) sees every account.
* Anyone else sees the accounts that have (or had: revoked grants count, so an account whose last
  role was just revoked stays reachable to re-grant or deactivate) a role grant on an org inside one
  of the actor's MANAGE_ROLES subtrees, or whose linked person's membership is in one of them.
  Superusers are never listed to them. An account with neither grants nor a linked person is listed
  to global admins only (a non-global admin creates accounts with a first role or a linked member, so
  they land in scope). Rights are another matter: a revoked grant gives none (core.scoping).
* Seeing an account is not managing it: resetting its password, (de)activating or unlocking it needs
  every one of its active grants and its member record inside the actor's subtrees, and no
  administrator role at or above the actor's own node (`account_manage_error`), so an admin cannot
  take over an account that holds rights elsewhere, a peer's, or a superior's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from xianfeng.core.models import RoleGrant
from xianfeng.core.roles import ROLE_ACTIONS, Action, Role
from xianfeng.core.scoping import granted_paths, is_global, scope_q


def manages_everything(actor: Any) -> bool:
    return actor is None or is_global(actor, Action.MANAGE_ROLES)


def manage_paths(actor: Any) -> list[str]:
    """The roots of the subtrees where the actor may manage roles (empty for global admins)."""
    return granted_paths(actor, Action.MANAGE_ROLES)


def in_manage_scope(actor: Any, path: str) -> bool:
    return manages_everything(actor) or any(path.startswith(root) for root in manage_paths(actor))


def strictly_below_own_node(actor: Any, path: str) -> bool:
    """Is the org below (not at) a node where the actor's right to manage roles comes from?"""
    if manages_everything(actor):
        return True
    return any(path.startswith(root) and len(path) > len(root) for root in manage_paths(actor))


def role_manage_error(actor: Any, role: str, org: Any) -> str | None:
    """Why the actor may not grant or revoke `role` on `org`, or None.

    Rules: the system administrator role is granted and revoked by global administrators only;
    roles that can themselves manage roles (committee administrator) only on organizations strictly
    below the actor's own administration node, so an administrator creates neither peers nor superiors
    and cannot remove a peer. Scope (the org inside the actor's subtrees) is checked by `require`.
    """
    if manages_everything(actor):
        return None
    if role == Role.SYSTEM_ADMIN:
        return _(
            "Only a system administrator of the whole organization may grant or revoke the system "
            "administrator role."
        )
    if Action.MANAGE_ROLES in ROLE_ACTIONS.get(role, ()) and not strictly_below_own_node(actor, org.path):
        return _(
            "Administrator roles can only be granted or revoked on organizations below your own "
            "administration node; ask a higher administrator."
        )
    return None


def active_grants() -> QuerySet[RoleGrant]:
    return RoleGrant.objects.filter(revoked_at__isnull=True)


def user_list(*, actor: Any) -> QuerySet[Any]:
    """Accounts the actor may see on the users pages (see the module docstring), by username."""
    from xianfeng.people.models import Person

    users = get_user_model().objects.order_by("username", "pk")
    if manages_everything(actor):
        return users
    if not manage_paths(actor):
        return users.none()
    granted = RoleGrant.objects.filter(scope_q(actor, Action.MANAGE_ROLES, "org__path")).values("user_id")
    linked = (
        Person.objects.filter(user__isnull=False)
        .filter(scope_q(actor, Action.MANAGE_ROLES, "membership__org__path"))
        .values("user_id")
    )
    return users.filter(Q(pk__in=granted) | Q(pk__in=linked)).exclude(is_superuser=True)


def with_list_data(users: QuerySet[Any]) -> QuerySet[Any]:
    """What a list row or the user page shows, in a fixed number of queries."""
    grants = active_grants().select_related("org").order_by("org__path", "role")
    return (
        users.select_related("person__membership__org")
        .defer("person__id_number", "person__phone")  # encrypted, and not shown here
        .prefetch_related(Prefetch("role_grants", queryset=grants, to_attr="active_grants"))
    )


def get_user_for_actor(actor: Any, pk: Any = None, **lookup: Any) -> Any:
    """One account the actor may see, or 404 (never 403: outsiders do not learn it exists)."""
    if pk is not None:
        lookup["pk"] = pk
    try:
        return with_list_data(user_list(actor=actor)).get(**lookup)
    except (get_user_model().DoesNotExist, ValueError):
        raise Http404 from None


def user_in_scope(actor: Any, user: Any) -> bool:
    return manages_everything(actor) or user_list(actor=actor).filter(pk=user.pk).exists()


def split_grants(actor: Any, grants: list[RoleGrant]) -> tuple[list[RoleGrant], int]:
    """The grants the actor may see (inside their subtrees), and how many others there are."""
    mine = [grant for grant in grants if in_manage_scope(actor, grant.org.path)]
    return mine, len(grants) - len(mine)


def account_manage_error(actor: Any, user: Any) -> str | None:
    """Why the actor may not reset the password of, (de)activate or unlock the account, or None."""
    if manages_everything(actor):
        return None
    if user.is_superuser:
        return _("Only a system administrator of the whole organization may manage a superuser account.")
    if not user_in_scope(actor, user):
        return _("This account has no role and no member record in your organizations.")
    grants = list(active_grants().filter(user_id=user.pk).values_list("role", "org__path"))
    home = (
        get_user_model()
        .objects.filter(pk=user.pk, person__isnull=False)
        .values_list("person__membership__org__path", flat=True)
        .first()
    )
    if home is not None and not in_manage_scope(actor, home):
        return _("This account belongs to a member of an organization outside yours.")
    for role, path in grants:
        if not in_manage_scope(actor, path):
            return _("This account also holds a role on an organization outside yours.")
        if role == Role.SYSTEM_ADMIN:
            return _("Only a system administrator of the whole organization may manage this account.")
        if Action.MANAGE_ROLES in ROLE_ACTIONS.get(role, ()) and not strictly_below_own_node(actor, path):
            return _("This account administers your own level; ask a higher administrator.")
    return None
