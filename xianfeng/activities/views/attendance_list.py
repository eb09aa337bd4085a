"""Attendance on the activity page: one person's status (htmx inline or the add form), removal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xianfeng.activities import selectors, services
from xianfeng.activities.choices import AttendanceStatus
from xianfeng.activities.forms import AttendanceAddForm, AttendanceForm
from xianfeng.activities.models import Attendance
from xianfeng.activities.views._common import _call, _changeable, _done, _form_page
from xianfeng.core.forms import XianfengForm
from xianfeng.people.models import Person


def _person_by_code(value: str) -> Person:
    try:
        return Person.objects.get(code=value)
    except (Person.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@login_required
@require_POST
def attendance(request: HttpRequest, code: Any) -> HttpResponse:
    """Set one person's attendance. htmx (inline in the table): returns the row and the updated
    summary and quorum; otherwise the add form, falling back to a page with its errors."""
    activity = _changeable(request, code)
    inline = bool(request.htmx and request.POST.get("inline"))  # type: ignore[attr-defined]
    if inline:
        form: XianfengForm = AttendanceForm(request.POST)
        person = _person_by_code(request.POST.get("person", ""))
        if not Attendance.objects.filter(activity=activity, person=person).exists():
            raise Http404
    else:
        form = AttendanceAddForm(
            request.POST, people=selectors.people_for(activity), has_hours=activity.kind.has_hours
        )
        person = None
    row = None
    if form.is_valid():
        data = form.cleaned_data
        target = person or data["person"]
        row = _call(
            form,
            lambda: services.attendance_set(
                actor=request.user,
                activity=activity,
                person=target,
                status=data["status"],
                reason=data.get("reason") or "",
                hours=data.get("hours"),
            ),
        )
    if inline:
        activity.refresh_from_db()
        shown = Attendance.objects.select_related("person__membership").get(activity=activity, person=person)
        rows = selectors.attendance_rows(activity)
        context = {
            "activity": activity,
            "row": shown,
            "row_errors": [e for errors in form.errors.values() for e in errors],
            "row_saved": row is not None,
            "summary": selectors.attendance_summary(rows),
            "verdict": selectors.quorum_verdict(activity, rows),
            "attendance_choices": AttendanceStatus.choices,
            "can_change": True,
            "kind": activity.kind,
            "oob": True,
        }
        return render(request, "activities/partials/attendance_row.html", context)
    if row is not None:
        return _done(request, activity, _("The attendance was saved."), "attendance")
    return _form_page(request, form, title=_("Attendance"), submit=_("Save"), activity=activity)


@login_required
@require_POST
def attendance_remove(request: HttpRequest, code: Any) -> HttpResponse:
    activity = _changeable(request, code)
    person = _person_by_code(request.POST.get("person", ""))
    try:
        services.attendance_remove(actor=request.user, activity=activity, person=person)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("activities:detail", args=[activity.code]) + "#attendance")
    return _done(
        request, activity, _("%(name)s was taken off the list.") % {"name": person.name}, "attendance"
    )
