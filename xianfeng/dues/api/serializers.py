"""What the dues API returns: bases, payments, arrears rows, the sheet, totals, one member's year."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request

from xianfeng.dues.api.fields import SHEET_STATUSES, MonthField, base_reader, one_of
from xianfeng.dues.choices import DuesCategory, PaymentKind, PaymentMethod
from xianfeng.dues.models import DuesBase, DuesPayment, Remittance
from xianfeng.people.api import OrgRefSerializer

# --- Output -------------------------------------------------------------------------------------------


class DuesMemberSerializer(serializers.Serializer):
    code = serializers.UUIDField()
    name = serializers.CharField(source="person.name")
    org = OrgRefSerializer()


class BaseAdjustmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    effective_month = MonthField()
    base = serializers.SerializerMethodField(help_text="Null unless the caller may read the base.")
    fixed_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    monthly_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    above_soft_ceiling = serializers.BooleanField()
    capped = serializers.BooleanField()
    reason = serializers.CharField()

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_base(self, obj: Any) -> Any:
        reveal = self.context.get("reveal", lambda m: False)
        return f"{obj.base:.2f}" if reveal(obj.dues_base.membership) else None


class DuesBaseSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    membership = DuesMemberSerializer()
    year = serializers.IntegerField()
    category = serializers.CharField(help_text=one_of(DuesCategory.values))
    base = serializers.SerializerMethodField(
        help_text="The monthly after-tax base (income): null unless the caller may change dues in the "
        "member's org, or is the member."
    )
    fixed_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    monthly_amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    above_soft_ceiling = serializers.BooleanField(help_text="Above the 1000-yuan soft ceiling (DUES-05).")
    capped = serializers.BooleanField()
    schedule = serializers.CharField(source="schedule.code", help_text="The rate schedule's code.")
    hardship = serializers.CharField(help_text="Empty, reduction or exemption (DUES-09).")
    hardship_amount = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    hardship_reason = serializers.SerializerMethodField(help_text="Null unless the caller may read the base.")
    hardship_approved_by = OrgRefSerializer(allow_null=True)
    hardship_from = MonthField(allow_null=True)
    hardship_to = MonthField(allow_null=True)
    adjustments = serializers.SerializerMethodField()

    def _reveal(self, obj: DuesBase) -> bool:
        return bool(self.context.get("reveal", lambda m: False)(obj.membership))

    @extend_schema_field(serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True))
    def get_base(self, obj: DuesBase) -> Any:
        return f"{obj.base:.2f}" if self._reveal(obj) else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_hardship_reason(self, obj: DuesBase) -> str | None:
        return obj.hardship_reason if self._reveal(obj) else None

    @extend_schema_field(BaseAdjustmentSerializer(many=True))
    def get_adjustments(self, obj: DuesBase) -> Any:
        rows = sorted(obj.adjustments.all(), key=lambda a: a.effective_month)
        for row in rows:
            row.dues_base = obj  # the membership is already loaded
        return BaseAdjustmentSerializer(rows, many=True, context=self.context).data


class PaymentBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)
    paid_on = serializers.DateField()
    method = serializers.CharField(help_text=one_of(PaymentMethod.values))
    kind = serializers.CharField(help_text=one_of(PaymentKind.values))
    collector = serializers.SerializerMethodField()
    paid_by_proxy = serializers.CharField()

    @extend_schema_field(serializers.CharField(allow_null=True, help_text="The user who recorded it."))
    def get_collector(self, obj: DuesPayment) -> str | None:
        user = obj.collector
        return (user.first_name or user.username) if user is not None else None


class DuesPaymentSerializer(PaymentBriefSerializer):
    membership = DuesMemberSerializer()
    month_owed = MonthField()
    to_centre = serializers.BooleanField(help_text="A large one-off payment goes entirely to the centre.")
    note = serializers.CharField()


def base_out(request: Request, base: DuesBase) -> Any:
    base = bases_queryset().get(pk=base.pk)
    return DuesBaseSerializer(base, context={"reveal": base_reader(request.user)}).data


def bases_queryset() -> Any:
    return DuesBase.objects.select_related(
        "membership__person", "membership__org", "schedule", "hardship_approved_by"
    ).prefetch_related("adjustments")


# --- Arrears -------------------------------------------------------------------------------------------


class DuesFindingSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The rule: DUES-13.")
    message = serializers.CharField()
    source = serializers.CharField(help_text="The citation (党费规定 art. 13; 党章 art. 9).")  # type: ignore[assignment]


class ArrearsRowSerializer(serializers.Serializer):
    membership = DuesMemberSerializer()
    unpaid_months = serializers.ListField(child=MonthField(), help_text="Ended months owed and not paid.")
    consecutive_unpaid = serializers.IntegerField(help_text="The run of unpaid months up to last month.")
    unexcused_consecutive = serializers.IntegerField(help_text="The same run, stopped by a recorded reason.")
    warning = serializers.BooleanField(help_text="The run has reached the warning threshold (3 months).")
    missing_base = serializers.BooleanField(help_text="No dues base is set: nothing is owed yet.")
    finding = DuesFindingSerializer(allow_null=True, help_text="6 unexcused months (自行脱党, DUES-13).")


# --- The collection sheet ------------------------------------------------------------------------------


class SheetRowSerializer(serializers.Serializer):
    membership = DuesMemberSerializer()
    party_group = OrgRefSerializer(source="membership.party_group", allow_null=True)
    expected = serializers.DecimalField(
        max_digits=12, decimal_places=2, allow_null=True, help_text="The month's dues; null without a base."
    )
    status = serializers.CharField(help_text=one_of(SHEET_STATUSES))
    payment = PaymentBriefSerializer(allow_null=True)
    extras = PaymentBriefSerializer(many=True, help_text="Voluntary and large one-off payments.")
    extra_total = serializers.DecimalField(max_digits=14, decimal_places=2)


class SheetSerializer(serializers.Serializer):
    org = OrgRefSerializer()
    month = MonthField()
    paid_count = serializers.IntegerField()
    open_count = serializers.IntegerField(help_text="Unpaid (ended) or due (current) months.")
    no_base_count = serializers.IntegerField()
    expected_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    collected_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    extra_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    rate = serializers.DecimalField(
        max_digits=6, decimal_places=1, allow_null=True, help_text="Collected ÷ expected, in %."
    )
    count = serializers.IntegerField(help_text="Rows on the whole sheet; `results` is one page.")
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    results = SheetRowSerializer(many=True)


# --- Totals and remittances ----------------------------------------------------------------------------


class TotalsRowSerializer(serializers.Serializer):
    org = OrgRefSerializer()
    own = serializers.BooleanField(help_text="The root's own members, not a child's subtree.")
    members = serializers.IntegerField()
    owed_months = serializers.IntegerField()
    paid_months = serializers.IntegerField()
    missing_base_months = serializers.IntegerField()
    expected = serializers.DecimalField(max_digits=14, decimal_places=2)
    collected = serializers.DecimalField(max_digits=14, decimal_places=2)
    voluntary = serializers.DecimalField(max_digits=14, decimal_places=2)
    large = serializers.DecimalField(max_digits=14, decimal_places=2)
    rate = serializers.DecimalField(max_digits=6, decimal_places=1, allow_null=True)


class RemittanceSerializer(serializers.ModelSerializer):
    org = OrgRefSerializer(read_only=True)
    period_start = MonthField()
    period_end = MonthField()

    class Meta:
        model = Remittance
        fields = ["id", "org", "period_start", "period_end", "amount", "remitted_on", "reference", "note"]


class TotalsSerializer(serializers.Serializer):
    org = OrgRefSerializer(source="root")
    start = MonthField()
    end = MonthField(help_text="The last month counted (cut at the current month).")
    rows = TotalsRowSerializer(many=True)
    total = TotalsRowSerializer()
    ratio = serializers.DecimalField(
        max_digits=5, decimal_places=4, allow_null=True, help_text="Share remitted upward (DUES-15)."
    )
    remittance_due = serializers.DecimalField(max_digits=14, decimal_places=2)
    remitted = serializers.DecimalField(max_digits=14, decimal_places=2)
    remittance_outstanding = serializers.DecimalField(max_digits=14, decimal_places=2)
    remittances = RemittanceSerializer(many=True)


# --- One member's year ---------------------------------------------------------------------------------


class MemberMonthSerializer(serializers.Serializer):
    month = MonthField()
    expected = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    status = serializers.CharField(help_text=one_of(SHEET_STATUSES))
    payment = PaymentBriefSerializer(allow_null=True)
    extras = PaymentBriefSerializer(many=True)


class MemberYearSerializer(serializers.Serializer):
    membership = DuesMemberSerializer()
    year = serializers.IntegerField()
    base = DuesBaseSerializer(allow_null=True)
    months = MemberMonthSerializer(many=True)
    paid_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    extra_total = serializers.DecimalField(max_digits=14, decimal_places=2)
    owed_total = serializers.DecimalField(max_digits=14, decimal_places=2, help_text="Unpaid ended months.")
    unpaid_months = serializers.ListField(child=MonthField())
