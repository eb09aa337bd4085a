"""Obligations, findings and notifications over the API, with the same scoping as the pages.

GET /obligations/                  every profile's obligations (the rules are not personal data)
GET /findings/?org=&period=&status= findings of the caller's visible orgs (or one org's subtree)
GET /notifications/?unread=1        the caller's own notifications
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response

from xianfeng.compliance.engine import Finding, Scope, Status, findings
from xianfeng.compliance.models import Notification, Obligation
from xianfeng.compliance.periods import PeriodKind, period_containing
from xianfeng.compliance.rules import coded_findings
from xianfeng.compliance.selectors import activities_by_id, parse_period
from xianfeng.orgs.api import visible_org

STATUS_HELP = "One of: " + ", ".join(Status.values) + "."

# --- Obligations ----------------------------------------------------------------------------------


class ObligationOutputSerializer(serializers.ModelSerializer):
    profile = serializers.CharField(
        source="profile.code", help_text="The profile's code (national, seed004…)."
    )
    kinds: Any = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    subject = serializers.CharField(help_text="org, post_holder or contact_point.")
    period = serializers.CharField(help_text="month, quarter, half_year or year.")
    level = serializers.CharField(help_text="national (status C), local (status L) or enterprise.")
    condition = serializers.CharField(help_text="always, or has_committee.")

    class Meta:
        model = Obligation
        fields = [
            "id",
            "profile",
            "code",
            "title",
            "subject",
            "org_types",
            "posts",
            "condition",
            "kinds",
            "topic_tag",
            "given_by_subject",
            "at_contact_point",
            "min_count",
            "period",
            "deadline_month",
            "deadline_day",
            "due_soon_days",
            "citation",
            "rule_ref",
            "level",
            "valid_from",
            "valid_to",
            "active",
        ]


class ObligationListApi(generics.ListAPIView):
    """GET /obligations/: obligations of every profile; ?profile=<code>, ?active=true|false."""

    serializer_class = ObligationOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        qs = (
            Obligation.objects.select_related("profile")
            .prefetch_related("kinds")
            .order_by("profile__code", "code")
        )
        profile = self.request.query_params.get("profile")
        if profile:
            qs = qs.filter(profile__code=profile)
        active = self.request.query_params.get("active")
        if active in ("true", "false"):
            qs = qs.filter(active=active == "true")
        return qs

    @extend_schema(
        operation_id="obligations_list",
        parameters=[
            OpenApiParameter("profile", OpenApiTypes.STR, description="Only this profile's obligations."),
            OpenApiParameter(
                "active", OpenApiTypes.BOOL, description="Only active (true) or inactive (false)."
            ),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


# --- Findings -------------------------------------------------------------------------------------


class FindingOrgSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class FindingPersonSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    name = serializers.CharField()


class FindingOutputSerializer(serializers.Serializer):
    rule = serializers.CharField(help_text="<profile>/<obligation code>, or rule/<coded rule>.")
    obligation = serializers.IntegerField(source="obligation_id", allow_null=True)
    title = serializers.CharField()
    status = serializers.CharField(help_text=STATUS_HELP)
    subject = serializers.CharField(help_text="org, post_holder, contact_point, or member (coded rules).")
    org = serializers.SerializerMethodField()
    person = serializers.SerializerMethodField()
    period = serializers.CharField(
        source="period_label", help_text="2026-03, 2026-Q1, 2026-H1, 2026; empty for coded rules."
    )
    period_start = serializers.DateField(allow_null=True)
    period_end = serializers.DateField(allow_null=True, help_text="The period's last day.")
    due = serializers.DateField(allow_null=True)
    required = serializers.IntegerField()  # type: ignore[assignment]
    done = serializers.IntegerField()
    evidence = serializers.SerializerMethodField()
    citation = serializers.CharField()
    rule_ref = serializers.CharField()
    detail = serializers.CharField()

    @extend_schema_field(FindingOrgSerializer)
    def get_org(self, f: Finding) -> dict[str, Any]:
        return {"id": f.org_id, "name": f.org_name}

    @extend_schema_field(FindingPersonSerializer(allow_null=True))
    def get_person(self, f: Finding) -> dict[str, Any] | None:
        return {"code": f.person_code, "name": f.person_name} if f.person_id else None

    @extend_schema_field(
        serializers.ListField(child=serializers.UUIDField(), help_text="Codes of the activities counted.")
    )
    def get_evidence(self, f: Finding) -> list[str]:
        codes = self.context.get("codes", {})
        return [str(codes[pk]) for pk in f.evidence if pk in codes]


class FindingListApi(generics.ListAPIView):
    """GET /findings/: findings in the caller's scope.

    ?org=<id> limits to that org's subtree (a 400 naming `org` if unknown or not visible);
    ?period=2026 | 2026-03 | 2026-Q1 | 2026-H1 (default: the current month) returns the findings of
    every period that overlaps it, plus the coded-rule findings when the period includes today;
    ?status=missed,overdue filters by status."""

    serializer_class = FindingOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        return Obligation.objects.none()  # findings are computed, not stored

    @extend_schema(
        operation_id="findings_list",
        parameters=[
            OpenApiParameter("org", OpenApiTypes.INT, description="Only this organization's subtree."),
            OpenApiParameter("period", OpenApiTypes.STR, description="2026, 2026-03, 2026-Q1 or 2026-H1."),
            OpenApiParameter("status", OpenApiTypes.STR, description="Comma-separated. " + STATUS_HELP),
        ],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        today = timezone.localdate()
        params = request.query_params
        errors: dict[str, list[str]] = {}
        period = parse_period(params.get("period", "")) if params.get("period") else None
        if params.get("period") and period is None:
            errors["period"] = [str(_("Use YYYY, YYYY-MM, YYYY-Qn or YYYY-Hn."))]
        statuses = [s.strip() for s in params.get("status", "").split(",") if s.strip()]
        unknown = [s for s in statuses if s not in Status.values]
        if unknown:
            errors["status"] = [str(_("Unknown status: %(s)s.") % {"s": ", ".join(unknown)})]
        scope: Scope = Scope.of_user(request.user)
        if params.get("org"):
            try:
                org_id = int(params["org"])
            except ValueError:
                errors["org"] = [str(_("Unknown organization."))]
            else:
                try:
                    scope = Scope.subtree(visible_org(request.user, org_id, "org"))
                except serializers.ValidationError as exc:
                    errors.update(exc.detail)  # type: ignore[arg-type]
        if errors:
            raise serializers.ValidationError(errors)
        period = period or period_containing(today, PeriodKind.MONTH)
        found = findings(scope=scope, start=period.start, end=period.last_day, today=today)
        if period.start <= today <= period.last_day:
            found += coded_findings(scope=scope, today=today)
        if statuses:
            found = [f for f in found if f.status in statuses]
        found.sort(key=lambda f: (f.org_id, f.rule, f.period_start or today, f.person_name))
        page = self.paginate_queryset(found)
        rows = list(page if page is not None else found)
        codes = {
            pk: row["code"] for pk, row in activities_by_id({pk for f in rows for pk in f.evidence}).items()
        }
        data = FindingOutputSerializer(rows, many=True, context={"codes": codes}).data
        return self.get_paginated_response(data)


# --- Notifications --------------------------------------------------------------------------------


class NotificationOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "title", "body", "url", "created", "read_at", "emailed_at"]


class NotificationListApi(generics.ListAPIView):
    """GET /notifications/: the caller's own notifications, newest first; ?unread=true."""

    serializer_class = NotificationOutputSerializer
    filter_backends: list[Any] = []

    def get_queryset(self) -> Any:
        qs = Notification.objects.filter(user=self.request.user.pk).order_by("-created", "-id")
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs

    @extend_schema(
        operation_id="notifications_list",
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="Only unread notifications.")],
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
