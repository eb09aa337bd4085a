from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.lifecycle.choices import SuspensionReason
from xianfeng.lifecycle.models._base import MemberScopedQuerySet


class SuspensionQuerySet(MemberScopedQuerySet["Suspension"]):
    pass


class Suspension(PublicIdModel, TimeStampedModel, AuditedModel):
    """A suspension of membership (停止党籍, MEM-02), open until restored or the member is removed.

    `since` is the date the ground began: the day the member went abroad, or the last contact."""

    membership = models.ForeignKey(
        "people.Membership", on_delete=models.PROTECT, related_name="suspensions", verbose_name=_("member")
    )
    start_date = models.DateField(_("suspended from"))
    reason = models.CharField(_("ground"), max_length=16, choices=SuspensionReason.choices)
    since = models.DateField(_("abroad since / last contact"))
    note = models.TextField(_("decision and basis"))
    restored_date = models.DateField(_("restored on"), null=True, blank=True)
    restored_note = models.TextField(_("note on restoration"), blank=True)
    removed_date = models.DateField(_("removed on"), null=True, blank=True)

    objects = SuspensionQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "start_date",
        "reason",
        "since",
        "note",
        "restored_date",
        "restored_note",
        "removed_date",
    )

    class Meta:
        verbose_name = _("suspension of membership")
        verbose_name_plural = _("suspensions of membership")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(restored_date__isnull=True, removed_date__isnull=True),
                name="lifecycle_one_open_suspension_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.start_date})"

    @property
    def is_open(self) -> bool:
        return self.restored_date is None and self.removed_date is None
