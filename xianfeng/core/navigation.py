"""The left navigation, grouped by module (UI.md). A module registers its entries here when it lands."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xianfeng.core.roles import Action


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    icon: str  # bootstrap-icons name
    action: str | None = Action.VIEW  # None: every logged-in user (self-service)


@dataclass(frozen=True)
class NavGroup:
    label: str | Promise
    items: tuple[NavItem, ...]


NAVIGATION: tuple[NavGroup, ...] = (
    NavGroup(
        _("Workbench"),
        (
            NavItem(_("Home"), "dashboards:home", "speedometer2", None),
            NavItem(_("My record"), "people:me", "person-badge", None),
        ),
    ),
    NavGroup(_("Organization management"), (NavItem(_("Organization tree"), "orgs:tree", "diagram-3"),)),
    NavGroup(
        _("Member management"),
        (
            NavItem(_("Member list"), "people:list", "people"),
            NavItem(_("Import members"), "people_io:import", "upload", Action.IMPORT),
            NavItem(_("Membership lifecycle"), "lifecycle:letters", "arrow-left-right"),
        ),
    ),
    NavGroup(
        _("Organizational life"),
        (
            NavItem(_("Activity calendar"), "activities:calendar", "calendar3"),
            NavItem(_("Activities"), "activities:list", "list-check"),
            NavItem(_("My meetings"), "activities:my", "qr-code-scan", None),
            NavItem(_("Activity kinds"), "activities:kinds", "tags", Action.MANAGE_ORGS),
        ),
    ),
    NavGroup(
        _("Member development"),
        (
            NavItem(_("Development board"), "development:board", "kanban"),
            NavItem(_("Yearly plan"), "development:plan", "clipboard-data"),
            NavItem(_("Import development history"), "development_io:import", "upload", Action.IMPORT),
        ),
    ),
    NavGroup(
        _("Compliance"),
        (
            NavItem(_("Due for me"), "compliance:due", "list-check", None),
            NavItem(_("Compliance matrix"), "compliance:matrix", "grid-3x3"),
            NavItem(_("Branch classification"), "compliance:classification", "bar-chart-steps"),
            NavItem(_("Obligations"), "compliance:obligations", "journal-check"),
            NavItem(_("Contact points"), "compliance:contact_points", "pin-map"),
            NavItem(_("Notifications"), "compliance:notifications", "bell", None),
        ),
    ),
    NavGroup(
        _("Party dues"),
        (
            NavItem(_("Monthly collection"), "dues:sheet", "cash-coin"),
            NavItem(_("Dues bases"), "dues:bases", "calculator"),
            NavItem(_("Arrears"), "dues:arrears", "exclamation-triangle"),
            NavItem(_("Totals and remittance"), "dues:summary", "bar-chart"),
            NavItem(_("My dues"), "dues:me", "wallet2", None),
        ),
    ),
    NavGroup(
        _("Evaluation"),
        (
            NavItem(_("Evaluation schemes"), "scoring:schemes", "award"),
            NavItem(_("My points"), "scoring:mine", "star", None),
        ),
    ),
    NavGroup(
        _("Supervision"),
        (
            NavItem(_("Supervision board"), "supervision:board", "clipboard-check"),
            NavItem(_("Key-task lists"), "supervision:lists", "list-task"),
            NavItem(_("Rectification register"), "supervision:rectifications", "tools"),
            NavItem(_("Work orders"), "supervision:orders", "envelope-exclamation"),
            NavItem(_("My items"), "supervision:mine", "check2-square", None),
        ),
    ),
    NavGroup(
        _("Reports"),
        (
            NavItem(_("Annual summary"), "reports:summaries", "file-earmark-text"),
            NavItem(_("Statistics"), "reports:facts", "table"),
            NavItem(_("Layout and template"), "reports:settings", "sliders", Action.CHANGE),
        ),
    ),
    NavGroup(
        _("System settings"),
        (
            NavItem(_("Users and roles"), "users:list", "person-gear", Action.MANAGE_ROLES),
            NavItem(_("Audit log"), "audit:list", "journal-text", Action.AUDIT),
        ),
    ),
)
