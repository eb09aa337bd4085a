"""Private helpers shared by the activity pages: the form page, service calls, redirects."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from xianfeng.activities import selectors
from xianfeng.activities.models import Activity
from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action

T = TypeVar("T")


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _call(form: XianfengForm, write: Callable[[], T]) -> T | None:
    """Run a service call; its ValidationError lands on the form's fields and nothing is written."""
    try:
        return write()
    except ValidationError as exc:
        form.add_service_errors(exc)
        return None


def _form_page(
    request: HttpRequest,
    form: XianfengForm,
    *,
    title: str,
    submit: str,
    activity: Activity | None = None,
    intro: str = "",
    danger: bool = False,
    multipart: bool = False,
) -> HttpResponse:
    cancel = (
        reverse("activities:detail", args=[activity.code]) if activity else reverse("activities:calendar")
    )
    context = {
        "form": form,
        "title": title,
        "submit_label": submit,
        "activity": activity,
        "intro": intro,
        "danger": danger,
        "cancel_url": cancel,
        "multipart": multipart,
    }
    return render(request, "activities/form.html", context)


def _done(request: HttpRequest, activity: Activity, message: str, anchor: str = "") -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("activities:detail", args=[activity.code]) + (f"#{anchor}" if anchor else ""))


def _changeable(request: HttpRequest, code: Any) -> Activity:
    return selectors.get_activity_for_user(request.user, code, Action.CHANGE)
