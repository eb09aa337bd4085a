"""Computed dues reports over the API: the arrears scan, the collection sheet, the totals with the
remittance due, and one member's year, read through the same selectors as the pages."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.api import Pagination
from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user
from xianfeng.dues.api.fields import base_reader, month_param, report_org
from xianfeng.dues.api.serializers import (
    ArrearsRowSerializer,
    MemberYearSerializer,
    SheetSerializer,
    TotalsSerializer,
)
from xianfeng.dues.collection import collection_sheet, member_year
from xianfeng.dues.selectors import arrears
from xianfeng.dues.summaries import dues_totals
from xianfeng.people.models import Membership

# --- Arrears ------------------------------------------------------------------------------------------


class DuesArrearsApi(generics.ListAPIView):
    """GET /dues/arrears/: current party members in arrears (or without a base) in the caller's scope;
    ?org= limits to that org's subtree, ?as_of= (a date, default today, not in the future) counts the
    months ended before its month, ?all=true includes members who are up to date."""

    serializer_class = ArrearsRowSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return Membership.objects.none()  # computed by dues.selectors.arrears

    @extend_schema(
        operation_id="dues_arrears_list",
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, description="Only this organization's subtree."),
            OpenApiParameter("as_of", OpenApiTypes.DATE, description="Default: today."),
            OpenApiParameter("all", OpenApiTypes.BOOL, description="Include members who are up to date."),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        today = timezone.localdate()
        errors: dict[str, list[str]] = {}
        org = report_org(request.user, request.query_params.get("org"), errors)
        as_of = today
        raw = request.query_params.get("as_of")
        if raw:
            try:
                as_of = dt.date.fromisoformat(raw)
            except ValueError:
                errors["as_of"] = [str(_("Enter a date as YYYY-MM-DD."))]
            else:
                if as_of > today:
                    errors["as_of"] = [str(_("The date cannot be in the future."))]
        if errors:
            raise serializers.ValidationError(errors)
        rows = arrears(scope_orgs_or_user=[org] if org is not None else request.user, as_of=as_of)
        if request.query_params.get("all") not in ("1", "true"):
            rows = [r for r in rows if r.unpaid_months or r.missing_base]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(ArrearsRowSerializer(page, many=True).data)


# --- The collection sheet -----------------------------------------------------------------------------


class DuesSheetApi(APIView):
    """GET /dues/sheet/?org=&month=: the month's collection sheet of an org and its subtree (default: the
    current month), its totals over the whole sheet, and one page of rows (?page=, ?page_size=)."""

    @extend_schema(
        operation_id="dues_sheet",
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, required=True),
            OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM; default: the current month."),
            OpenApiParameter("page", OpenApiTypes.INT),
            OpenApiParameter("page_size", OpenApiTypes.INT),
        ],
        responses={200: SheetSerializer},
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        errors: dict[str, list[str]] = {}
        month = month_param(request.query_params.get("month"), "month", today.replace(day=1), errors)
        org = report_org(request.user, request.query_params.get("org"), errors)
        if org is None and "org" not in errors:
            errors["org"] = [str(_("This parameter is required."))]
        if errors or org is None:
            raise serializers.ValidationError(errors)
        sheet = collection_sheet(org, month, today)
        paginator = Pagination()
        page = sheet.rows_for(paginator.paginate_queryset(sheet.entries, request, view=self) or [])
        body = {
            "org": org,
            "month": month,
            "paid_count": sheet.paid_count,
            "open_count": sheet.open_count,
            "no_base_count": sheet.no_base_count,
            "expected_total": sheet.expected_total,
            "collected_total": sheet.collected_total,
            "extra_total": sheet.extra_total,
            "rate": sheet.rate,
            "count": len(sheet.entries),
            "next": paginator.get_next_link(),
            "previous": paginator.get_previous_link(),
            "results": page,
        }
        return Response(SheetSerializer(body).data)


# --- Totals -------------------------------------------------------------------------------------------


class DuesSummaryApi(APIView):
    """GET /dues/summary/?org=&start=&end=: expected and collected dues of an org's subtree per child
    org over a run of months (default: January to the current month), with what the org should remit
    upward and what it has remitted (dues.summaries.dues_totals)."""

    @extend_schema(
        operation_id="dues_summary",
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, required=True),
            OpenApiParameter("start", OpenApiTypes.STR, description="YYYY-MM; default: January."),
            OpenApiParameter("end", OpenApiTypes.STR, description="YYYY-MM; default: the current month."),
        ],
        responses={200: TotalsSerializer},
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        params = request.query_params
        errors: dict[str, list[str]] = {}
        start = month_param(params.get("start"), "start", dt.date(today.year, 1, 1), errors)
        end = month_param(params.get("end"), "end", today.replace(day=1), errors)
        if "start" not in errors and "end" not in errors and end < start:
            errors["end"] = [str(_("The period ends before it starts."))]
        org = report_org(request.user, params.get("org"), errors)
        if org is None and "org" not in errors:
            errors["org"] = [str(_("This parameter is required."))]
        if errors or org is None:
            raise serializers.ValidationError(errors)
        totals = dues_totals(org, start, end, today)
        return Response(TotalsSerializer(totals).data)


# --- One member's year --------------------------------------------------------------------------------


class MemberYearApi(APIView):
    """GET /dues/members/{code}/year/{year}: twelve months of one member's dues (expected, paid, open);
    a member may read their own."""

    @extend_schema(operation_id="dues_member_year", responses={200: MemberYearSerializer})
    def get(self, request: Request, code: str, year: int) -> Response:
        membership: Membership = get_for_user(
            Membership.objects.select_related("person", "org"), request.user, Action.VIEW, code=code
        )
        if not 2000 <= year <= 2100:
            raise serializers.ValidationError({"year": [_("Enter a year between 2000 and 2100.")]})
        data = member_year(membership, year, timezone.localdate())
        if data.base is not None:
            data.base.membership = membership
        context = {"reveal": base_reader(request.user)}
        return Response(MemberYearSerializer(data, context=context).data)
