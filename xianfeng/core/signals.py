"""Logins, failed logins and logouts go to the audit log (never the password)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from xianfeng.core.context import current_context
from xianfeng.core.models import AuditEvent


def _log(action: str, *, user: Any = None, username: str = "", request: Any = None) -> None:
    ctx = current_context()
    ip = ctx.ip
    if request is not None and ip is None:
        ip = request.META.get("REMOTE_ADDR")
    AuditEvent.objects.create(
        actor=user if user is not None and user.is_authenticated else None,
        actor_name=(username or (user.get_username() if user is not None else ""))[:150],
        request_id=ctx.request_id,
        source=ctx.source,
        ip=ip,
        action=action,
        target_type="auth.user" if user is not None else "",
        target_id=str(user.pk) if user is not None else "",
        target_repr=(username or (user.get_username() if user is not None else ""))[:200],
    )


@receiver(user_logged_in)
def on_login(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    _log("auth.login", user=user, request=request)


@receiver(user_logged_out)
def on_logout(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is not None:
        _log("auth.logout", user=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any) -> None:
    _log("auth.login_failed", username=str(credentials.get("username", "")), request=request)
