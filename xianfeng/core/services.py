"""The only writers of user accounts and role grants. Each write is validated, scoped and audited.

Rules (see also core/selectors.py for which accounts an actor sees and may manage):

* Every service needs MANAGE_ROLES: somewhere for accounts, on the grant's org for grants.
* Roles: one active grant per (user, org, role); the system administrator role is granted and revoked
  by global administrators only; administrator roles (those that can manage roles) only strictly below
  the actor's own administration node; no grants on dissolved organizations. Revoking keeps the row
  (revoked_at) as history.
* Accounts: the password passes settings.AUTH_PASSWORD_VALIDATORS; usernames are unique ignoring case;
  a non-global administrator creates an account with a first role or a linked member of their
  organizations, so the account lands in their scope; a person is linked to one account at most.
* Passwords never reach the audit log, not even censored.

`actor=None` is the system (demo, tests, commands): no scope checks.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit, selectors
from xianfeng.core.models import RoleGrant
from xianfeng.core.roles import Action, Role
from xianfeng.core.scoping import forget_grants, require
from xianfeng.orgs.choices import OrgStatus
from xianfeng.orgs.models import Org


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


def _account_snapshot(user: Any) -> audit.Snapshot:
    return audit.Snapshot(username=user.get_username(), first_name=user.first_name, is_active=user.is_active)


def _home_org(user: Any) -> Org | None:
    """The org an account event is filed under: the linked member's org, else its highest grant."""
    from xianfeng.people.models import Membership

    membership = Membership.objects.filter(person__user_id=user.pk).select_related("org").first()
    if membership is not None:
        return membership.org
    grant = (
        selectors.active_grants().filter(user_id=user.pk).select_related("org").order_by("org__depth").first()
    )
    return grant.org if grant is not None else None


def _require_account(actor: Any, user: Any) -> None:
    """The actor may see the account and manage it (all its grants are inside their subtrees)."""
    if actor is None:
        return
    require(actor, Action.MANAGE_ROLES, None)
    if not selectors.user_in_scope(actor, user):
        raise PermissionDenied("the account is outside your scope")
    reason = selectors.account_manage_error(actor, user)
    if reason:
        raise PermissionDenied(reason)


def _password_errors(password: str, user: Any) -> list[str]:
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def _locked(user: Any) -> Any:
    return get_user_model().objects.select_for_update().get(pk=user.pk)


# --- accounts ---------------------------------------------------------------------------------


@transaction.atomic
def user_create(
    *,
    actor: Any,
    username: str,
    full_name: str,
    password: str,
    person: Any = None,
    org: Org | None = None,
    role: str = "",
) -> Any:
    """A login account, optionally linked to a member and given a first role (`org` and `role`)."""
    from xianfeng.people import services as people_services
    from xianfeng.people.models import Person

    require(actor, Action.MANAGE_ROLES, None)
    user_model = get_user_model()
    username, full_name = username.strip(), full_name.strip()
    user = user_model(username=username, first_name=full_name, is_active=True)
    errors: dict[str, Any] = {}
    if not username:
        errors["username"] = _("Enter a username.")
    elif user_model.objects.filter(username__iexact=username).exists():
        errors["username"] = _("This username is taken (usernames are compared ignoring case).")
    if not full_name:
        errors["full_name"] = _("Enter the full name of the account holder.")
    password_errors = _password_errors(password, user)
    if password_errors:
        errors["password"] = password_errors
    if person is not None:
        person = (
            Person.objects.select_for_update(of=("self",)).select_related("membership__org").get(pk=person.pk)
        )
        if (
            actor is not None
            and not Person.objects.restrict(actor, Action.MANAGE_ROLES).filter(pk=person.pk).exists()
        ):
            errors["person"] = _("You may only link members of organizations where you manage roles.")
        elif person.user_id is not None:
            errors["person"] = _("This member is already linked to the account “%(username)s”.") % {
                "username": person.user.get_username()
            }
    if bool(org) != bool(role):
        errors["org" if role else "role"] = _("Choose both an organization and a role, or neither.")
    elif org is None and person is None and not selectors.manages_everything(actor):
        errors["org"] = _(
            "Give the account a first role or link a member: otherwise it would fall outside the "
            "organizations you manage."
        )
    elif org is not None:
        require(actor, Action.MANAGE_ROLES, org)
        for key, message in _grant_errors(actor, user=None, org=org, role=role).items():
            errors.setdefault(key, message)
    user.set_password(password)
    try:
        user.full_clean(exclude=["last_login", "date_joined"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault({"first_name": "full_name"}.get(key, key), messages)
    _raise(errors)
    user.save()
    home = org or (person.membership.org if person is not None else None)
    audit.record(actor=actor, action="user.create", target=user, org=home, after=_account_snapshot(user))
    if person is not None:
        people_services.person_link_user(actor=actor, person=person, user=user)
    if org is not None:
        _grant(actor=actor, user=user, org=org, role=role)
    return user


@transaction.atomic
def user_set_password(*, actor: Any, user: Any, password: str) -> Any:
    """An administrator sets a new password; the user's sessions end (Django's session hash)."""
    user = _locked(user)
    _require_account(actor, user)
    errors = _password_errors(password, user)
    if errors:
        raise ValidationError({"password": errors})
    user.set_password(password)
    user.save(update_fields=["password"])
    audit.record(actor=actor, action="user.password_reset", target=user, org=_home_org(user))
    return user


@transaction.atomic
def user_set_active(*, actor: Any, user: Any, active: bool) -> Any:
    """Deactivate (instead of deleting: history keeps pointing at the account) or reactivate."""
    user = _locked(user)
    _require_account(actor, user)
    if not active and actor is not None and actor.pk == user.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    before = _account_snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    audit.record(
        actor=actor,
        action="user.activate" if active else "user.deactivate",
        target=user,
        org=_home_org(user),
        before=before,
        after=_account_snapshot(user),
    )
    return user


def failed_login_usernames(user: Any) -> list[str]:
    from axes.models import AccessAttempt

    return sorted(
        set(
            AccessAttempt.objects.filter(username__iexact=user.get_username()).values_list(
                "username", flat=True
            )
        )
    )


def is_locked_out(user: Any) -> bool:
    """Has django-axes locked this username? Like its database handler: the failures of the recent
    attempts (within the cool-off time) of one username, summed, reach the limit."""
    from axes.helpers import get_cool_off
    from axes.models import AccessAttempt
    from django.conf import settings
    from django.db.models import Sum

    attempts = AccessAttempt.objects.filter(username__iexact=user.get_username())
    cool_off = get_cool_off()
    if cool_off is not None:
        attempts = attempts.filter(attempt_time__gte=timezone.now() - cool_off)
    totals = attempts.values("username").annotate(failures=Sum("failures_since_start"))
    return any(row["failures"] >= settings.AXES_FAILURE_LIMIT for row in totals)


@transaction.atomic
def user_unlock(*, actor: Any, user: Any) -> int:
    """Clear the failed logins (and so the lockout) of the username; returns how many were cleared."""
    from axes.utils import reset

    user = _locked(user)
    _require_account(actor, user)
    cleared = sum(reset(username=name) for name in failed_login_usernames(user))
    audit.record(
        actor=actor,
        action="user.unlock",
        target=user,
        org=_home_org(user),
        message=_("%(count)d failed login records cleared.") % {"count": cleared},
    )
    return cleared


# --- role grants ------------------------------------------------------------------------------


@transaction.atomic
def role_grant(*, actor: Any, user: Any, org: Org, role: str) -> RoleGrant:
    """Grant `role` on `org` (and so on its subtree) to an account the actor may see."""
    require(actor, Action.MANAGE_ROLES, org)
    if actor is not None and not selectors.user_in_scope(actor, user):
        raise PermissionDenied("the account is outside your scope")
    return _grant(actor=actor, user=user, org=org, role=role)


def _grant_errors(actor: Any, *, user: Any, org: Org, role: str) -> dict[str, str]:
    """The grant rules (module docstring); `user` None for an account not saved yet."""
    errors: dict[str, str] = {}
    if role not in Role.values:
        errors["role"] = _("Choose one of the listed roles.")
    else:
        reason = selectors.role_manage_error(actor, role, org)
        if reason:
            errors["role"] = reason
        elif user is not None and selectors.active_grants().filter(user=user, org=org, role=role).exists():
            errors["role"] = _("%(username)s already holds this role on this organization.") % {
                "username": user.get_username()
            }
    if org.status != OrgStatus.ACTIVE:
        errors["org"] = _("This organization has been dissolved; roles can only be granted on active ones.")
    return errors


def _grant(*, actor: Any, user: Any, org: Org, role: str) -> RoleGrant:
    require(actor, Action.MANAGE_ROLES, org)
    locked = _locked(user)
    _raise(_grant_errors(actor, user=locked, org=org, role=role))
    grant = RoleGrant(user=locked, org=org, role=role, granted_by=_account(actor))
    grant.full_clean()
    try:
        with transaction.atomic():
            grant.save()
    except IntegrityError as exc:  # a concurrent identical grant
        raise ValidationError({"role": _("This role was just granted by someone else.")}) from exc
    audit.record(
        actor=actor,
        action="role.grant",
        target=grant,
        org=org,
        after=audit.Snapshot(user=locked.get_username(), org=org.name, role=role),
        target_repr=f"{locked.get_username()} · {Role(role).label}",
    )
    forget_grants(user)
    forget_grants(locked)
    return grant


def _account(actor: Any) -> Any:
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def role_revoke(*, actor: Any, grant: RoleGrant) -> RoleGrant:
    """End a grant. The row stays, with revoked_at, as the history of who held which role when."""
    grant = RoleGrant.objects.select_for_update().select_related("org", "user").get(pk=grant.pk)
    require(actor, Action.MANAGE_ROLES, grant.org)
    if grant.revoked_at is not None:
        raise ValidationError(_("This role was already revoked."))
    reason = selectors.role_manage_error(actor, grant.role, grant.org)
    if reason:
        raise ValidationError({"role": reason})
    grant.revoked_at = timezone.now()
    grant.save(update_fields=["revoked_at", "updated"])
    audit.record(
        actor=actor,
        action="role.revoke",
        target=grant,
        org=grant.org,
        before=audit.Snapshot(user=grant.user.get_username(), org=grant.org.name, role=grant.role),
        target_repr=f"{grant.user.get_username()} · {Role(grant.role).label}",
    )
    forget_grants(grant.user)
    return grant
