"""Roles granted on an org node, inherited by its subtree, and the actions each allows."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    COMMITTEE_ADMIN = "committee_admin", _("Committee administrator")
    BRANCH_ADMIN = "branch_admin", _("Branch administrator")
    DISCIPLINE_OFFICER = "discipline_officer", _("Discipline officer")
    PUBLICITY_OFFICER = "publicity_officer", _("Publicity officer")
    VIEWER = "viewer", _("Viewer (read-only)")
    MEMBER = "member", _("Member (self-service)")


class Action(models.TextChoices):
    VIEW = "view", _("View")
    CHANGE = "change", _("Change")
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    UNMASK = "unmask", _("See unmasked personal data")
    AUDIT = "audit", _("Read the audit log")
    MANAGE_ORGS = "manage_orgs", _("Create, move and dissolve organizations")
    MANAGE_ROLES = "manage_roles", _("Grant and revoke roles")


_ALL = frozenset(Action)

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.SYSTEM_ADMIN: _ALL,
    Role.COMMITTEE_ADMIN: _ALL,
    Role.BRANCH_ADMIN: frozenset({Action.VIEW, Action.CHANGE, Action.IMPORT, Action.EXPORT, Action.AUDIT}),
    Role.DISCIPLINE_OFFICER: frozenset({Action.VIEW, Action.AUDIT}),
    Role.PUBLICITY_OFFICER: frozenset({Action.VIEW}),
    Role.VIEWER: frozenset({Action.VIEW}),
    # Members see their own record only; that comes from Person.user, not from a subtree.
    Role.MEMBER: frozenset(),
}
