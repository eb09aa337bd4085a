"""The one choke point for row-level access.

A user's grants are (role, org path) pairs; a role allows a set of actions (core.roles) on the
granted node's whole subtree, which is `<org path field>__startswith=<granted path>` on any model
that reaches an org (Wagtail's subtree permissions on a treebeard materialized path).

Every org-scoped queryset is a `ScopedQuerySet` and is filtered with `.restrict(user, action)`;
single objects are fetched with `get_for_user()`; services call `require()` before writing and
`ensure_in_scope()` after.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, ClassVar, Self, TypeVar

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Q
from django.http import Http404

from xianfeng.core.roles import ROLE_ACTIONS, Action, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from xianfeng.orgs.models import Org

    AnyUser = AbstractBaseUser | AnonymousUser

_M = TypeVar("_M", bound=models.Model)

_CACHE_ATTR = "_xianfeng_grants"
_SELF_CACHE_ATTR = "_xianfeng_own_rows"


def _grants(user: Any) -> list[tuple[str, str]]:
    """(role, org path) of the user's active grants, loaded once per user object (per request)."""
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        from xianfeng.core.models import RoleGrant

        cached = list(
            RoleGrant.objects.filter(user_id=user.pk, revoked_at__isnull=True).values_list(
                "role", "org__path"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_grants(user: Any) -> None:
    """Call after changing a user's grants or linked records inside the same request."""
    for attr in (_CACHE_ATTR, _SELF_CACHE_ATTR):
        user.__dict__.pop(attr, None)


def _active(user: Any) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def is_global(user: Any, action: str) -> bool:
    """Superusers act everywhere; so does a system administrator granted on a root node."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(role == Role.SYSTEM_ADMIN and len(path) <= 4 for role, path in _grants(user))


def granted_paths(user: Any, action: str) -> list[str]:
    """The minimal set of subtree roots where the user may perform `action`."""
    if not _active(user):
        return []
    paths = sorted({path for role, path in _grants(user) if action in ROLE_ACTIONS.get(role, ())})
    minimal: list[str] = []
    for path in paths:  # sorted, so an ancestor comes before its descendants
        if not any(path.startswith(root) for root in minimal):
            minimal.append(path)
    return minimal


def _subtree_q(paths: list[str], path_field: str) -> Q:
    """Rows in any of the subtrees. For a related org (`org__path`) this is `org_id IN (SELECT id
    FROM orgs WHERE path LIKE …)`, which stays on the row's own table, so an OR with other
    conditions on that table can still use indexes (a LIKE on the joined table cannot)."""
    if not paths:
        return Q(pk__in=[])
    on_orgs = Q()
    for path in paths:
        on_orgs |= Q(path__startswith=path)
    if path_field == "path":
        return on_orgs
    from xianfeng.orgs.models import Org

    fk = path_field.removesuffix("__path")
    return Q(**{f"{fk}__in": Org.objects.filter(on_orgs).values("pk")})


def scope_q(user: Any, action: str, path_field: str) -> Q:
    """A Q selecting rows whose org is in a subtree where `user` may do `action`."""
    if is_global(user, action):
        return Q()
    return _subtree_q(granted_paths(user, action), path_field)


def can(user: Any, action: str, org: Org | None) -> bool:
    """May `user` perform `action` on `org` (None means "somewhere")?"""
    if is_global(user, action):
        return True
    paths = granted_paths(user, action)
    if org is None:
        return bool(paths)
    return any(org.path.startswith(path) for path in paths)


def require(actor: Any, action: str, org: Org | None) -> None:
    """Raise PermissionDenied unless the actor may act on the org. `None` actor is the system."""
    if actor is None:
        return
    if not can(actor, action, org):
        raise PermissionDenied(f"not allowed: {action}")


def roles_of(user: Any) -> set[str]:
    return {role for role, _path in _grants(user)} if _active(user) else set()


class ScopedQuerySet(models.QuerySet[_M]):
    """A queryset that knows how its rows reach an org, and so can restrict itself to a user.

    `org_path_field` is the lookup from a row to its org's materialized path; `self_field`, if set,
    is the lookup from a row to the user account it belongs to (a member sees their own record).
    """

    org_path_field: ClassVar[str] = "org__path"
    self_field: ClassVar[str | None] = None

    def restrict(self, user: Any, action: str = Action.VIEW) -> Self:
        if is_global(user, action):  # Q() | Q(self) would shrink "everything" to the user's own rows
            return self.all()
        query = scope_q(user, action, self.org_path_field)
        if self.self_field and action == Action.VIEW and _active(user):
            own = self._own_pks(user)
            if own:
                query |= Q(pk__in=own)
        return self.filter(query)

    def _own_pks(self, user: Any) -> list[Any]:
        """Primary keys of the user's own rows, looked up once per user object and model."""
        cache: dict[str, list[Any]] = user.__dict__.setdefault(_SELF_CACHE_ATTR, {})
        label = self.model._meta.label
        if label not in cache and self.self_field is not None:
            rows = self.model._default_manager.filter(**{self.self_field: user})
            cache[label] = list(rows.values_list("pk", flat=True))
        return cache.get(label, [])

    def in_subtree(self, org: Org) -> Self:
        return self.filter(**{f"{self.org_path_field}__startswith": org.path})


def get_for_user(queryset: ScopedQuerySet[_M], user: Any, action: str = Action.VIEW, **lookup: Any) -> _M:
    """Fetch one object for a user: 404 if they cannot see it, 403 if they see it but may not act."""
    try:
        obj = queryset.restrict(user, Action.VIEW).get(**lookup)
    except (models.ObjectDoesNotExist, ValueError, ValidationError) as exc:  # bad codes are 404s too
        raise Http404 from exc
    if action != Action.VIEW and not queryset.restrict(user, action).filter(pk=obj.pk).exists():
        raise PermissionDenied(f"not allowed: {action}")
    return obj


def ensure_in_scope(actor: Any, action: str, queryset: ScopedQuerySet[Any], pks: Iterable[Any]) -> None:
    """After a write, inside the transaction: the rows must still be in the actor's scope (NetBox)."""
    if actor is None:
        return
    wanted = set(pks)
    found = set(queryset.restrict(actor, action).filter(pk__in=wanted).values_list("pk", flat=True))
    if found != wanted:
        raise PermissionDenied("the change would move the record outside your scope")
