from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet


class OrderKind(models.TextChoices):
    """The three work orders (三张工单), in escalation order."""

    REMINDER = "reminder", _("Reminder (提示)")
    NOTICE = "notice", _("Notice (通报)")
    ASSESSMENT = "assessment", _("Assessment (考核)")


NEXT_KIND: dict[str, str] = {OrderKind.REMINDER: OrderKind.NOTICE, OrderKind.NOTICE: OrderKind.ASSESSMENT}


class WorkOrderQuerySet(ScopedQuerySet["WorkOrder"]):
    """An order belongs to its recipient org; the issuing org above sees it through its subtree."""

    org_path_field = "recipient_org__path"

    def open(self) -> WorkOrderQuerySet:
        return self.filter(responded_on__isnull=True, escalated__isnull=True)

    def overdue(self, today: dt.date) -> WorkOrderQuerySet:
        return self.open().filter(deadline__lt=today)


class WorkOrder(PublicIdModel, TimeStampedModel, AuditedModel):
    """A work order (工单) from an org to one below it: reminder → notice → assessment.

    Escalating an unanswered order issues the next kind with `previous` pointing back; the previous
    order is then settled by the escalation (it no longer waits for a response)."""

    kind = models.CharField(_("kind"), max_length=16, choices=OrderKind.choices)
    number = models.CharField(_("number"), max_length=40)
    issuer_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing organization")
    )
    recipient_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("recipient organization")
    )
    reason = models.TextField(_("reason"))
    issued_on = models.DateField(_("issued on"))
    deadline = models.DateField(_("response due"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    previous = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="escalated",
        verbose_name=_("escalated from"),
    )
    task_item = models.ForeignKey(
        "supervision.TaskItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("key task"),
    )
    rectification = models.ForeignKey(
        "supervision.Rectification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="work_orders",
        verbose_name=_("rectification"),
    )
    response = models.TextField(_("response"), blank=True)
    responded_on = models.DateField(_("responded on"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deduction = models.DecimalField(
        _("deduction (points)"), max_digits=6, decimal_places=2, null=True, blank=True
    )

    objects = WorkOrderQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "number",
        "issuer_org",
        "recipient_org",
        "reason",
        "issued_on",
        "deadline",
        "previous",
        "task_item",
        "rectification",
        "response",
        "responded_on",
        "deduction",
    )

    class Meta:
        verbose_name = _("work order")
        verbose_name_plural = _("work orders")
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["responded_on", "deadline"])]
        constraints = [
            models.UniqueConstraint(fields=["issuer_org", "number"], name="supervision_order_number_unique")
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_kind_display()}"

    def is_open(self) -> bool:
        return self.responded_on is None and not hasattr(self, "escalated")

    def state_on(self, today: dt.date) -> str:
        if self.responded_on is not None:
            return "responded"
        if hasattr(self, "escalated"):
            return "escalated"
        return "overdue" if today > self.deadline else "open"
