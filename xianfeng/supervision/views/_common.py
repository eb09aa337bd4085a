"""Helpers of the supervision pages: the shared org helpers (core.pages), one form page, downloads."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from xianfeng.core.forms import XianfengForm
from xianfeng.core.pages import OrgChoice, call, org_choices, page_org, staff_only
from xianfeng.supervision import rules
from xianfeng.supervision.selectors import with_states

__all__ = [
    "OrgChoice",
    "call",
    "download",
    "form_page",
    "org_choices",
    "page_org",
    "staff_only",
    "today",
    "with_states",
]

today = rules.today


def form_page(
    request: HttpRequest,
    form: XianfengForm,
    *,
    title: Any,
    submit_label: Any,
    cancel_url: str,
    write: Callable[[], Any],
    done_url: Callable[[Any], str] | str,
    done_message: Any,
    summary: list[tuple[Any, Any]] | None = None,
    intro: Any = "",
    danger: bool = False,
) -> HttpResponse:
    """GET shows the form; POST validates, calls the service (its refusals land on the fields and
    nothing is written) and redirects with a message."""
    if request.method == "POST" and form.is_valid():
        try:
            result = write()
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(request, done_message)
            return redirect(done_url(result) if callable(done_url) else done_url)
    context = {
        "form": form,
        "title": title,
        "submit_label": submit_label,
        "cancel_url": cancel_url,
        "summary": summary or [],
        "intro": intro,
        "danger": danger,
        "multipart": any(getattr(f.widget, "needs_multipart_form", False) for f in form.fields.values()),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "supervision/form.html", context, status=status)


def download(file: Any, name: str, content_type: str) -> FileResponse:
    response = FileResponse(file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response
