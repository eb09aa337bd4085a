from __future__ import annotations

import datetime as dt
import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet


class RectificationSource(models.TextChoices):
    INSPECTION = "inspection", _("Inspection (巡察)")
    AUDIT = "audit", _("Audit")
    SELF_CHECK = "self_check", _("Self-check")
    COMPLAINT = "complaint", _("Complaint")


class RectificationCategory(models.TextChoices):
    """Problem categories for the counts in reports (the usual headings of inspection feedback)."""

    POLITICAL = "political", _("Political building")
    IDEOLOGICAL = "ideological", _("Ideological building")
    ORGANIZATIONAL = "organizational", _("Organizational building")
    CONDUCT = "conduct", _("Work style")
    DISCIPLINE = "discipline", _("Discipline and integrity")
    INTEGRATION = "integration", _("Party building and business")
    OTHER = "other", _("Other")


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("Being rectified")
    SUBMITTED = "submitted", _("Evidence submitted, pending verification")
    CLOSED = "closed", _("Verified and closed")


class BatchQuerySet(ScopedQuerySet["RectificationBatch"]):
    org_path_field = "org__path"


class RectificationBatch(PublicIdModel, TimeStampedModel, AuditedModel):
    """What one inspection, audit, self-check or complaint found, issued by `org` (the issuer)."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing organization")
    )
    source = models.CharField(_("source"), max_length=16, choices=RectificationSource.choices)
    title = models.CharField(_("batch"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = BatchQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "source", "title", "issued_on")

    class Meta:
        verbose_name = _("rectification batch")
        verbose_name_plural = _("rectification batches")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


class RectificationQuerySet(ScopedQuerySet["Rectification"]):
    org_path_field = "responsible_org__path"
    self_field = "responsible_person__user"

    def open(self) -> RectificationQuerySet:
        return self.exclude(status=RectificationStatus.CLOSED)

    def overdue(self, today: dt.date) -> RectificationQuerySet:
        return self.filter(status=RectificationStatus.OPEN, deadline__lt=today)


class Rectification(PublicIdModel, TimeStampedModel, AuditedModel):
    """One problem to rectify: measures, owner, deadline, evidence, verification by the issuer."""

    batch = models.ForeignKey(RectificationBatch, on_delete=models.PROTECT, related_name="items")
    number = models.PositiveSmallIntegerField(_("number"))
    problem = models.TextField(_("problem"))
    category = models.CharField(_("category"), max_length=16, choices=RectificationCategory.choices)
    responsible_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible organization")
    )
    responsible_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person responsible"),
    )
    measures = models.TextField(_("measures"), blank=True)
    immediate = models.BooleanField(_("rectify at once (立行立改)"), default=False)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(
        _("status"), max_length=16, choices=RectificationStatus.choices, default=RectificationStatus.OPEN
    )
    evidence = models.TextField(_("evidence"), blank=True)
    submitted_on = models.DateField(_("evidence submitted on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verified_on = models.DateField(_("verified on"), null=True, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verification_note = models.TextField(_("verification note"), blank=True)

    objects = RectificationQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "batch",
        "number",
        "problem",
        "category",
        "responsible_org",
        "responsible_person",
        "measures",
        "immediate",
        "deadline",
        "status",
        "evidence",
        "submitted_on",
        "verified_on",
        "verification_note",
    )

    class Meta:
        verbose_name = _("rectification")
        verbose_name_plural = _("rectifications")
        ordering = ["batch", "number", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.UniqueConstraint(
                fields=["batch", "number"], name="supervision_rectification_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.problem}"[:120]

    def state_on(self, today: dt.date) -> str:
        if self.status == RectificationStatus.OPEN and today > self.deadline:
            return "overdue"
        return str(self.status)


def evidence_path(instance: RectificationEvidence, filename: str) -> str:
    return f"supervision/rectifications/{instance.rectification.code}/{secrets.token_hex(8)}-{filename[-80:]}"


class RectificationEvidence(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=evidence_path)
    name = models.CharField(pgettext_lazy("file", "name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")

    def __str__(self) -> str:
        return self.name
