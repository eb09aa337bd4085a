from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

from xianfeng.core.navigation import NAVIGATION
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can


def navigation(request: HttpRequest) -> dict[str, Any]:
    """The navigation groups and entries this user may open, with the active one marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups = []
    for group in NAVIGATION:
        items = []
        for item in group.items:
            if item.action is not None and not can(user, item.action, None):
                continue
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:  # a module whose pages are not installed yet
                continue
            items.append({"label": item.label, "url": url, "icon": item.icon, "active": False})
        if items:
            groups.append({"label": group.label, "items": items})
    _mark_active(groups, request.path)
    return {
        "nav_groups": groups,
        "can_search_members": can(user, Action.VIEW, None),
        "unread_notifications": SimpleLazyObject(lambda: _unread_notifications(user)),
    }


def _unread_notifications(user: Any) -> int:
    """The top bar's bell: the user's unread reminders (one query, only when a page shows it)."""
    from xianfeng.compliance.models import Notification

    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def _mark_active(groups: list[dict[str, Any]], path: str) -> None:
    """The entry whose URL is the longest prefix of the path is the current one (only one)."""
    candidates = [
        item
        for group in groups
        for item in group["items"]
        if path == item["url"] or (item["url"] != "/" and path.startswith(item["url"]))
    ]
    if candidates:
        max(candidates, key=lambda item: len(item["url"]))["active"] = True
