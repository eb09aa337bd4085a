"""Compliance pages: health check, subtree matrix, classification, obligations, contact points,
"due for me" and notifications.

Access: pages about orgs go through core.scoping (an org the user cannot see is a 404; an action
they may not take is a 403). Obligation profiles are read by every logged-in user and changed by
those who manage the orgs they apply to (services.may_edit_profile).
"""

from __future__ import annotations

from xianfeng.compliance.views.contacts import contact_point_create, contact_point_end, contact_points
from xianfeng.compliance.views.inbox import due, notification_read, notifications, notifications_read_all
from xianfeng.compliance.views.overview import classification, health, index, matrix
from xianfeng.compliance.views.profiles import (
    assignment_delete,
    obligation_create,
    obligation_deactivate,
    obligation_edit,
    obligations,
    profile_assign,
    profile_create,
    profile_import,
)

__all__ = [
    "assignment_delete",
    "classification",
    "contact_point_create",
    "contact_point_end",
    "contact_points",
    "due",
    "health",
    "index",
    "matrix",
    "notification_read",
    "notifications",
    "notifications_read_all",
    "obligation_create",
    "obligation_deactivate",
    "obligation_edit",
    "obligations",
    "profile_assign",
    "profile_create",
    "profile_import",
]
