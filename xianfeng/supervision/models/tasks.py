from __future__ import annotations

import datetime as dt
import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet


class ItemStatus(models.TextChoices):
    """Stored statuses. "Overdue" is not stored: it is an open item past its deadline (ItemState)."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING_CHECK = "pending_check", _("Done, pending check")
    CLOSED = "closed", _("Closed")


class ItemState(models.TextChoices):
    """What the board shows: the stored status, or overdue for an open item past its deadline."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PENDING_CHECK = "pending_check", _("Done, pending check")
    CLOSED = "closed", _("Closed")
    OVERDUE = "overdue", _("Overdue")


OPEN_ITEM_STATUSES = (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS, ItemStatus.PENDING_CHECK)


class TaskListQuerySet(ScopedQuerySet["TaskList"]):
    org_path_field = "org__path"


class TaskList(PublicIdModel, TimeStampedModel, AuditedModel):
    """A year's key-task list (重点任务清单) issued by a committee or branch (the issuer)."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("issuing organization")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)

    objects = TaskListQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "year", "title", "issued_on", "note")

    class Meta:
        verbose_name = _("key-task list")
        verbose_name_plural = _("key-task lists")
        ordering = ["-year", "-issued_on", "-id"]

    def __str__(self) -> str:
        return self.title


class TaskCategory(models.Model):
    """A category of a list (the seed's "5类29项"): 党风廉政, 组织建设…"""

    task_list = models.ForeignKey(TaskList, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("category"), max_length=100)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("task category")
        verbose_name_plural = _("task categories")
        ordering = ["task_list", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["task_list", "name"], name="supervision_category_unique_per_list")
        ]

    def __str__(self) -> str:
        return self.name


class TaskItemQuerySet(ScopedQuerySet["TaskItem"]):
    """An item belongs to its lead org; the issuer sees it from above; its lead person sees their own."""

    org_path_field = "lead_org__path"
    self_field = "lead_person__user"

    def open(self) -> TaskItemQuerySet:
        return self.filter(status__in=OPEN_ITEM_STATUSES)

    def overdue(self, today: dt.date) -> TaskItemQuerySet:
        return self.open().filter(deadline__lt=today)


class TaskItem(PublicIdModel, TimeStampedModel, AuditedModel):
    """One key task: lead org and person, collaborators, deadline, milestones, acceptance criterion."""

    task_list = models.ForeignKey(TaskList, on_delete=models.CASCADE, related_name="items")
    category = models.ForeignKey(
        TaskCategory,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="items",
        verbose_name=_("category"),
    )
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("task"), max_length=500)
    lead_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("lead organization")
    )
    lead_person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person responsible"),
    )
    collaborators = models.ManyToManyField(
        "orgs.Org", blank=True, related_name="+", verbose_name=_("collaborating organizations")
    )
    deadline = models.DateField(_("deadline"))
    acceptance = models.TextField(_("acceptance criterion"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=ItemStatus.choices, default=ItemStatus.NOT_STARTED
    )
    percent = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    response = models.TextField(_("closing response"), blank=True)
    submitted_on = models.DateField(_("reported done on"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    check_note = models.TextField(_("check note"), blank=True)

    objects = TaskItemQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "task_list",
        "category",
        "number",
        "title",
        "lead_org",
        "lead_person",
        "deadline",
        "acceptance",
        "status",
        "percent",
        "response",
        "submitted_on",
        "closed_on",
        "check_note",
    )

    class Meta:
        verbose_name = _("key task")
        verbose_name_plural = _("key tasks")
        ordering = ["task_list", "number", "id"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.UniqueConstraint(fields=["task_list", "number"], name="supervision_item_number_unique"),
            models.CheckConstraint(condition=Q(percent__lte=100), name="supervision_item_percent_max_100"),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"[:120]

    @property
    def is_open(self) -> bool:
        return self.status != ItemStatus.CLOSED

    def state_on(self, today: dt.date) -> str:
        if self.is_open and today > self.deadline:
            return ItemState.OVERDUE
        return ItemState(self.status).value

    def days_overdue(self, today: dt.date) -> int:
        return max((today - self.deadline).days, 0) if self.is_open else 0


class Milestone(models.Model):
    """An intermediate step of an item, with its own date (节点)."""

    item = models.ForeignKey(TaskItem, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(_("milestone"), max_length=200)
    due = models.DateField(_("date"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["item", "due", "id"]

    def __str__(self) -> str:
        return self.title


class ProgressReport(TimeStampedModel):
    """What the owner reports: text, a percentage, and evidence files."""

    item = models.ForeignKey(TaskItem, on_delete=models.CASCADE, related_name="reports")
    reported_on = models.DateField(_("reported on"))
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(_("progress (%)"))
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["item", "-reported_on", "-id"]

    def __str__(self) -> str:
        return f"{self.reported_on} {self.percent}%"


def progress_path(instance: ProgressAttachment, filename: str) -> str:
    return f"supervision/items/{instance.report.item.code}/{secrets.token_hex(8)}-{filename[-80:]}"


class ProgressAttachment(models.Model):
    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to=progress_path)
    name = models.CharField(pgettext_lazy("file", "name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self) -> str:
        return self.name
