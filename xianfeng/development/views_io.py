"""Pages of the historical development import: the template, upload → preview → confirmation.

The upload is checked at once (every row replayed and rolled back) and the preview shows each
row's outcome or problems. Only a file without problems waits in the session for the confirmation,
which replays exactly those bytes again and keeps them (development.imports)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.development import imports

PROBLEMS_SHOWN = 500
ROWS_SHOWN = 500


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > imports.max_bytes():
            raise ValidationError(imports.too_large_message())
        return upload


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The template, with the people in development the user may change already listed."""
    require(request.user, Action.IMPORT, None)
    response = HttpResponse(
        imports.template_workbook(user=request.user), content_type=imports.XLSX_CONTENT_TYPE
    )
    response["Content-Disposition"] = content_disposition_header(True, imports.FILENAME)
    return response


def _upload_page(request: HttpRequest, form: UploadForm) -> HttpResponse:
    context = {
        "form": form,
        "max_mb": round(imports.max_bytes() / 1024**2, 1),
        "max_rows": imports.MAX_ROWS,
        "max_steps": imports.MAX_STEPS,
    }
    return render(request, "development/io/import.html", context, status=400 if form.errors else 200)


def _preview(
    request: HttpRequest, result: imports.DevelopmentImport, upload: imports.PendingUpload | None
) -> HttpResponse:
    context = {
        "result": result,
        "upload": upload,
        "rows": result.rows[:ROWS_SHOWN],
        "hidden_rows": max(0, len(result.rows) - ROWS_SHOWN),
        "problems": result.problems[:PROBLEMS_SHOWN],
        "hidden_problems": max(0, len(result.problems) - PROBLEMS_SHOWN),
    }
    ok = result.ok and upload is not None
    return render(request, "development/io/preview.html", context, status=200 if ok else 400)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file; every row is replayed and shown before anything is kept."""
    require(request.user, Action.IMPORT, None)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method != "POST" or not form.is_valid():
        return _upload_page(request, form)
    upload = form.cleaned_data["file"]
    data = upload.read()
    try:
        result = imports.import_check(actor=request.user, data=data)
    except imports.ImportFileError as exc:
        form.add_error("file", str(exc))
        return _upload_page(request, form)
    imports.pending_clear(request.session)
    pending = imports.pending_store(request.session, filename=upload.name, data=data) if result.ok else None
    return _preview(request, result, pending)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Replay the stored file (never a re-upload) and keep it: all rows in one transaction."""
    require(request.user, Action.IMPORT, None)
    pending = imports.pending_get(request.session)
    data = pending.data() if pending is not None else None
    if pending is None or data is None or request.POST.get("token") != pending.token:
        imports.pending_clear(request.session)
        messages.error(request, _("There is no checked file waiting (it may have expired); upload it again."))
        return redirect("development_io:import")
    imports.pending_clear(request.session)
    try:
        result = imports.import_apply(actor=request.user, data=data, filename=pending.filename)
    except imports.ImportRejected as exc:  # something changed since the preview
        return _preview(request, exc.result, None)
    except imports.ImportFileError as exc:  # e.g. the limits were lowered meanwhile
        messages.error(request, str(exc))
        return redirect("development_io:import")
    return render(request, "development/io/result.html", {"result": result, "upload": pending})


@login_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    imports.pending_clear(request.session)
    return redirect("development_io:import")
