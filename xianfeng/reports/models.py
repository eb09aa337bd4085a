"""Generated documents: the unit's layout profile and template, the drafting-term list, the build
jobs and the documents they produce (each with the facts snapshot it was built from)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet


class LayoutProfile(TimeStampedModel, AuditedModel):
    """A unit's layout: the keys it changes over GB/T 9704 (reports.profile.DEFAULT). Applies to the
    org's whole subtree unless a descendant has its own."""

    org = models.OneToOneField(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    data = models.JSONField(_("layout profile"), default=dict, blank=True)

    objects = ScopedQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "data")

    class Meta:
        verbose_name = _("layout profile")
        verbose_name_plural = _("layout profiles")

    def __str__(self) -> str:
        return str(self.org)


class SummaryTemplate(TimeStampedModel, AuditedModel):
    """A unit's own summary template text (reports.template syntax); the default file otherwise."""

    org = models.OneToOneField(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    text = models.TextField(_("template"))

    objects = ScopedQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "text")

    class Meta:
        verbose_name = _("summary template")
        verbose_name_plural = _("summary templates")

    def __str__(self) -> str:
        return str(self.org)


class DraftingTerm(TimeStampedModel):
    """A mistaken political term and its correct wording (二个维护 → 两个维护); the list is edited as a
    whole by committee administrators because official wording changes."""

    wrong = models.CharField(_("mistaken wording"), max_length=100, unique=True)
    right = models.CharField(_("correct wording"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("drafting term")
        verbose_name_plural = _("drafting terms")
        ordering = ["wrong"]

    def __str__(self) -> str:
        return f"{self.wrong} → {self.right}"


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class SummaryDocumentQuerySet(ScopedQuerySet["SummaryDocument"]):
    org_path_field = "org__path"


class SummaryDocument(PublicIdModel, TimeStampedModel, AuditedModel):
    """A built annual summary: the prose blocks (editable), the facts snapshot and the layout profile
    it was built from, the checks, and the .docx. Written in one transaction by a finished job."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    title = models.CharField(_("title"), max_length=300)
    facts = models.JSONField(_("facts snapshot"))
    blocks = models.JSONField(_("text blocks"))
    profile = models.JSONField(_("layout profile used"))
    template_text = models.TextField(_("template used"))
    checks = models.JSONField(_("drafting checks"), default=list)
    docx = models.BinaryField(_("Word document"))
    edited = models.BooleanField(_("edited after building"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = SummaryDocumentQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "start", "end", "title", "blocks", "edited")

    class Meta:
        verbose_name = _("summary document")
        verbose_name_plural = _("summary documents")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return self.title


class ReportJobQuerySet(ScopedQuerySet["ReportJob"]):
    org_path_field = "org__path"


class ReportJob(PublicIdModel, TimeStampedModel):
    """Building one summary in the background, with progress the page polls. A failed job keeps its
    message and produces no document."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    start = models.DateField(_("period start"))
    end = models.DateField(_("period end"))
    status = models.CharField(_("status"), max_length=16, choices=JobStatus.choices, default=JobStatus.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=100, blank=True)
    error = models.TextField(_("error"), blank=True)
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    document = models.OneToOneField(
        SummaryDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="job"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ReportJobQuerySet.as_manager()

    class Meta:
        verbose_name = _("report job")
        verbose_name_plural = _("report jobs")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"{self.org} {self.start:%Y}"

    @property
    def is_finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": str(self.code),
            "status": self.status,
            "progress": self.progress,
            "stage": self.stage,
            "error": self.error,
            "document": str(self.document.code) if self.document_id and self.document else None,
        }
