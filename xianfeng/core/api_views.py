"""API authentication: exchange a username and password for a bearer token, or revoke one."""

from __future__ import annotations

from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.contrib.auth import authenticate
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.api_auth import token_issue, token_revoke
from xianfeng.core.models import ApiToken


class AccountLocked(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Too many failed log-in attempts: the account is locked for a while.")
    default_code = "locked"


class TokenObtainApi(APIView):
    """POST /auth/token: a bearer token for a username and password (django-axes lockout applies)."""

    authentication_classes: list[Any] = []
    permission_classes = [AllowAny]

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenObtainInput"

        username = serializers.CharField(max_length=150)
        password = serializers.CharField(
            max_length=128, trim_whitespace=False, style={"input_type": "password"}
        )

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenObtainOutput"

        token = serializers.CharField(help_text="Send it as `Authorization: Bearer <token>`; shown once.")
        expires = serializers.DateTimeField()

    @extend_schema(
        operation_id="auth_token_create",
        request=InputSerializer,
        responses={200: OutputSerializer},
        auth=[],
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        credentials = serializer.validated_data
        user = authenticate(
            request=request, username=credentials["username"], password=credentials["password"]
        )
        if user is None:
            if AxesProxyHandler.is_locked(request, {"username": credentials["username"]}):
                raise AccountLocked()
            raise exceptions.ValidationError(
                {"password": [_("Wrong username or password.")]}, code="authentication_failed"
            )
        with transaction.atomic():
            key, token = token_issue(user=user)
            # A token is a log-in: last_login, axes' reset of failures and the "auth.login" audit row.
            user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response(self.OutputSerializer({"token": key, "expires": token.expires}).data)


class TokenRevokeApi(APIView):
    """POST /auth/token/revoke: revoke the bearer token this request is made with."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "TokenRevokeOutput"

        revoked = serializers.BooleanField()

    @extend_schema(
        operation_id="auth_token_revoke", request=None, responses={200: OutputSerializer}, tags=["auth"]
    )
    def post(self, request: Request) -> Response:
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.ValidationError(_("This request is not made with a bearer token."))
        token_revoke(user=request.user, token=token)
        return Response(self.OutputSerializer({"revoked": True}).data)
