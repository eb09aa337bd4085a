"""Pages for the Excel import (template, upload and preview, confirmation) and the export."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.orgs.choices import MEMBER_HOLDING_TYPES
from xianfeng.orgs.models import Org
from xianfeng.people import exports, imports
from xianfeng.people.models import ImportBatch

ERRORS_SHOWN = 500


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Excel file (.xlsx)"))

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.XIANFENG_IMPORT_MAX_BYTES:
            raise ValidationError(imports.too_large_message())
        return upload


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=exports.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


@login_required
@require_GET
def template_download(request: HttpRequest) -> HttpResponse:
    """The import template, listing the organizations the user may import into."""
    require(request.user, Action.IMPORT, None)
    orgs = (
        Org.objects.restrict(request.user, Action.IMPORT)
        .active()
        .filter(org_type__in=MEMBER_HOLDING_TYPES)
        .order_by("path")
    )
    return _xlsx_response(exports.template_workbook(orgs=orgs), "党员信息导入模板.xlsx")


def _preview(request: HttpRequest, check: imports.ImportCheck, batch: ImportBatch | None) -> HttpResponse:
    context = {
        "check": check,
        "batch": batch,
        "errors": check.errors[:ERRORS_SHOWN],
        "hidden_errors": max(0, len(check.errors) - ERRORS_SHOWN),
        "rows_with_errors": len({error.row for error in check.errors}),
    }
    return render(request, "people/io_preview.html", context, status=200 if check.ok else 400)


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a workbook; every row is checked and shown before anything is written."""
    require(request.user, Action.IMPORT, None)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            check = imports.import_check(actor=request.user, data=data)
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            batch = None
            if check.ok:
                batch = imports.batch_create(owner=request.user, filename=upload.name, data=data, check=check)
            return _preview(request, check, batch)
    context = {
        "form": form,
        "max_mb": settings.XIANFENG_IMPORT_MAX_BYTES // 1024**2,
        "max_rows": imports.MAX_ROWS,
    }
    return render(request, "people/io_import.html", context, status=400 if form.errors else 200)


@login_required
@require_POST
def import_confirm(request: HttpRequest, code: uuid.UUID) -> HttpResponse:
    """Import a checked upload, all rows in one transaction; only the uploader may confirm."""
    batch = ImportBatch.objects.filter(code=code, owner_id=request.user.pk).first()
    if batch is None:
        raise Http404
    try:
        check = imports.batch_confirm(actor=request.user, batch=batch)
    except imports.ImportRejected as exc:
        return _preview(request, exc.check, None)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("people_io:import")
    return render(request, "people/io_result.html", {"check": check, "batch": batch})


@login_required
@require_GET
def export(request: HttpRequest) -> HttpResponseBase:
    """The member list with the same filters, as .xlsx; masked unless the user may unmask."""
    try:
        output, _count = exports.export_members(user=request.user, params=request.GET)
    except ValidationError as exc:
        return HttpResponseBadRequest(" ".join(exc.messages))
    return FileResponse(
        output, as_attachment=True, filename=exports.export_filename(), content_type=exports.XLSX_CONTENT_TYPE
    )
