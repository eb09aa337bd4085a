"""Documents kept with a step: upload from the person's timeline, download, remove."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.roles import Action
from xianfeng.development.documents_kept import step_document_add, step_document_remove
from xianfeng.development.models import DevelopmentStep, StepDocument
from xianfeng.development.views._common import person
from xianfeng.development.views.person import render_person


@login_required
@require_POST
def document_add(request: HttpRequest, code: Any, step: Any) -> HttpResponse:
    membership = person(request, code, Action.CHANGE)
    record = get_object_or_404(DevelopmentStep, membership=membership, code=step)
    upload = request.FILES.get("file")
    if upload is None:
        errors = [_("Choose a file to attach.")]
    else:
        try:
            step_document_add(actor=request.user, step=record, upload=upload)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The document was attached."))
            return redirect(reverse("development:person", args=[membership.code]) + f"#step-{record.code}")
    return render_person(request, membership, upload=(str(record.code), errors))


def _document(request: HttpRequest, code: Any, pk: int, action: str) -> StepDocument:
    membership = person(request, code, action)
    document = (
        StepDocument.objects.select_related("step__membership__org", "step__membership__person")
        .filter(pk=pk, step__membership=membership)
        .first()
    )
    if document is None:
        raise Http404
    return document


@login_required
@require_GET
def document_download(request: HttpRequest, code: Any, pk: int) -> FileResponse:
    document = _document(request, code, pk, Action.VIEW)
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=document.name)
    response["Content-Type"] = document.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def document_remove(request: HttpRequest, code: Any, pk: int) -> HttpResponse:
    document = _document(request, code, pk, Action.CHANGE)
    step_document_remove(actor=request.user, document=document)
    messages.success(request, _("The document was removed."))
    return redirect(reverse("development:person", args=[document.step.membership.code]))
