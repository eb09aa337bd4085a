"""A built summary: the preview with its checks (each figure opens the records behind it), editing a
block in place, the records behind a figure, and the downloads (.docx, .pdf, .xlsx)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from xianfeng.core.pages import call
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.reports import pdf, services, workbook
from xianfeng.reports.docx_builder import DOCX_CONTENT_TYPE
from xianfeng.reports.facts import one_from_snapshot
from xianfeng.reports.forms import BlockForm
from xianfeng.reports.models import SummaryDocument
from xianfeng.reports.pdf import PDF_CONTENT_TYPE, PdfError
from xianfeng.reports.selectors import records
from xianfeng.reports.template import numbering
from xianfeng.reports.template import render as render_parts
from xianfeng.reports.views._common import _htmx, document_for
from xianfeng.reports.workbook import XLSX_CONTENT_TYPE


def _block_view(block: Any, facts: dict[str, Any], numbers: dict[str, str]) -> dict[str, Any]:
    return {
        "id": block.id,
        "kind": block.kind,
        "number": numbers.get(block.id, ""),
        "parts": render_parts(block.source, facts),
        "source": block.source,
    }


def preview_context(request: HttpRequest, document: SummaryDocument) -> dict[str, Any]:
    blocks = services.blocks_of(document)
    fact_set = services.facts_of(document)
    numbers = numbering(blocks)
    checks = document.checks
    return {
        "document": document,
        "blocks": [_block_view(b, fact_set.facts, numbers) for b in blocks],
        "areas": fact_set.by_area(),
        "checks": checks,
        "errors": sum(1 for c in checks if c["level"] == "error"),
        "warnings": sum(1 for c in checks if c["level"] == "warning"),
        "can_edit": can(request.user, services.BUILD_ACTION, document.org),
        "pdf_available": pdf.available(),
        "computed_at": fact_set.computed_at,
        "breakdown": document.facts.get("breakdown"),
    }


@login_required
@require_GET
def document_detail(request: HttpRequest, code: str) -> HttpResponse:
    document = document_for(request, code)
    return render(request, "reports/document.html", preview_context(request, document))


@login_required
@require_http_methods(["GET", "POST"])
def block_edit(request: HttpRequest, code: str, block: str) -> HttpResponse:
    document = document_for(request, code, services.BUILD_ACTION)
    current = next((b for b in services.blocks_of(document) if b.id == block), None)
    if current is None:
        raise Http404
    if request.method == "POST":
        form = BlockForm(request.POST)
        if form.is_valid():
            saved = call(
                form,
                lambda: services.block_update(
                    actor=request.user, document=document, block_id=block, source=form.cleaned_data["source"]
                ),
            )
            if saved is not None:
                context = preview_context(request, saved)
                view = next(b for b in context["blocks"] if b["id"] == block)
                return render(request, "reports/partials/block_saved.html", {**context, "b": view})
        status = 400
    else:
        form = BlockForm(initial={"source": current.source})
        status = 200
    return render(
        request,
        "reports/partials/block_form.html",
        {"document": document, "b": {"id": block, "kind": current.kind}, "form": form},
        status=status,
    )


@login_required
@require_GET
def fact_records(request: HttpRequest, code: str, name: str) -> HttpResponse:
    """The records behind one figure of the document, from its snapshot (paged)."""
    document = document_for(request, code)
    fact = one_from_snapshot(document.facts, name)
    if fact is None:
        raise Http404
    try:
        page = int(request.GET.get("page") or 1)
    except ValueError:
        page = 1
    missing = request.GET.get("missing") == "1"
    context = {
        "document": document,
        "fact": fact,
        "result": records(request.user, fact, page=page, missing=missing),
        "missing": missing,
    }
    template = "reports/partials/records.html" if _htmx(request) else "reports/records.html"
    return render(request, template, context)


@login_required
@require_GET
def document_download(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    document = document_for(request, code, Action.EXPORT)
    base = f"{document.title}"
    if fmt == "docx":
        body, content_type = bytes(document.docx), DOCX_CONTENT_TYPE
    elif fmt == "xlsx":
        body, content_type = (
            workbook.build(services.facts_of(document, with_ids=True), document.facts.get("breakdown")),
            XLSX_CONTENT_TYPE,
        )
        base += "（统计表）"
    elif fmt == "pdf":
        try:
            body, content_type = pdf.convert(bytes(document.docx)), PDF_CONTENT_TYPE
        except PdfError as exc:
            return render(
                request, "reports/pdf_error.html", {"document": document, "error": str(exc)}, status=503
            )
    else:
        raise Http404
    try:
        services.export_record(actor=request.user, document=document, fmt=fmt)
    except ValidationError:  # pragma: no cover - export_record only checks access
        raise
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, f"{base}.{fmt}")
    return response
