"""Activity pages: the month calendar, the list, the plan/edit/held/cancel forms, the activity page with
attendance (htmx inline), agenda, decisions, attachments, QR code and meeting record; a member's
"My meetings", QR check-in and leave requests.

Access goes through activities.selectors (core.scoping underneath): 404 when the activity is not
visible, 403 when it is visible but not writable. Views never write; services do, and audit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import segno
from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xianfeng.activities import checkin as checkin_services
from xianfeng.activities import documents, rules, selectors, services
from xianfeng.activities.choices import ActivityStatus, AttendanceStatus, Metric, TopicTag
from xianfeng.activities.forms import (
    ActivityEditForm,
    AgendaForm,
    AttachmentForm,
    AttendanceAddForm,
    AttendanceForm,
    CancelForm,
    DecisionForm,
    HeldForm,
    LeaveRequestForm,
    PlanForm,
)
from xianfeng.activities.models import Activity, ActivityKind, AgendaItem, Attachment, Attendance, Decision
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.orgs.models import Org
from xianfeng.people.forms import XianfengForm
from xianfeng.people.models import Person

PAGE_SIZE = 50
T = TypeVar("T")
PEOPLE = ("host", "recorder", "lecturer")
ORG_OPTION_LEVELS = 3
ORG_OPTION_LIMIT = 400


def _org_options(user: Any) -> list[tuple[int, str]]:
    """The top levels of the user's visible tree for the org filter (deeper orgs through the tree)."""
    visible = Org.objects.restrict(user, Action.VIEW)
    base = visible.aggregate(base=Min("depth"))["base"] or 1
    fields = ("pk", "name", "short_name", "depth", "path")
    orgs: list[Org] = []
    for levels in range(ORG_OPTION_LEVELS, 0, -1):
        orgs = list(visible.filter(depth__lt=base + levels).only(*fields)[: ORG_OPTION_LIMIT + 1])
        if len(orgs) <= ORG_OPTION_LIMIT:
            break
    return [(o.pk, "\u3000" * (o.depth - base) + o.display_name) for o in orgs[:ORG_OPTION_LIMIT]]


def _filter_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "org_options": _org_options(request.user),
        "kinds": list(ActivityKind.objects.filter(active=True).only("code", "name")),
        "status_choices": ActivityStatus.choices,
        "selected": request.GET,
        "can_plan": can(request.user, Action.CHANGE, None),
    }


# --- calendar and list ---------------------------------------------------------------------------


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """A month of the visible orgs' activities; planned, held and cancelled differ by colour and icon."""
    user = request.user
    if not can(user, Action.VIEW, None):  # self-service accounts have their own page
        return redirect("activities:my")
    today = timezone.localdate()
    first = selectors.parse_month(request.GET.get("month"), today)
    filterset = selectors.ActivityFilterSet(
        {k: v for k, v in request.GET.items() if k in ("org", "kind", "status")},
        queryset=selectors.visible_activities(user),
    )
    queryset = filterset.qs if filterset.is_valid() else selectors.visible_activities(user).none()
    weeks = selectors.calendar_month(queryset=queryset, first=first, today=today)
    context = {
        "weeks": weeks,
        "has_any": any(day.activities for week in weeks for day in week),
        "month": first,
        "previous": (first - relativedelta(months=1)).strftime("%Y-%m"),
        "next": (first + relativedelta(months=1)).strftime("%Y-%m"),
        "this_month": today.strftime("%Y-%m"),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        **_filter_context(request),
    }
    return render(request, "activities/calendar.html", context)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    """Filters (org subtree, kind, status, month) above a paginated table; htmx re-renders the table."""
    user = request.user
    if not can(user, Action.VIEW, None):
        return redirect("activities:my")
    filterset = selectors.ActivityFilterSet(request.GET, queryset=selectors.activity_list(user=user))
    try:
        queryset = filterset.qs if filterset.is_valid() else selectors.activity_list(user=user).none()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        queryset = selectors.activity_list(user=user).none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "activities": list(page.object_list),
        "filter_errors": filterset.errors,
    }
    if request.htmx and request.htmx.target == "activity-table":  # type: ignore[attr-defined]
        return render(request, "activities/partials/activity_table.html", context)
    return render(request, "activities/list.html", context | _filter_context(request))


# --- forms --------------------------------------------------------------------------------------


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


@login_required
def agenda_add(request: HttpRequest, code: Any) -> HttpResponse:
    activity = _changeable(request, code)
    form = AgendaForm(_posted(request))
    if form.is_bound and form.is_valid():
        item = _call(
            form, lambda: services.agenda_item_add(actor=request.user, activity=activity, **form.cleaned_data)
        )
        if item is not None:
            return _done(request, activity, _("The agenda item was added."), "agenda")
    return _form_page(request, form, title=_("Add an agenda item"), submit=_("Add"), activity=activity)


def _item(request: HttpRequest, code: Any, pk: int) -> tuple[Activity, AgendaItem]:
    activity = _changeable(request, code)
    return activity, get_object_or_404(AgendaItem, pk=pk, activity=activity)


@login_required
def agenda_edit(request: HttpRequest, code: Any, pk: int) -> HttpResponse:
    activity, item = _item(request, code, pk)
    initial = {
        "topic": item.topic,
        "tags": item.tags,
        "first_item": item.first_item,
        "major_matter": item.major_matter,
        "prior_study": item.prior_study,
    }
    form = AgendaForm(_posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        saved = _call(
            form, lambda: services.agenda_item_update(actor=request.user, item=item, data=form.cleaned_data)
        )
        if saved is not None:
            return _done(request, activity, _("The agenda item was saved."), "agenda")
    return _form_page(request, form, title=_("Edit the agenda item"), submit=_("Save"), activity=activity)


@login_required
@require_POST
def agenda_remove(request: HttpRequest, code: Any, pk: int) -> HttpResponse:
    activity, item = _item(request, code, pk)
    services.agenda_item_remove(actor=request.user, item=item)
    return _done(request, activity, _("The agenda item was removed."), "agenda")


@login_required
def decision_add(request: HttpRequest, code: Any) -> HttpResponse:
    activity = _changeable(request, code)
    form = DecisionForm(_posted(request), people=selectors.people_for(activity))
    if form.is_bound and form.is_valid():
        decision = _call(
            form, lambda: services.decision_add(actor=request.user, activity=activity, **form.cleaned_data)
        )
        if decision is not None:
            return _done(request, activity, _("The decision was added."), "decisions")
    return _form_page(request, form, title=_("Add a decision"), submit=_("Add"), activity=activity)


@login_required
@require_POST
def decision_remove(request: HttpRequest, code: Any, pk: int) -> HttpResponse:
    activity = _changeable(request, code)
    decision = get_object_or_404(Decision, pk=pk, activity=activity)
    services.decision_remove(actor=request.user, decision=decision)
    return _done(request, activity, _("The decision was removed."), "decisions")


@login_required
def attachment_add(request: HttpRequest, code: Any) -> HttpResponse:
    activity = _changeable(request, code)
    form = AttachmentForm(_posted(request), request.FILES if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        saved = _call(
            form,
            lambda: services.attachment_add(
                actor=request.user, activity=activity, upload=form.cleaned_data["file"]
            ),
        )
        if saved is not None:
            return _done(request, activity, _("The file was attached."), "attachments")
    return _form_page(
        request, form, title=_("Attach a file"), submit=_("Upload"), activity=activity, multipart=True
    )


def _staff_activity(request: HttpRequest, code: Any, related: tuple[str, ...] = ()) -> Activity:
    """An activity for users with the view right on its org (members see their own page only)."""
    activity = selectors.get_activity_for_user(request.user, code, related=related)
    if not can(request.user, Action.VIEW, activity.org):
        raise PermissionDenied
    return activity


@login_required
def attachment_download(request: HttpRequest, code: Any, pk: int) -> FileResponse:
    activity = _staff_activity(request, code)
    attachment = get_object_or_404(Attachment, pk=pk, activity=activity)
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_remove(request: HttpRequest, code: Any, pk: int) -> HttpResponse:
    activity = _changeable(request, code)
    attachment = get_object_or_404(Attachment, pk=pk, activity=activity)
    services.attachment_remove(actor=request.user, attachment=attachment)
    return _done(request, activity, _("The file was removed."), "attachments")


@login_required
def meeting_record(request: HttpRequest, code: Any) -> HttpResponse:
    """The meeting record (会议记录) as a .docx (DOCUMENTS.md §2.4); the download is audited."""
    activity = _staff_activity(request, code)
    activity = Activity.objects.select_related("kind", "org", "host", "recorder", "lecturer").get(
        pk=activity.pk
    )
    content = documents.meeting_record_export(actor=request.user, activity=activity)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=documents.meeting_record_filename(activity)
    )
    return response


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
