"""Bearer-token authentication for the API (kept apart from DRF views to avoid an import cycle)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from xianfeng.core import audit
from xianfeng.core.models import ApiToken


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def token_issue(*, user: Any) -> tuple[str, ApiToken]:
    """A new bearer token for the user; the plain key is returned once and never stored."""
    key = "xf_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(key),
        prefix=key[3:11],
        expires=timezone.now() + dt.timedelta(days=settings.XIANFENG_API_TOKEN_DAYS),
    )
    audit.record(actor=user, action="api.token_issue", target=user, message=f"{token.prefix}…")
    return key, token


@transaction.atomic
def token_revoke(*, user: Any, token: ApiToken) -> None:
    """Revoke one of the user's own tokens (the one the request came with)."""
    ApiToken.objects.filter(pk=token.pk, user=user).update(revoked_at=timezone.now())
    audit.record(actor=user, action="api.token_revoke", target=user, message=f"{token.prefix}…")


class BearerTokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed("Authorization: Bearer <token>")
        key = parts[1].decode(errors="replace")
        now = timezone.now()
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=_hash(key), revoked_at__isnull=True, expires__gt=now)
            .first()
        )
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed("invalid or expired token")
        if token.last_used is None or now - token.last_used > dt.timedelta(minutes=5):
            ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
