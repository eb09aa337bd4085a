from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.activities.choices import (
    ActivityStatus,
    AttendanceSource,
    AttendanceStatus,
    Audience,
    KindCategory,
    MajorMatter,
    Quorum,
)
from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet


class ActivityKind(TimeStampedModel, AuditedModel):
    """A kind of activity (支部党员大会, 支委会, 党课, 主题党日…): a catalogue shipped as data and
    extended by the enterprise. It says what a record of that kind holds and who is expected."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60)
    category = models.CharField(_("category"), max_length=24, choices=KindCategory.choices)
    org_types = models.JSONField(_("organization types"), default=list, blank=True)  # empty: any
    audience = models.CharField(_("expected attendees"), max_length=24, choices=Audience.choices)
    quorum = models.CharField(_("quorum"), max_length=32, choices=Quorum.choices, default=Quorum.NONE)
    has_attendance = models.BooleanField(_("records attendance"), default=True)
    has_agenda = models.BooleanField(_("has agenda items"), default=False)
    has_hours = models.BooleanField(_("counts study hours"), default=False)
    has_lecturer = models.BooleanField(_("has a lecturer"), default=False)
    is_talk = models.BooleanField(_("is a talk between two people"), default=False)
    metrics = models.JSONField(_("metrics"), default=list, blank=True)
    builtin = models.BooleanField(_("built in"), default=False, editable=False)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "code",
        "name",
        "category",
        "org_types",
        "audience",
        "quorum",
        "has_attendance",
        "has_agenda",
        "has_hours",
        "has_lecturer",
        "is_talk",
        "metrics",
        "active",
        "order",
    )

    class Meta:
        verbose_name = _("activity kind")
        verbose_name_plural = _("activity kinds")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


class ActivityQuerySet(ScopedQuerySet["Activity"]):
    org_path_field = "org__path"

    def held(self) -> ActivityQuerySet:
        return self.filter(status=ActivityStatus.HELD)


def _checkin_token() -> str:
    return secrets.token_urlsafe(16)


class Activity(PublicIdModel, TimeStampedModel, AuditedModel):
    """Something that happened (or is planned) in an org: a meeting, a lecture, a theme day, a talk.

    Every rule counts these (ARCHITECTURE.md: everything that happened is an Activity)."""

    kind = models.ForeignKey(ActivityKind, on_delete=models.PROTECT, related_name="activities")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="activities")
    title = models.CharField(_("title"), max_length=200)
    status = models.CharField(
        _("status"), max_length=16, choices=ActivityStatus.choices, default=ActivityStatus.PLANNED
    )
    planned_start = models.DateTimeField(_("planned start"))
    planned_end = models.DateTimeField(_("planned end"), null=True, blank=True)
    held_start = models.DateTimeField(_("held from"), null=True, blank=True, db_index=True)
    held_end = models.DateTimeField(_("held until"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    host = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("host"),
    )
    recorder = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorder"),
    )
    lecturer = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lectures",
        verbose_name=_("lecturer"),
    )
    minutes = models.TextField(_("minutes"), blank=True)
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    quorum_met = models.BooleanField(_("quorum met"), null=True, blank=True)
    checkin_token = models.CharField(max_length=32, default=_checkin_token, editable=False)
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = ActivityQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "org",
        "title",
        "status",
        "planned_start",
        "planned_end",
        "held_start",
        "held_end",
        "place",
        "host",
        "recorder",
        "lecturer",
        "minutes",
        "metrics",
        "quorum_met",
        "cancel_reason",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-planned_start", "-id"]
        indexes = [
            models.Index(fields=["org", "status", "held_start"]),
            models.Index(fields=["kind", "status", "held_start"]),
        ]

    def __str__(self) -> str:
        return self.title


class AttendanceQuerySet(ScopedQuerySet["Attendance"]):
    org_path_field = "activity__org__path"
    self_field = "person__user"


class Attendance(TimeStampedModel):
    """One person's attendance at an activity: expected, present, on leave (with reason), absent."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="attendance")
    status = models.CharField(
        _("attendance"), max_length=16, choices=AttendanceStatus.choices, default=AttendanceStatus.EXPECTED
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, null=True, blank=True)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    source = models.CharField(
        max_length=16, choices=AttendanceSource.choices, default=AttendanceSource.MANUAL
    )

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["activity", "person"], name="one_attendance_per_person")
        ]
        indexes = [models.Index(fields=["person", "status"])]

    def __str__(self) -> str:
        return f"{self.person} · {self.get_status_display()}"


class AgendaItem(models.Model):
    """An item on a meeting's agenda, with topic tags and the 第一议题 / 三重一大 flags."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    topic = models.CharField(_("topic"), max_length=300)
    tags = models.JSONField(_("topic tags"), default=list, blank=True)
    first_item = models.BooleanField(_("first agenda item (第一议题)"), default=False)
    major_matter = models.CharField(
        _("major matter (三重一大)"), max_length=16, choices=MajorMatter.choices, blank=True
    )
    prior_study = models.BooleanField(_("studied by the committee beforehand (前置研究)"), default=False)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["activity", "order", "id"]

    def __str__(self) -> str:
        return self.topic


class Decision(models.Model):
    """A decision taken at a meeting, with who carries it out and by when."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))
    owner = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=pgettext_lazy("task", "owner"),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["activity", "id"]

    def __str__(self) -> str:
        return self.text[:60]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"activities/{instance.activity.code}/{secrets.token_hex(8)}-{filename[-80:]}"


class Attachment(models.Model):
    """A file kept with an activity (sign-in sheet, photos, slides); type and size are checked."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=attachment_path)
    name = models.CharField(pgettext_lazy("file", "name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
