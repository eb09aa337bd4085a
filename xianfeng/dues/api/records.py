"""Dues records over the API: bases (set, adjust, hardship), payments, arrears reasons, remittances and
ratios. Lists are restricted to the caller's scope; writes go through dues.services."""

from __future__ import annotations

from typing import Any

import django_filters
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.dues import services
from xianfeng.dues.api.fields import (
    MonthField,
    MonthFilter,
    base_reader,
    choice,
    in_subtree,
    visible_membership,
)
from xianfeng.dues.api.serializers import (
    DuesBaseSerializer,
    DuesMemberSerializer,
    DuesPaymentSerializer,
    RemittanceSerializer,
    base_out,
    bases_queryset,
)
from xianfeng.dues.choices import DuesCategory, Hardship, PaymentKind, PaymentMethod
from xianfeng.dues.models import DuesBase, DuesPayment, RemittanceRatio
from xianfeng.orgs.api import visible_org
from xianfeng.orgs.models import Org
from xianfeng.people.api import OrgRefSerializer

# --- Filters ------------------------------------------------------------------------------------------


class DuesBaseFilterSet(django_filters.FilterSet):
    org = django_filters.NumberFilter(method="in_subtree", label=_("Organization (with sub-organizations)"))
    year = django_filters.NumberFilter(field_name="year")
    membership = django_filters.UUIDFilter(field_name="membership__code")

    class Meta:
        model = DuesBase
        fields = ["org", "year", "membership"]

    def in_subtree(self, queryset: Any, name: str, value: int) -> Any:
        return in_subtree(queryset, value)


class DuesPaymentFilterSet(django_filters.FilterSet):
    org = django_filters.NumberFilter(method="in_subtree", label=_("Organization (with sub-organizations)"))
    month = MonthFilter(field_name="month_owed", label=_("Month owed (YYYY-MM)"))
    membership = django_filters.UUIDFilter(field_name="membership__code")
    kind = django_filters.ChoiceFilter(choices=PaymentKind.choices)

    class Meta:
        model = DuesPayment
        fields = ["org", "month", "membership", "kind"]

    def in_subtree(self, queryset: Any, name: str, value: int) -> Any:
        return in_subtree(queryset, value)


# --- Bases ---------------------------------------------------------------------------------------------


class DuesBaseListCreateApi(generics.ListAPIView):
    """GET /dues/bases/: yearly bases the caller may see; ?org= (subtree), ?year=, ?membership=.
    POST: set (or, before any payment, re-set) a member's base for a year (dues.services.dues_base_set);
    201 when created, 200 when an existing base was re-set."""

    serializer_class = DuesBaseSerializer
    filterset_class = DuesBaseFilterSet

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DuesBaseSetInput"

        membership = serializers.UUIDField()
        year = serializers.IntegerField()
        category = choice(DuesCategory.choices)
        base = serializers.DecimalField(
            max_digits=20,
            decimal_places=2,
            required=False,
            allow_null=True,
            default=None,
            help_text="Monthly after-tax regular pay or pension; not for fixed-amount categories.",
        )
        fixed_amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
        )

    def get_queryset(self) -> Any:
        return (
            bases_queryset()
            .restrict(self.request.user, Action.VIEW)
            .order_by("membership__org__path", "membership__person__name", "-year", "pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "reveal": base_reader(self.request.user)}

    @extend_schema(
        operation_id="dues_bases_set",
        request=InputSerializer,
        responses={200: DuesBaseSerializer, 201: DuesBaseSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        membership = visible_membership(request.user, data.pop("membership"))
        existed = DuesBase.objects.filter(membership=membership, year=data["year"]).exists()
        base = services.dues_base_set(actor=request.user, membership=membership, **data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(base_out(request, base), status=code)


class DuesBaseAdjustApi(APIView):
    """POST /dues/bases/{id}/adjust: an explicit mid-year change of the base from a month to December,
    with the reason (DUES-04)."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DuesBaseAdjustInput"

        effective_month = MonthField()
        base = serializers.DecimalField(
            max_digits=20, decimal_places=2, required=False, allow_null=True, default=None
        )
        fixed_amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
        )
        reason = serializers.CharField()

    @extend_schema(
        operation_id="dues_bases_adjust", request=InputSerializer, responses={201: DuesBaseSerializer}
    )
    def post(self, request: Request, base_id: int) -> Response:
        base: DuesBase = get_for_user(bases_queryset(), request.user, Action.CHANGE, pk=base_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.dues_base_adjust(actor=request.user, dues_base=base, **serializer.validated_data)
        return Response(base_out(request, base), status=status.HTTP_201_CREATED)


class DuesHardshipApi(APIView):
    """POST /dues/bases/{id}/hardship: a reduction or exemption approved by a Party committee above the
    branch (DUES-09), for a run of months."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DuesHardshipInput"

        hardship = choice([c for c in Hardship.choices if c[0]])
        reason = serializers.CharField()
        approved_by = serializers.IntegerField(help_text="The approving committee's org id.")
        from_month = MonthField()
        to_month = MonthField()
        reduced_amount = serializers.DecimalField(
            max_digits=12, decimal_places=2, required=False, allow_null=True, default=None
        )

    @extend_schema(
        operation_id="dues_bases_hardship", request=InputSerializer, responses={200: DuesBaseSerializer}
    )
    def post(self, request: Request, base_id: int) -> Response:
        base: DuesBase = get_for_user(bases_queryset(), request.user, Action.CHANGE, pk=base_id)
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        approver = Org.objects.filter(pk=data.pop("approved_by")).first()
        member_org = base.membership.org
        # The committees above the member's branch are known to whoever may change the branch.
        if approver is None or not (
            member_org.path.startswith(approver.path) or can(request.user, Action.VIEW, approver)
        ):
            raise serializers.ValidationError({"approved_by": [_("Unknown organization.")]})
        services.dues_hardship_set(actor=request.user, dues_base=base, approved_by=approver, **data)
        return Response(base_out(request, base))


# --- Payments ------------------------------------------------------------------------------------------


class DuesPaymentListCreateApi(generics.ListAPIView):
    """GET /dues/payments/: payments the caller may see (their own included); ?org= (subtree), ?month=,
    ?membership=, ?kind=. POST: record a payment (dues.services.dues_payment_record): the amount must be
    the month's dues for a regular payment; voluntary extras and large one-off payments are apart."""

    serializer_class = DuesPaymentSerializer
    filterset_class = DuesPaymentFilterSet

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "DuesPaymentRecordInput"

        membership = serializers.UUIDField()
        month_owed = MonthField()
        amount = serializers.DecimalField(max_digits=14, decimal_places=2)
        paid_on = serializers.DateField(required=False, help_text="Default: today.")
        method = choice(PaymentMethod.choices)
        kind = choice(PaymentKind.choices, required=False, default=PaymentKind.REGULAR)
        paid_by_proxy = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
        note = serializers.CharField(required=False, allow_blank=True, default="")

    def get_queryset(self) -> Any:
        return (
            DuesPayment.objects.restrict(self.request.user, Action.VIEW)
            .select_related("membership__person", "membership__org", "collector")
            .order_by("-month_owed", "membership__org__path", "membership__person__name", "pk")
        )

    @extend_schema(
        operation_id="dues_payments_create", request=InputSerializer, responses={201: DuesPaymentSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        membership = visible_membership(request.user, data.pop("membership"))
        data.setdefault("paid_on", timezone.localdate())
        payment = services.dues_payment_record(actor=request.user, membership=membership, **data)
        payment = DuesPayment.objects.select_related(
            "membership__person", "membership__org", "collector"
        ).get(pk=payment.pk)
        return Response(DuesPaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


# --- Arrears reasons ----------------------------------------------------------------------------------


class ArrearsReasonApi(APIView):
    """POST /dues/arrears/reasons: a good reason for not paying over a run of months; it suspends the
    six-month rule for those months (DUES-13)."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ArrearsReasonInput"

        membership = serializers.UUIDField()
        from_month = MonthField()
        to_month = MonthField()
        reason = serializers.CharField()

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "ArrearsReasonOutput"

        id = serializers.IntegerField()
        membership = DuesMemberSerializer()
        from_month = MonthField()
        to_month = MonthField()
        reason = serializers.CharField()

    @extend_schema(
        operation_id="dues_arrears_reasons_create", request=InputSerializer, responses={201: OutputSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        membership = visible_membership(request.user, data.pop("membership"))
        reason = services.arrears_reason_record(actor=request.user, membership=membership, **data)
        return Response(self.OutputSerializer(reason).data, status=status.HTTP_201_CREATED)


# --- Remittances and ratios ---------------------------------------------------------------------------


class RemittanceApi(APIView):
    """POST /dues/remittances/: dues sent by an org to the level above for a run of months."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RemittanceRecordInput"

        org = serializers.IntegerField()
        period_start = MonthField()
        period_end = MonthField()
        amount = serializers.DecimalField(max_digits=16, decimal_places=2)
        remitted_on = serializers.DateField()
        reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        note = serializers.CharField(required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="dues_remittances_create", request=InputSerializer, responses={201: RemittanceSerializer}
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org = visible_org(request.user, data.pop("org"), "org")
        remittance = services.remittance_record(actor=request.user, org=org, **data)
        return Response(RemittanceSerializer(remittance).data, status=status.HTTP_201_CREATED)


class RemittanceRatioApi(APIView):
    """POST /dues/remittance-ratios/: the share of an org's collected dues it remits upward, from a
    month; set by the committee above it (DUES-15). 201 when created, 200 when replaced."""

    class InputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "RemittanceRatioInput"

        org = serializers.IntegerField()
        valid_from = MonthField()
        ratio = serializers.DecimalField(max_digits=8, decimal_places=4, help_text="0.05 is 5 %.")
        note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    class OutputSerializer(serializers.ModelSerializer):
        org = OrgRefSerializer(read_only=True)
        valid_from = MonthField()

        class Meta:
            model = RemittanceRatio
            ref_name = "RemittanceRatioOutput"
            fields = ["id", "org", "valid_from", "ratio", "note"]

    @extend_schema(
        operation_id="dues_remittance_ratios_set",
        request=InputSerializer,
        responses={200: OutputSerializer, 201: OutputSerializer},
    )
    def post(self, request: Request) -> Response:
        serializer = self.InputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        org = visible_org(request.user, data.pop("org"), "org")
        existed = RemittanceRatio.objects.filter(org=org, valid_from=data["valid_from"]).exists()
        ratio = services.remittance_ratio_set(actor=request.user, org=org, **data)
        code = status.HTTP_200_OK if existed else status.HTTP_201_CREATED
        return Response(self.OutputSerializer(ratio).data, status=code)
