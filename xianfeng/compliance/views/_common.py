"""Private helpers shared by the compliance pages: htmx detection, the form page, redirects."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _form_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    context.setdefault("cancel_url", reverse("compliance:obligations"))
    template = "compliance/partials/form.html" if _is_htmx(request) else "compliance/form.html"
    return render(request, template, context)


def _done(request: HttpRequest, url: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return HttpResponseClientRedirect(url) if _is_htmx(request) else redirect(url)
