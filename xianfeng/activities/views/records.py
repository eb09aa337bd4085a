"""Agenda items, decisions and attachments of an activity, and its meeting record (.docx)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xianfeng.activities import documents, selectors, services
from xianfeng.activities.forms import AgendaForm, AttachmentForm, DecisionForm
from xianfeng.activities.models import Activity, AgendaItem, Attachment, Decision
from xianfeng.activities.views._common import _call, _changeable, _done, _form_page, _posted
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can


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
