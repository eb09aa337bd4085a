from __future__ import annotations

import datetime as dt
from typing import ClassVar

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import EncryptedTextField
from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet
from xianfeng.people import idcard
from xianfeng.people.choices import (
    Education,
    Gender,
    LeaveReason,
    MembershipEventKind,
    PoliticalStatus,
    Post,
)
from xianfeng.people.ethnicity import ETHNICITY_CHOICES


class PersonQuerySet(ScopedQuerySet["Person"]):
    org_path_field = "membership__org__path"
    self_field = "user"


class Person(PublicIdModel, TimeStampedModel, AuditedModel):
    """A person known to the system: employee data. Party data is on `Membership`.

    The ID number and phone are encrypted at rest (core.fields) and found through keyed hashes.
    """

    name = models.CharField(_("name"), max_length=50, db_index=True)
    gender = models.CharField(_("gender"), max_length=8, choices=Gender.choices)
    ethnicity = models.CharField(_("ethnicity"), max_length=2, choices=ETHNICITY_CHOICES, default="01")
    birth_date = models.DateField(_("birth date"))
    id_number = EncryptedTextField(_("ID number"))
    id_number_hash = models.CharField(max_length=64, unique=True, editable=False)
    phone = EncryptedTextField(_("phone"), blank=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    education = models.CharField(_("education"), max_length=24, choices=Education.choices, blank=True)
    employee_no = models.CharField(_("employee number"), max_length=32, blank=True, db_index=True)
    business_unit = models.CharField(_("business unit"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    job_post = models.CharField(_("job post"), max_length=100, blank=True)
    hire_date = models.DateField(_("hire date"), null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person",
        verbose_name=_("user account"),
    )

    objects = PersonQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "gender",
        "ethnicity",
        "birth_date",
        "id_number",
        "phone",
        "education",
        "employee_no",
        "business_unit",
        "department",
        "job_post",
        "hire_date",
        "user",
    )
    SENSITIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"id_number", "phone"})

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        return self.name

    @property
    def id_number_masked(self) -> str:
        return idcard.mask(self.id_number) if self.id_number else ""

    @property
    def phone_masked(self) -> str:
        phone = self.phone or ""
        return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else ("*" * len(phone))

    def age_on(self, day: dt.date) -> int:
        return relativedelta(day, self.birth_date).years


class MembershipQuerySet(ScopedQuerySet["Membership"]):
    org_path_field = "org__path"
    self_field = "person__user"

    def current(self) -> MembershipQuerySet:
        return self.filter(left_date__isnull=True)

    def with_people(self, *related: str) -> MembershipQuerySet:
        """Joined with the person (and `related`), leaving out the encrypted ID number and phone: each
        costs a decryption per row, which dominates lists of thousands of members (bench/run_dues.py)."""
        return self.select_related("person", *related).defer("person__id_number", "person__phone")


class Membership(PublicIdModel, TimeStampedModel, AuditedModel):
    """A person's party record: political status, key dates, org and party group.

    Never deleted: leaving sets `left_date` and `left_reason`; every change adds a MembershipEvent.
    """

    person = models.OneToOneField(Person, on_delete=models.PROTECT, related_name="membership")
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="memberships", verbose_name=_("organization")
    )
    party_group = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="group_memberships",
        verbose_name=_("party group"),
    )
    status = models.CharField(_("political status"), max_length=16, choices=PoliticalStatus.choices)
    application_date = models.DateField(_("application date"), null=True, blank=True)
    activist_date = models.DateField(_("activist date"), null=True, blank=True)
    candidate_date = models.DateField(_("candidate date"), null=True, blank=True)
    admission_date = models.DateField(_("admission date"), null=True, blank=True)
    conversion_date = models.DateField(_("conversion date"), null=True, blank=True)
    left_date = models.DateField(_("date left"), null=True, blank=True)
    left_reason = models.CharField(
        _("reason for leaving"), max_length=24, choices=LeaveReason.choices, blank=True
    )
    left_note = models.TextField(_("note on leaving"), blank=True)

    objects = MembershipQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "org",
        "party_group",
        "status",
        "application_date",
        "activist_date",
        "candidate_date",
        "admission_date",
        "conversion_date",
        "left_date",
        "left_reason",
        "left_note",
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        indexes = [models.Index(fields=["org", "status", "left_date"])]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_status_display()})"

    @property
    def is_current(self) -> bool:
        return self.left_date is None

    def party_age_on(self, day: dt.date) -> int | None:
        """Whole years since conversion to full member (党章 art. 7; DEV-20)."""
        if self.conversion_date is None or self.conversion_date > day:
            return None
        return relativedelta(day, self.conversion_date).years


class MembershipEvent(models.Model):
    """One line of a membership's history: status changes, transfers, leaving, corrections."""

    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=MembershipEventKind.choices)
    date = models.DateField(_("date"))
    from_status = models.CharField(max_length=16, choices=PoliticalStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=PoliticalStatus.choices, blank=True)
    from_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    to_org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership events")
        ordering = ["date", "id"]

    def __str__(self) -> str:
        return f"{self.date} {self.get_kind_display()}"


class PostHoldingQuerySet(ScopedQuerySet["PostHolding"]):
    org_path_field = "org__path"

    def current(self, on: dt.date | None = None) -> PostHoldingQuerySet:
        if on is None:
            return self.filter(end_date__isnull=True)
        return self.filter(start_date__lte=on).filter(
            models.Q(end_date__isnull=True) | models.Q(end_date__gt=on)
        )


class PostHolding(TimeStampedModel, AuditedModel):
    """A post held in an org (secretary of a branch, leader of a party group…) with its dates."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="posts")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="posts")
    post = models.CharField(_("post"), max_length=24, choices=Post.choices)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = PostHoldingQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("person", "org", "post", "start_date", "end_date")

    class Meta:
        verbose_name = _("post held")
        verbose_name_plural = _("posts held")
        ordering = ["org", "post", "-start_date"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "post"],
                condition=models.Q(end_date__isnull=True, post__in=[Post.SECRETARY, Post.GROUP_LEADER]),
                name="one_current_holder_of_single_posts",
            ),
            models.UniqueConstraint(
                fields=["person", "org", "post"],
                condition=models.Q(end_date__isnull=True),
                name="one_current_holding_per_person_org_post",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_post_display()}"


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Checked, waiting for confirmation")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")
    EXPIRED = "expired", _("Expired")


class ImportBatch(PublicIdModel):
    """One uploaded member workbook, kept between the preview and the confirmation.

    The file is stored encrypted (it holds ID numbers) and only its owner may confirm it; the
    confirmation re-reads these stored bytes, never a re-upload. The content is wiped once the
    batch is imported, failed or expired; the row stays as a trace (hash, counts, status).
    """

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("owner"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    content = EncryptedTextField(_("file content"), blank=True)  # base64 of the file, encrypted
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    imported_count = models.PositiveIntegerField(_("rows imported"), default=0)

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"
