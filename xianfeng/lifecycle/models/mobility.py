from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import EncryptedTextField
from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet
from xianfeng.lifecycle.choices import ABROAD_REASONS, AwayReason, ContactMethod
from xianfeng.lifecycle.models._base import MemberScopedQuerySet


class MobileRecordQuerySet(MemberScopedQuerySet["MobileRecord"]):
    pass


class MobileRecord(PublicIdModel, TimeStampedModel, AuditedModel):
    """A member away from their org without transferring the record (流动党员, MEM-04/05).

    Open while `return_date` is empty. The contact phone is encrypted at rest, as a person's is."""

    membership = models.ForeignKey(
        "people.Membership", on_delete=models.PROTECT, related_name="mobile_records", verbose_name=_("member")
    )
    start_date = models.DateField(_("away since"))
    place = models.CharField(_("place"), max_length=200)
    reason = models.CharField(_("reason"), max_length=16, choices=AwayReason.choices)
    contact_person = models.CharField(_("contact person"), max_length=50, blank=True)
    contact_phone = EncryptedTextField(_("contact phone"), blank=True)
    expected_return = models.DateField(_("expected return"), null=True, blank=True)
    return_date = models.DateField(_("returned on"), null=True, blank=True)
    return_note = models.TextField(_("note on return"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = MobileRecordQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "start_date",
        "place",
        "reason",
        "contact_person",
        "contact_phone",
        "expected_return",
        "return_date",
        "return_note",
        "note",
    )
    SENSITIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"contact_phone"})

    class Meta:
        verbose_name = _("mobile member record")
        verbose_name_plural = _("mobile member records")
        ordering = ["-start_date", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(return_date__isnull=True),
                name="lifecycle_one_open_mobile_record_per_member",
            )
        ]

    def __str__(self) -> str:
        return f"{self.place} ({self.start_date})"

    @property
    def abroad(self) -> bool:
        return self.reason in ABROAD_REASONS

    @property
    def contact_phone_masked(self) -> str:
        phone = self.contact_phone or ""
        return phone[:3] + "****" + phone[-4:] if len(phone) >= 8 else "*" * len(phone)


class MobileContactQuerySet(ScopedQuerySet["MobileContact"]):
    org_path_field = "record__membership__org__path"
    self_field = "record__membership__person__user"


class MobileContact(TimeStampedModel, AuditedModel):
    """One contact with a member who is away: when, how, what was said."""

    record = models.ForeignKey(MobileRecord, on_delete=models.PROTECT, related_name="contacts")
    date = models.DateField(_("date"))
    method = models.CharField(_("how"), max_length=16, choices=ContactMethod.choices)
    note = models.TextField(_("note"), blank=True)

    objects = MobileContactQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("record", "date", "method", "note")

    class Meta:
        verbose_name = _("contact with a mobile member")
        verbose_name_plural = _("contacts with mobile members")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_method_display()}"
