"""Pages of the payroll import (upload → column mapping → preview → confirmation) and the dues
downloads (collection sheet, reconciliation, remittance statement, publication)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user, require
from xianfeng.dues import exports, imports
from xianfeng.dues.forms_io import (
    CollectionExportForm,
    ExportForm,
    MappingForm,
    PublicationForm,
    RangeExportForm,
    UploadForm,
    initial_month,
    orgs_for,
)
from xianfeng.dues.models import PayrollColumnMap
from xianfeng.dues.publication import Period, publication_export, publication_period
from xianfeng.orgs.models import Org

ROWS_SHOWN = 500


def _org(request: HttpRequest, raw: Any, action: str) -> Org:
    """An org by its key: 404 when the user cannot see it, 403 when they may not `action` on it."""
    try:
        pk = int(raw)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    org: Org = get_for_user(Org.objects.all(), request.user, action, pk=pk)
    return org


# --- The payroll import ----------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Choose the org and the year and upload the payroll workbook; nothing is written yet."""
    require(request.user, Action.CHANGE, None)
    initial: dict[str, Any] = {"year": timezone.localdate().year}
    if request.GET.get("org"):
        initial["org"] = _org(request, request.GET["org"], Action.CHANGE)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        upload, org = form.cleaned_data["file"], form.cleaned_data["org"]
        data = upload.read()
        try:
            imports.read_rows(data)
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            saved = PayrollColumnMap.objects.filter(org=org).first()
            mapping = imports.ColumnMapping.of(saved) if saved else None
            imports.pending_store(
                request.session,
                org_id=org.pk,
                year=form.cleaned_data["year"],
                filename=upload.name,
                data=data,
                mapping=mapping,
            )
            return redirect("dues_io:import_preview" if mapping else "dues_io:import_map")
    context = {"form": form, "max_mb": round(imports.max_bytes() / 1024**2, 1)}
    return render(request, "dues/io/import.html", context, status=400 if form.errors else 200)


def _pending(request: HttpRequest) -> tuple[imports.PendingUpload, Org] | None:
    require(request.user, Action.CHANGE, None)
    upload = imports.pending_get(request.session)
    if upload is None:
        messages.error(
            request, _("There is no uploaded file waiting (it may have expired); upload it again.")
        )
        return None
    return upload, _org(request, upload.org_id, Action.CHANGE)


def _initial_mapping(org: Org, upload: imports.PendingUpload, rows: Any) -> dict[str, Any]:
    """The upload's mapping, else the org's saved one, else the nearest ancestor's, else guesses."""
    if upload.mapping:
        return upload.mapping
    saved = (
        PayrollColumnMap.objects.filter(org__in=[org, *org.get_ancestors()]).order_by("-org__depth").first()
    )
    return imports.ColumnMapping.of(saved).as_dict() if saved else imports.guess_mapping(rows)


def _header_cells(rows: Any, header_row: int) -> list[tuple[str, str]]:
    cells = next((cells for number, cells in rows if number == header_row), ())
    return [(imports.column_letter(i), str(v).strip()) for i, v in enumerate(cells) if v not in (None, "")]


@login_required
@require_http_methods(["GET", "POST"])
def import_map(request: HttpRequest) -> HttpResponse:
    """Say which columns hold the ID number, the base, and optionally the name and the category;
    the mapping is saved for the org and used for its next uploads."""
    pending = _pending(request)
    if pending is None:
        return redirect("dues_io:import")
    upload, org = pending
    try:
        rows = imports.read_rows(upload.data())
    except imports.ImportFileError as exc:  # e.g. the size limit was lowered meanwhile
        messages.error(request, str(exc))
        return redirect("dues_io:import")
    initial = _initial_mapping(org, upload, rows)
    form = MappingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        mapping = form.mapping()
        imports.column_map_save(actor=request.user, org=org, mapping=mapping)
        imports.pending_set_mapping(request.session, upload, mapping)
        return redirect("dues_io:import_preview")
    header_row = form.cleaned_data.get("header_row") if form.is_bound else None
    context = {
        "form": form,
        "org": org,
        "upload": upload,
        "header_row": header_row or initial.get("header_row", 1),
        "headers": _header_cells(rows, int(header_row or initial.get("header_row", 1))),
    }
    return render(request, "dues/io/mapping.html", context, status=400 if form.errors else 200)


def _preview(
    request: HttpRequest, org: Org, upload: imports.PendingUpload, check: Any = None, file_error: str = ""
) -> HttpResponse:
    ok = check is not None and check.ok
    context = {
        "org": org,
        "upload": upload,
        "check": check,
        "file_error": file_error,
        "rows": check.rows[:ROWS_SHOWN] if ok else [],
        "hidden_rows": max(0, len(check.rows) - ROWS_SHOWN) if ok else 0,
        "errors": check.errors[:ROWS_SHOWN] if check is not None else [],
        "hidden_errors": max(0, len(check.errors) - ROWS_SHOWN) if check is not None else 0,
    }
    return render(request, "dues/io/preview.html", context, status=200 if ok else 400)


@login_required
@require_GET
def import_preview(request: HttpRequest) -> HttpResponse:
    """Every row checked, with the amount it gives; confirmation only when no row has an error."""
    pending = _pending(request)
    if pending is None:
        return redirect("dues_io:import")
    upload, org = pending
    mapping = upload.column_mapping
    if mapping is None:
        return redirect("dues_io:import_map")
    try:
        rows = imports.read_rows(upload.data())
        check = imports.check_payroll(
            actor=request.user, org=org, year=upload.year, rows=rows, mapping=mapping
        )
    except imports.ImportFileError as exc:
        return _preview(request, org, upload, file_error=str(exc))
    return _preview(request, org, upload, check)


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Set every base from the stored file (never a re-upload), all rows in one transaction."""
    pending = _pending(request)
    if pending is None:
        return redirect("dues_io:import")
    upload, org = pending
    mapping = upload.column_mapping
    if mapping is None or request.POST.get("token") != upload.token:
        messages.error(request, _("The file waiting for confirmation has changed; check it again."))
        return redirect("dues_io:import_preview")
    try:
        rows = imports.read_rows(upload.data())
        check = imports.payroll_import(
            actor=request.user,
            org=org,
            year=upload.year,
            rows=rows,
            mapping=mapping,
            filename=upload.filename,
            sha256=upload.sha256,
        )
    except imports.PayrollRejected as exc:
        return _preview(request, org, upload, exc.check)
    except imports.ImportFileError as exc:
        return _preview(request, org, upload, file_error=str(exc))
    imports.pending_clear(request.session)
    created = sum(1 for row in check.rows if row.previous is None)
    context = {"org": org, "upload": upload, "count": len(check.rows), "created": created}
    return render(request, "dues/io/result.html", context)


@login_required
@require_POST
def import_cancel(request: HttpRequest) -> HttpResponse:
    imports.pending_clear(request.session)
    return redirect("dues_io:import")


# --- Downloads -------------------------------------------------------------------------------


def _forms(request: HttpRequest, bound: dict[str, ExportForm] | None = None) -> dict[str, ExportForm]:
    initial: dict[str, Any] = {"month": initial_month(), "start": initial_month(), "end": initial_month()}
    initial["year"] = timezone.localdate().year
    if request.GET.get("org"):
        initial["org"] = _org(request, request.GET["org"], Action.EXPORT)
    else:
        initial["org"] = orgs_for(request.user, Action.EXPORT).first()
    classes = {
        "collection": CollectionExportForm,
        "reconciliation": RangeExportForm,
        "remittance": RangeExportForm,
        "publication": PublicationForm,
    }
    forms = {
        key: cls(user=request.user, initial=initial, auto_id=f"{key}_%s") for key, cls in classes.items()
    }
    forms.update(bound or {})
    return forms


def _exports_page(request: HttpRequest, bound: dict[str, ExportForm] | None = None) -> HttpResponse:
    context = {"forms": _forms(request, bound), "period": publication_period()}
    return render(request, "dues/io/exports.html", context, status=400 if bound else 200)


@login_required
@require_GET
def exports_page(request: HttpRequest) -> HttpResponse:
    require(request.user, Action.EXPORT, None)
    return _exports_page(request)


def _download_view(
    key: str, form_class: type[ExportForm], make: Callable[[Any, Org, dict[str, Any]], Any], doc: str
) -> Callable[[HttpRequest], HttpResponse]:
    """A download: 404 for an org out of sight, 403 without the export right, the exports page
    with the form's errors (400) for bad parameters, else the file."""

    @login_required
    @require_GET
    def view(request: HttpRequest) -> HttpResponse:
        require(request.user, Action.EXPORT, None)
        if request.GET.get("org"):
            _org(request, request.GET["org"], Action.EXPORT)
        form = form_class(request.GET, user=request.user, auto_id=f"{key}_%s")
        if not form.is_valid():
            return _exports_page(request, {key: form})
        export = make(request.user, form.cleaned_data["org"], form.cleaned_data)
        response = HttpResponse(export.data, content_type=export.content_type)
        response["Content-Disposition"] = content_disposition_header(True, export.filename)
        return response

    view.__name__ = view.__qualname__ = f"export_{key}"
    view.__doc__ = doc
    return view


export_collection = _download_view(
    "collection",
    CollectionExportForm,
    lambda user, org, data: exports.collection_export(actor=user, org=org, month=data["month"]),
    "?org=<pk>&month=YYYY-MM",
)
export_reconciliation = _download_view(
    "reconciliation",
    RangeExportForm,
    lambda user, org, data: exports.reconciliation_export(
        actor=user, org=org, start=data["start"], end=data["end"]
    ),
    "?org=<pk>&start=YYYY-MM&end=YYYY-MM",
)
export_remittance = _download_view(
    "remittance",
    RangeExportForm,
    lambda user, org, data: exports.remittance_export(
        actor=user, org=org, start=data["start"], end=data["end"]
    ),
    "?org=<pk>&start=YYYY-MM&end=YYYY-MM",
)
export_publication = _download_view(
    "publication",
    PublicationForm,
    lambda user, org, data: publication_export(
        actor=user, org=org, period=Period(data["year"], data.get("quarter")), fmt=data["format"]
    ),
    "?org=<pk>&year=YYYY[&quarter=1-4]&format=docx|xlsx",
)
