"""The reports API: the facts of an org and year, building a summary (a job), the job's progress,
the documents, a document's figures with their provenance, and the files."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.api import Pagination
from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user
from xianfeng.orgs.models import Org
from xianfeng.reports import facts, jobs, pdf, services, workbook
from xianfeng.reports.docx_builder import DOCX_CONTENT_TYPE
from xianfeng.reports.models import ReportJob, SummaryDocument
from xianfeng.reports.pdf import PDF_CONTENT_TYPE, PdfError
from xianfeng.reports.selectors import documents_for, records
from xianfeng.reports.template import numbering, plain, render
from xianfeng.reports.workbook import XLSX_CONTENT_TYPE


def fact_json(f: facts.Fact) -> dict[str, Any]:
    return {
        "name": f.name,
        "label": f.label,
        "area": f.area,
        "unit": f.unit,
        "rule": f.rule,
        "status": f.status,
        "value": None if f.value is None else str(f.value),
        "display": f.display(),
        "source": f.source,
        "record_count": f.record_count,
        "missing": f.missing,
        "missing_count": f.missing_count,
        "items": f.items,
    }


class FactSerializer(serializers.Serializer):
    name = serializers.CharField()
    label = serializers.CharField()  # type: ignore[assignment]
    area = serializers.CharField()
    unit = serializers.CharField()
    rule = serializers.CharField()
    status = serializers.ChoiceField(choices=facts.STATUSES)
    value = serializers.CharField(allow_null=True, help_text="Decimal as text; null when missing.")
    display = serializers.CharField(allow_null=True)
    source = serializers.CharField(  # type: ignore[assignment]
        help_text="Model of the records behind the figure; empty if computed."
    )
    record_count = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())
    missing_count = serializers.IntegerField()
    items = serializers.ListField(child=serializers.CharField())


class JobSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    status = serializers.CharField()
    progress = serializers.IntegerField()
    stage = serializers.CharField()
    error = serializers.CharField()
    document = serializers.UUIDField(allow_null=True)


class DocumentMetaSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    org = serializers.IntegerField()
    title = serializers.CharField()
    start = serializers.DateField()
    end = serializers.DateField()
    created = serializers.DateTimeField()
    edited = serializers.BooleanField()


class BuildSerializer(serializers.Serializer):
    org = serializers.IntegerField()
    year = serializers.IntegerField()


def _org(user: Any, raw: Any, action: str) -> Org:
    try:
        pk = int(raw)
    except (TypeError, ValueError) as exc:
        raise serializers.ValidationError({"org": ["Enter the id of an organization."]}) from exc
    org: Org = get_for_user(Org.objects.all(), user, action, pk=pk)
    return org


def _year(raw: Any) -> int:
    today = timezone.localdate()
    try:
        year = int(raw)
    except (TypeError, ValueError) as exc:
        raise serializers.ValidationError({"year": ["Enter a year, e.g. 2025."]}) from exc
    if not services.MIN_YEAR <= year <= today.year:
        raise serializers.ValidationError({"year": [f"年度应在 {services.MIN_YEAR} 至 {today.year} 之间。"]})
    return year


class FactListApi(APIView):
    """GET /reports/facts/?org=&year=: every fact of the org's subtree for the year, with its rule,
    status, value and the number of records behind it (computed now)."""

    @extend_schema(
        operation_id="reports_facts",
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, required=True),
            OpenApiParameter("year", OpenApiTypes.INT, required=True),
        ],
        responses={200: FactSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        org = _org(request.user, request.query_params.get("org"), Action.VIEW)
        year = _year(request.query_params.get("year"))
        fact_set = facts.compute(org, facts.Period.year(year))
        return Response(
            {"org": org.pk, "year": year, "results": [fact_json(f) for f in fact_set.facts.values()]}
        )


class SummaryListCreateApi(APIView):
    """GET /reports/summaries/: the summaries the caller may see (?org= for one org).
    POST {org, year}: queue the build; 202 with the job (poll /reports/jobs/<code>/)."""

    serializer_class = DocumentMetaSerializer  # for the schema

    @extend_schema(
        operation_id="reports_summaries_list", parameters=[OpenApiParameter("org", OpenApiTypes.INT)]
    )
    def get(self, request: Request) -> Response:
        org = None
        if request.query_params.get("org"):
            org = _org(request.user, request.query_params.get("org"), Action.VIEW)
        paginator = Pagination()
        page = paginator.paginate_queryset(documents_for(request.user, org), request, view=self) or []
        return paginator.get_paginated_response([_document_meta(d) for d in page])

    @extend_schema(
        operation_id="reports_summaries_build", request=BuildSerializer, responses={202: JobSerializer}
    )
    def post(self, request: Request) -> Response:
        body = BuildSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        org = _org(request.user, body.validated_data["org"], services.BUILD_ACTION)
        year = _year(body.validated_data["year"])
        job = services.summary_job_create(actor=request.user, org=org, year=year)
        jobs.dispatch(job)
        job.refresh_from_db()
        return Response(job.as_dict(), status=status.HTTP_202_ACCEPTED)


class JobDetailApi(APIView):
    """GET /reports/jobs/<code>/: status (queued, running, done, failed), progress, error, document."""

    @extend_schema(operation_id="reports_job", responses={200: JobSerializer})
    def get(self, request: Request, code: str) -> Response:
        job: ReportJob = get_for_user(ReportJob.objects.select_related("document"), request.user, code=code)
        return Response(job.as_dict())


def _document_meta(d: SummaryDocument) -> dict[str, Any]:
    return {
        "code": str(d.code),
        "org": d.org_id,
        "title": d.title,
        "start": d.start.isoformat(),
        "end": d.end.isoformat(),
        "created": d.created.isoformat(),
        "edited": d.edited,
    }


class SummaryDetailApi(APIView):
    """GET /reports/summaries/<code>/: the document's text as rendered (each block with its figures),
    the drafting checks, and every fact of its snapshot."""

    @extend_schema(operation_id="reports_summary", responses={200: OpenApiTypes.OBJECT})
    def get(self, request: Request, code: str) -> Response:
        document: SummaryDocument = get_for_user(
            SummaryDocument.objects.select_related("org"), request.user, code=code
        )
        fact_set = services.facts_of(document)
        blocks = services.blocks_of(document)
        numbers = numbering(blocks)
        body = _document_meta(document)
        body["blocks"] = [
            {
                "id": b.id,
                "kind": b.kind,
                "number": numbers.get(b.id, ""),
                "source": b.source,
                "text": numbers.get(b.id, "") + plain(render(b.source, fact_set.facts)),
                "figures": [p.fact for p in render(b.source, fact_set.facts) if p.fact],
            }
            for b in blocks
        ]
        body["checks"] = document.checks
        body["facts"] = [fact_json(f) for f in fact_set.facts.values()]
        return Response(body)


class ProvenanceApi(APIView):
    """GET /reports/summaries/<code>/facts/<name>/: one figure of the document with the ids of every
    record behind it (from the snapshot) and one page of those records as the caller may see them.
    ?missing=1 for the incomplete records left out."""

    @extend_schema(
        operation_id="reports_summary_provenance",
        parameters=[
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("missing", OpenApiTypes.BOOL),
        ],
        responses={200: OpenApiTypes.OBJECT},
    )
    def get(self, request: Request, code: str, name: str) -> Response:
        document: SummaryDocument = get_for_user(
            SummaryDocument.objects.select_related("org"), request.user, code=code
        )
        fact = facts.one_from_snapshot(document.facts, name)
        if fact is None:
            raise NotFound()
        try:
            page = int(request.query_params.get("page") or 1)
        except ValueError:
            page = 1
        missing = request.query_params.get("missing") in ("1", "true")
        result = records(request.user, fact, page=page, missing=missing)
        return Response(
            {
                "fact": fact_json(fact),
                "ids": fact.missing_ids if missing else fact.ids,
                "page": result.page,
                "pages": result.pages,
                "headers": result.headers,
                "records": [{"id": r.id, "cells": r.cells, "url": r.url} for r in result.rows],
                "hidden": result.hidden,
            }
        )


class SummaryFileApi(APIView):
    """GET /reports/summaries/<code>/file?type=docx|pdf|xlsx: the document (an export: audited).
    (Not ?format=, which DRF reserves for choosing a renderer.)"""

    @extend_schema(
        operation_id="reports_summary_file",
        parameters=[OpenApiParameter("type", OpenApiTypes.STR, enum=["docx", "pdf", "xlsx"])],
        responses={
            200: OpenApiResponse(OpenApiTypes.BINARY),
            503: OpenApiResponse(description="No LibreOffice"),
        },
    )
    def get(self, request: Request, code: str) -> HttpResponse:
        document: SummaryDocument = get_for_user(
            SummaryDocument.objects.select_related("org"), request.user, Action.EXPORT, code=code
        )
        fmt = request.query_params.get("type") or "docx"
        if fmt == "docx":
            body, content_type = bytes(document.docx), DOCX_CONTENT_TYPE
        elif fmt == "xlsx":
            body, content_type = (
                workbook.build(services.facts_of(document, with_ids=True), document.facts.get("breakdown")),
                XLSX_CONTENT_TYPE,
            )
        elif fmt == "pdf":
            try:
                body, content_type = pdf.convert(bytes(document.docx)), PDF_CONTENT_TYPE
            except PdfError as exc:
                return Response(
                    {"errors": [{"field": "type", "message": str(exc), "code": "unavailable"}]}, status=503
                )
        else:
            raise serializers.ValidationError({"type": ["One of: docx, pdf, xlsx."]})
        services.export_record(actor=request.user, document=document, fmt=fmt)
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = content_disposition_header(True, f"{document.title}.{fmt}")
        return response
