"""The activity page: attendance, agenda, decisions, attachments and the check-in QR code."""

from __future__ import annotations

from typing import Any

import segno
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from xianfeng.activities import checkin as checkin_services
from xianfeng.activities import selectors
from xianfeng.activities.choices import ActivityStatus, AttendanceStatus, Metric, TopicTag
from xianfeng.activities.forms import (
    AgendaForm,
    AttachmentForm,
    AttendanceAddForm,
    DecisionForm,
    LeaveRequestForm,
)
from xianfeng.activities.models import Activity, AgendaItem, Attendance
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can

# --- the activity page --------------------------------------------------------------------------


def _qr_svg(url: str) -> str:
    return str(segno.make(url, error="m").svg_inline(scale=5, dark="#111", light="#fff"))


def _agenda(activity: Activity) -> list[AgendaItem]:
    items = list(activity.agenda.all())  # type: ignore[attr-defined]
    for item in items:
        item.tag_labels = [_choice_label(TopicTag, tag) for tag in item.tags]  # type: ignore[attr-defined]
    return items


def _choice_label(choices: Any, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _metric_label(key: str) -> str:
    return _choice_label(Metric, key)


def _detail_context(request: HttpRequest, activity: Activity) -> dict[str, Any]:
    user = request.user
    rows = selectors.attendance_rows(activity)
    may_change = can(user, Action.CHANGE, activity.org) and activity.status != ActivityStatus.CANCELLED
    context: dict[str, Any] = {
        "activity": activity,
        "kind": activity.kind,
        "rows": rows,
        "summary": selectors.attendance_summary(rows),
        "verdict": selectors.quorum_verdict(activity, rows),
        "agenda": _agenda(activity),
        "metrics": [(_metric_label(key), value) for key, value in (activity.metrics or {}).items()],
        "decisions": list(activity.decisions.select_related("owner")),  # type: ignore[attr-defined]
        "attachments": list(activity.attachments.all()),  # type: ignore[attr-defined]
        "can_change": may_change,
        "attendance_choices": AttendanceStatus.choices,
    }
    if may_change:
        people = selectors.people_for(activity)
        window = checkin_services.window(activity)
        checkin_url = request.build_absolute_uri(
            reverse("activities:checkin", args=[activity.code, activity.checkin_token])
        )
        context |= {
            "add_form": AttendanceAddForm(
                people=people, has_hours=activity.kind.has_hours, initial={"status": AttendanceStatus.PRESENT}
            ),
            "agenda_form": AgendaForm(),
            "decision_form": DecisionForm(people=people),
            "attachment_form": AttachmentForm(),
            "checkin_url": checkin_url,
            "qr_svg": _qr_svg(checkin_url) if activity.kind.has_attendance else "",
            "window": window,
        }
    return context


@login_required
def detail(request: HttpRequest, code: Any) -> HttpResponse:
    activity = selectors.get_activity_for_user(request.user, code)
    activity = Activity.objects.select_related("kind", "org", "host", "recorder", "lecturer").get(
        pk=activity.pk
    )
    if not can(request.user, Action.VIEW, activity.org):
        return _member_detail(request, activity)
    return render(request, "activities/detail.html", _detail_context(request, activity))


def _member_detail(request: HttpRequest, activity: Activity) -> HttpResponse:
    """What a member sees of a meeting of their own org: time, place, agenda and their own attendance."""
    person = selectors.person_of(request.user)
    row = Attendance.objects.filter(activity=activity, person=person).first() if person else None
    now = timezone.now()
    context = {
        "activity": activity,
        "row": row,
        "agenda": _agenda(activity),
        "may_request_leave": activity.status == ActivityStatus.PLANNED
        and now < activity.planned_start
        and activity.kind.has_attendance
        and (row is None or row.status in (AttendanceStatus.EXPECTED, AttendanceStatus.LEAVE)),
        "leave_form": LeaveRequestForm(),
    }
    return render(request, "activities/member_detail.html", context)
