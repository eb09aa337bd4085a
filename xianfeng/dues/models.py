"""Party dues: dated rate schedules, yearly bases, mid-year adjustments, payments, arrears reasons."""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditedModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet
from xianfeng.dues.choices import DuesCategory, Hardship, PaymentKind, PaymentMethod, RateScheme


class RateSchedule(models.Model):
    """A set of brackets in force from `valid_from` to `valid_to` (inclusive; open when empty)."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=300)
    builtin = models.BooleanField(_("built in"), default=False)

    class Meta:
        verbose_name = _("dues rate schedule")
        verbose_name_plural = _("dues rate schedules")
        ordering = ["valid_from"]

    def __str__(self) -> str:
        return f"{self.code} ({self.valid_from}–{self.valid_to or ''})"


class RateBracket(models.Model):
    """One bracket: `rate` of the whole base up to `upper_bound` (inclusive; empty = no limit), or
    for fixed schemes the allowed amount range [fixed_min, fixed_max]."""

    schedule = models.ForeignKey(RateSchedule, on_delete=models.CASCADE, related_name="brackets")
    scheme = models.CharField(_("scheme"), max_length=16, choices=RateScheme.choices)
    upper_bound = models.DecimalField(
        _("upper bound"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    rate = models.DecimalField(_("rate"), max_digits=6, decimal_places=4, null=True, blank=True)
    fixed_min = models.DecimalField(
        _("fixed amount from"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    fixed_max = models.DecimalField(
        _("fixed amount to"), null=True, blank=True, max_digits=12, decimal_places=2
    )

    class Meta:
        verbose_name = _("dues rate bracket")
        verbose_name_plural = _("dues rate brackets")
        ordering = ["schedule", "scheme", models.F("upper_bound").asc(nulls_last=True)]

    def __str__(self) -> str:
        return f"{self.scheme} ≤{self.upper_bound or '∞'} {self.rate or self.fixed_min}"


class DuesBaseQuerySet(ScopedQuerySet["DuesBase"]):
    org_path_field = "membership__org__path"
    self_field = "membership__person__user"


class DuesBase(TimeStampedModel, AuditedModel):
    """A member's dues base for one year, set in January (DUES-04), with the computed amount."""

    membership = models.ForeignKey("people.Membership", on_delete=models.PROTECT, related_name="dues_bases")
    year = models.PositiveIntegerField(_("year"))
    category = models.CharField(_("category"), max_length=16, choices=DuesCategory.choices)
    base = models.DecimalField(_("monthly base"), default=0, max_digits=12, decimal_places=2)
    fixed_amount = models.DecimalField(
        _("fixed amount"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)
    above_soft_ceiling = models.BooleanField(_("above the 1000-yuan soft ceiling"), default=False)
    capped = models.BooleanField(_("capped by the configured ceiling"), default=False)
    schedule = models.ForeignKey(RateSchedule, on_delete=models.PROTECT, related_name="+")
    hardship = models.CharField(
        _("hardship"), max_length=16, choices=Hardship.choices, blank=True, default=Hardship.NONE
    )
    hardship_amount = models.DecimalField(
        _("reduced monthly amount"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    hardship_reason = models.TextField(_("hardship reason"), blank=True)
    hardship_approved_by = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    hardship_from = models.DateField(_("hardship from month"), null=True, blank=True)
    hardship_to = models.DateField(_("hardship to month"), null=True, blank=True)

    objects = DuesBaseQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "year",
        "category",
        "base",
        "fixed_amount",
        "monthly_amount",
        "above_soft_ceiling",
        "capped",
        "schedule",
        "hardship",
        "hardship_amount",
        "hardship_reason",
        "hardship_approved_by",
        "hardship_from",
        "hardship_to",
    )
    SENSITIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"base"})

    class Meta:
        verbose_name = _("dues base")
        verbose_name_plural = _("dues bases")
        constraints = [models.UniqueConstraint(fields=["membership", "year"], name="one_dues_base_per_year")]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.year}: {self.monthly_amount}"


class DuesBaseAdjustmentQuerySet(ScopedQuerySet["DuesBaseAdjustment"]):
    org_path_field = "dues_base__membership__org__path"
    self_field = "dues_base__membership__person__user"


class DuesBaseAdjustment(TimeStampedModel, AuditedModel):
    """An explicit mid-year change of the base, from `effective_month` to the end of the year."""

    dues_base = models.ForeignKey(DuesBase, on_delete=models.PROTECT, related_name="adjustments")
    effective_month = models.DateField(_("effective month"))
    base = models.DecimalField(_("monthly base"), default=0, max_digits=12, decimal_places=2)
    fixed_amount = models.DecimalField(
        _("fixed amount"), null=True, blank=True, max_digits=12, decimal_places=2
    )
    monthly_amount = models.DecimalField(_("monthly amount"), max_digits=12, decimal_places=2)
    above_soft_ceiling = models.BooleanField(_("above the 1000-yuan soft ceiling"), default=False)
    capped = models.BooleanField(_("capped by the configured ceiling"), default=False)
    schedule = models.ForeignKey(RateSchedule, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField(_("reason"))

    objects = DuesBaseAdjustmentQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "dues_base",
        "effective_month",
        "base",
        "fixed_amount",
        "monthly_amount",
        "schedule",
        "reason",
    )
    SENSITIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"base"})

    class Meta:
        verbose_name = _("dues base adjustment")
        verbose_name_plural = _("dues base adjustments")
        ordering = ["effective_month", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["dues_base", "effective_month"], name="one_dues_adjustment_per_month"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dues_base_id} from {self.effective_month:%Y-%m}: {self.monthly_amount}"


class DuesPaymentQuerySet(ScopedQuerySet["DuesPayment"]):
    org_path_field = "membership__org__path"
    self_field = "membership__person__user"

    def regular(self) -> DuesPaymentQuerySet:
        return self.filter(kind=PaymentKind.REGULAR)


class DuesPayment(TimeStampedModel, AuditedModel):
    """One payment: the month it is owed for, and when, how and by whom it was paid."""

    membership = models.ForeignKey(
        "people.Membership", on_delete=models.PROTECT, related_name="dues_payments"
    )
    month_owed = models.DateField(_("month owed"))
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=32, choices=PaymentMethod.choices)
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("collector"),
    )
    paid_by_proxy = models.CharField(_("paid by (proxy)"), max_length=50, blank=True)
    kind = models.CharField(
        _("kind"), max_length=16, choices=PaymentKind.choices, default=PaymentKind.REGULAR
    )
    to_centre = models.BooleanField(_("goes entirely to the centre"), default=False)
    note = models.TextField(_("note"), blank=True)

    objects = DuesPaymentQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "month_owed",
        "amount",
        "paid_on",
        "method",
        "collector",
        "paid_by_proxy",
        "kind",
        "to_centre",
        "note",
    )

    class Meta:
        verbose_name = _("dues payment")
        verbose_name_plural = _("dues payments")
        ordering = ["month_owed", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "month_owed"],
                condition=models.Q(kind=PaymentKind.REGULAR),
                name="one_regular_dues_payment_per_month",
            )
        ]
        indexes = [models.Index(fields=["membership", "kind", "month_owed"])]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.month_owed:%Y-%m} {self.amount}"


class ArrearsReasonQuerySet(ScopedQuerySet["ArrearsReason"]):
    org_path_field = "membership__org__path"
    self_field = "membership__person__user"


class ArrearsReason(TimeStampedModel, AuditedModel):
    """A recorded good reason for not paying [from_month, to_month]: suspends the 6-month rule."""

    membership = models.ForeignKey(
        "people.Membership", on_delete=models.PROTECT, related_name="arrears_reasons"
    )
    from_month = models.DateField(_("from month"))
    to_month = models.DateField(_("to month"))
    reason = models.TextField(_("reason"))

    objects = ArrearsReasonQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("membership", "from_month", "to_month", "reason")

    class Meta:
        verbose_name = _("reason for unpaid dues")
        verbose_name_plural = _("reasons for unpaid dues")
        ordering = ["from_month", "id"]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.from_month:%Y-%m}–{self.to_month:%Y-%m}"


class RemittanceRatioQuerySet(ScopedQuerySet["RemittanceRatio"]):
    org_path_field = "org__path"


class RemittanceRatio(TimeStampedModel, AuditedModel):
    """The share of the dues collected in `org`'s subtree that `org` sends to the level above, in
    force from `valid_from` (DUES-15: SOE ratios are set by the superior committee, L)."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="remittance_ratios")
    valid_from = models.DateField(_("valid from"))
    ratio = models.DecimalField(_("share remitted"), max_digits=5, decimal_places=4)
    note = models.CharField(_("basis"), max_length=300, blank=True)

    objects = RemittanceRatioQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "valid_from", "ratio", "note")

    class Meta:
        verbose_name = _("remittance ratio")
        verbose_name_plural = _("remittance ratios")
        ordering = ["org", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["org", "valid_from"], name="one_remittance_ratio_per_start"),
            models.CheckConstraint(
                condition=models.Q(ratio__gte=0) & models.Q(ratio__lte=1), name="remittance_ratio_0_to_1"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.org_id} from {self.valid_from}: {self.ratio}"


class RemittanceQuerySet(ScopedQuerySet["Remittance"]):
    org_path_field = "org__path"


class Remittance(TimeStampedModel, AuditedModel):
    """Dues sent by `org` to the level above for the months [period_start, period_end]."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="remittances")
    period_start = models.DateField(_("from month"))
    period_end = models.DateField(_("to month"))
    amount = models.DecimalField(_("amount"), max_digits=14, decimal_places=2)
    remitted_on = models.DateField(_("remitted on"))
    reference = models.CharField(_("voucher or transfer reference"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = RemittanceQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "org",
        "period_start",
        "period_end",
        "amount",
        "remitted_on",
        "reference",
        "note",
    )

    class Meta:
        verbose_name = _("dues remittance")
        verbose_name_plural = _("dues remittances")
        ordering = ["-period_start", "id"]

    def __str__(self) -> str:
        return f"{self.org_id} {self.period_start:%Y-%m}–{self.period_end:%Y-%m}: {self.amount}"


class PayrollColumnMap(TimeStampedModel, AuditedModel):
    """How a committee's payroll workbook is laid out, saved at the first import and reused after
    ("columns mapped once"). Columns are letters (A, B, …) as the user sees them in Excel."""

    org = models.OneToOneField("orgs.Org", on_delete=models.CASCADE, related_name="payroll_column_map")
    header_row = models.PositiveSmallIntegerField(_("header row"), default=1)
    id_number_column = models.CharField(_("ID number column"), max_length=3)
    name_column = models.CharField(_("name column"), max_length=3, blank=True)
    base_column = models.CharField(_("base column"), max_length=3)
    category_column = models.CharField(_("category column"), max_length=3, blank=True)

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "header_row",
        "id_number_column",
        "name_column",
        "base_column",
        "category_column",
    )

    class Meta:
        verbose_name = _("payroll column map")
        verbose_name_plural = _("payroll column maps")

    def __str__(self) -> str:
        return f"{self.org_id}: id {self.id_number_column}, base {self.base_column}"
