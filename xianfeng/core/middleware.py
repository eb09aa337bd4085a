from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from xianfeng.core.context import request_context


def client_ip(request: HttpRequest) -> str | None:
    # Behind nginx, the proxy sets X-Real-IP; REMOTE_ADDR is the proxy itself (docs/deployment.md).
    return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")


class RequestContextMiddleware:
    """Gives every request an id and the client address, for the audit log."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        source = "api" if request.path.startswith("/api/") else "web"
        with request_context(ip=client_ip(request), source=source) as ctx:
            request.request_id = ctx.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            response["X-Request-Id"] = str(ctx.request_id)
            return response
