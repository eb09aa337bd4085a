"""Thought reports over the API: GET/POST /development/memberships/{code}/thought-reports and
POST /development/thought-reports/{code}/void. Same access as the steps (views.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user
from xianfeng.development import services
from xianfeng.development.api.views import refusal, staff_only
from xianfeng.development.models import DevelopmentStep, ThoughtReport
from xianfeng.development.thought_reports import last_received, next_report
from xianfeng.people.models import Membership


class ThoughtReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = ThoughtReport
        fields = ("code", "received_on", "status", "summary", "voided", "void_reason")


class ThoughtReportsSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentThoughtReports"

    reports = ThoughtReportSerializer(many=True)
    next_due = serializers.DateField(
        allow_null=True,
        help_text="When the next report is due (XIANFENG_DEV_THOUGHT_REPORT_MONTHS, MISC-05).",
    )


class ThoughtReportInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentThoughtReportInput"

    received_on = serializers.DateField()
    summary = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class VoidInputSerializer(serializers.Serializer):
    class Meta:
        ref_name = "DevelopmentThoughtReportVoidInput"

    reason = serializers.CharField()


def _membership(request: Request, code: str, action: str) -> Membership:
    staff_only(request.user)
    membership: Membership = get_for_user(
        Membership.objects.select_related("person", "org"), request.user, action, code=code
    )
    return membership


class ThoughtReportsApi(APIView):
    """GET: the person's thought reports (voided ones included), newest first, and the next deadline.
    POST: record one; a refusal is a 400 naming the field."""

    @extend_schema(operation_id="development_thought_reports_list", responses={200: ThoughtReportsSerializer})
    def get(self, request: Request, code: str) -> Response:
        membership = _membership(request, code, Action.VIEW)
        reports = list(ThoughtReport.objects.filter(membership=membership).order_by("-received_on", "-id"))
        kept = DevelopmentStep.objects.valid().filter(membership=membership).exists()
        due = next_report(membership, last_received(reports), kept=kept)
        body = {"reports": reports, "next_due": due.due if due else None}
        return Response(ThoughtReportsSerializer(body).data)

    @extend_schema(
        operation_id="development_thought_reports_record",
        request=ThoughtReportInputSerializer,
        responses={201: ThoughtReportSerializer},
    )
    def post(self, request: Request, code: str) -> Response:
        membership = _membership(request, code, Action.CHANGE)
        serializer = ThoughtReportInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            report = services.thought_report_record(
                actor=request.user, membership=membership, **serializer.validated_data
            )
        except DjangoValidationError as exc:
            raise refusal(exc, "") from exc
        return Response(ThoughtReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ThoughtReportVoidApi(APIView):
    """POST: void a wrongly recorded report, with the reason; it stays on the record."""

    @extend_schema(
        operation_id="development_thought_reports_void",
        request=VoidInputSerializer,
        responses={200: ThoughtReportSerializer},
    )
    def post(self, request: Request, code: str) -> Response:
        staff_only(request.user)
        qs = ThoughtReport.objects.select_related("membership__org", "membership__person")
        report = get_for_user(qs, request.user, Action.CHANGE, code=code)
        serializer = VoidInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.thought_report_void(
                actor=request.user, report=report, reason=serializer.validated_data["reason"]
            )
        except DjangoValidationError as exc:
            raise refusal(exc, "") from exc
        return Response(ThoughtReportSerializer(report).data)
