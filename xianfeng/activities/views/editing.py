"""The plan, edit, record-as-held and cancel forms."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from xianfeng.activities import selectors, services
from xianfeng.activities.forms import ActivityEditForm, CancelForm, HeldForm, PlanForm
from xianfeng.activities.views._common import _call, _changeable, _done, _form_page, _posted
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can

PEOPLE = ("host", "recorder", "lecturer")


# --- forms --------------------------------------------------------------------------------------


@login_required
def plan(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not can(user, Action.CHANGE, None):
        raise PermissionDenied
    initial = {}
    if request.method == "GET" and request.GET.get("date"):
        initial["planned_start"] = f"{request.GET['date']}T09:00"
    form = PlanForm(_posted(request), user=user, initial=initial)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        activity = _call(
            form,
            lambda: services.activity_plan(
                actor=user,
                org=data["org"],
                kind=data["kind"],
                title=data["title"],
                planned_start=data["planned_start"],
                planned_end=data["planned_end"],
                place=data["place"],
            ),
        )
        if activity is not None:
            return _done(request, activity, _("The activity was planned."))
    return _form_page(
        request,
        form,
        title=_("Plan an activity"),
        submit=_("Plan"),
        intro=_("Members expected follow from the kind and the membership on the planned date."),
    )


@login_required
def edit(request: HttpRequest, code: Any) -> HttpResponse:
    activity = _changeable(request, code)
    form = ActivityEditForm(_posted(request), activity=activity, people=selectors.people_for(activity))
    if form.is_bound and form.is_valid():
        saved = _call(
            form,
            lambda: services.activity_update(
                actor=request.user, activity=activity, data=form.data_for_service()
            ),
        )
        if saved is not None:
            return _done(request, activity, _("The activity was saved."))
    return _form_page(request, form, title=_("Edit the activity"), submit=_("Save"), activity=activity)


@login_required
def record_held(request: HttpRequest, code: Any) -> HttpResponse:
    activity = _changeable(request, code)
    form = HeldForm(_posted(request), activity=activity, people=selectors.people_for(activity))
    if form.is_bound and form.is_valid():
        saved = _call(
            form,
            lambda: services.activity_record_held(
                actor=request.user, activity=activity, **form.service_kwargs()
            ),
        )
        if saved is not None:
            return _done(request, activity, _("The activity was recorded as held."))
    return _form_page(
        request,
        form,
        title=_("Record as held"),
        submit=_("Save the record"),
        activity=activity,
        intro=_(
            "Record what took place. Times cannot be in the future; mark the attendance on the activity page."
        ),
    )


@login_required
def cancel(request: HttpRequest, code: Any) -> HttpResponse:
    activity = _changeable(request, code)
    form = CancelForm(_posted(request))
    if form.is_bound and form.is_valid():
        saved = _call(
            form,
            lambda: services.activity_cancel(
                actor=request.user, activity=activity, reason=form.cleaned_data["reason"]
            ),
        )
        if saved is not None:
            return _done(request, activity, _("The activity was cancelled."))
    return _form_page(
        request,
        form,
        title=_("Cancel the activity"),
        submit=_("Cancel the activity"),
        activity=activity,
        intro=_("A cancelled activity stays in the records with its reason; it counts for nothing."),
        danger=True,
    )
