"""A member's own pages: my meetings, leave requests and QR check-in."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xianfeng.activities import checkin as checkin_services
from xianfeng.activities import rules, selectors
from xianfeng.activities.choices import AttendanceStatus
from xianfeng.activities.forms import LeaveRequestForm
from xianfeng.activities.models import Activity, Attendance
from xianfeng.activities.views._common import _call

# --- members: my meetings, check-in, leave --------------------------------------------------------


@login_required
def my_meetings(request: HttpRequest) -> HttpResponse:
    """The member's meetings on a phone: upcoming with leave requests, recent with their attendance."""
    return _my_page(request)


def _my_page(request: HttpRequest, leave_forms: dict[int, LeaveRequestForm] | None = None) -> HttpResponse:
    upcoming, recent = selectors.my_meetings(user=request.user)
    for item in (*upcoming, *recent):
        form = (leave_forms or {}).get(item.activity.pk)
        if form is not None:
            item.leave_errors = [str(e) for errors in form.errors.values() for e in errors]
            item.leave_reason = form.data.get("reason", "")
            item.may_request_leave = True
    context = {
        "person": selectors.person_of(request.user),
        "upcoming": upcoming,
        "recent": recent,
        "before_minutes": int(rules.checkin_before().total_seconds() // 60),
        "after_minutes": int(rules.checkin_after().total_seconds() // 60),
    }
    return render(request, "activities/my.html", context, status=400 if leave_forms else 200)


@login_required
@require_POST
def leave_request(request: HttpRequest, code: Any) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, code)
    form = LeaveRequestForm(request.POST)
    if form.is_valid():
        saved = _call(
            form,
            lambda: checkin_services.leave_request(
                actor=request.user, activity=activity, reason=form.cleaned_data["reason"]
            ),
        )
        if saved is not None:
            messages.success(request, _("Your leave request was recorded."))
            return redirect("activities:my")
    return _my_page(request, leave_forms={activity.pk: form})


@login_required
def checkin(request: HttpRequest, code: Any, token: str) -> HttpResponse:
    """The page a QR code opens: the meeting, the window, and one big button that checks the member in."""
    activity = Activity.objects.select_related("kind", "org").filter(code=code).first()
    if activity is None or not checkin_services.token_matches(activity, token):
        invalid = {"error": _("This check-in code is not valid. Scan the code shown at the meeting again.")}
        return render(request, "activities/checkin.html", invalid, status=404)
    now = timezone.now()
    person = selectors.person_of(request.user)
    row = Attendance.objects.filter(activity=activity, person=person).first() if person else None
    context: dict[str, Any] = {
        "activity": activity,
        "window": checkin_services.window(activity),
        "row": row,
        "person": person,
        "token": token,
    }
    status = 200
    if request.method == "POST":
        try:
            result = checkin_services.checkin(actor=request.user, activity=activity, token=token, now=now)
        except ValidationError as exc:
            context["error"] = " ".join(exc.messages)
            status = 400
        else:
            context["row"] = result.attendance
            context["done"] = (
                _("You were already checked in.") if result.already else _("You are checked in. Welcome!")
            )
            context["already"] = result.already
    elif row is not None and row.status in (AttendanceStatus.PRESENT, AttendanceStatus.GUEST):
        context["done"] = _("You were already checked in.")
        context["already"] = True
    else:
        problem = checkin_services.checkin_problem(activity, token, now)
        if problem is not None:
            context["error"] = " ".join(problem.messages)
        elif person is None:
            context["error"] = _(
                "Your account is not linked to a member record; ask your branch administrator."
            )
    return render(request, "activities/checkin.html", context, status=status)
