"""The repeatable info sets of a member's record, one table per kind.

One table per kind rather than one table with a kind and a JSON payload: the kinds have different
typed columns and rules (training hours feed the annual training count, rewards and punishments the
statistics report's commendation table, trips abroad the integrity filings), and real columns can be
filtered, summed and indexed. What they share (the member, the public code, scoping, auditing) is in
the abstract `InfoEntry`, and lifecycle.info is the one registry the services, views and templates
iterate over.
"""

from __future__ import annotations

from typing import ClassVar

from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.lifecycle.choices import (
    FamilyPoliticalStatus,
    FamilyRelation,
    HardshipCategory,
    RewardCategory,
)
from xianfeng.lifecycle.models._base import MemberScopedQuerySet


class InfoEntryQuerySet(MemberScopedQuerySet["InfoEntry"]):
    pass


class InfoEntry(PublicIdModel, TimeStampedModel, AuditedModel):
    membership = models.ForeignKey(
        "people.Membership", on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )

    objects = InfoEntryQuerySet.as_manager()

    class Meta:
        abstract = True


class RewardPunishment(InfoEntry):
    """A reward or commendation, or a punishment or sanction (奖惩)."""

    category = models.CharField(_("reward or punishment"), max_length=16, choices=RewardCategory.choices)
    date = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    granted_by = models.CharField(_("decided by"), max_length=200)
    document_no = models.CharField(_("document number"), max_length=100, blank=True)
    note = models.TextField(_("note"), blank=True)

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "category",
        "date",
        "title",
        "granted_by",
        "document_no",
        "note",
    )

    class Meta:
        verbose_name = _("reward or punishment")
        verbose_name_plural = _("rewards and punishments")
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.date} {self.title}"


class TripAbroad(InfoEntry):
    """A trip abroad or to Hong Kong, Macao or Taiwan (出国/境), with its approval."""

    start_date = models.DateField(_("departure"))
    end_date = models.DateField(_("return"), null=True, blank=True)
    destination = models.CharField(_("destination"), max_length=200)
    purpose = models.CharField(_("purpose"), max_length=200)
    approved_by = models.CharField(_("approved by"), max_length=200, blank=True)
    approval_date = models.DateField(_("approval date"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "start_date",
        "end_date",
        "destination",
        "purpose",
        "approved_by",
        "approval_date",
        "note",
    )

    class Meta:
        verbose_name = _("trip abroad")
        verbose_name_plural = _("trips abroad")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.start_date} {self.destination}"


class HardshipRecord(InfoEntry):
    """A hardship the member faces (困难情况) and the help given."""

    recorded_date = models.DateField(_("recorded on"))
    category = models.CharField(_("kind of hardship"), max_length=16, choices=HardshipCategory.choices)
    description = models.TextField(_("description"))
    assistance = models.TextField(_("help given"), blank=True)
    resolved_date = models.DateField(_("resolved on"), null=True, blank=True)

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "recorded_date",
        "category",
        "description",
        "assistance",
        "resolved_date",
    )

    class Meta:
        verbose_name = _("hardship")
        verbose_name_plural = _("hardships")
        ordering = ["-recorded_date", "-id"]

    def __str__(self) -> str:
        return f"{self.recorded_date} {self.get_category_display()}"


class FamilyMember(InfoEntry):
    """A family member (家庭成员). Personal data: shown only to users who may change the record,
    and the name and work unit are censored in the audit log."""

    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=16, choices=FamilyRelation.choices)
    work_unit = models.CharField(_("work unit and post"), max_length=200, blank=True)
    political_status = models.CharField(
        _("political status"), max_length=24, choices=FamilyPoliticalStatus.choices, blank=True
    )

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "name",
        "relation",
        "work_unit",
        "political_status",
    )
    SENSITIVE_FIELDS: ClassVar[frozenset[str]] = frozenset({"name", "work_unit"})

    class Meta:
        verbose_name = _("family member")
        verbose_name_plural = _("family members")
        ordering = ["relation", "id"]

    def __str__(self) -> str:
        return f"{self.get_relation_display()} {self.name}"


class TrainingRecord(InfoEntry):
    """A training attended (培训), with its hours."""

    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    title = models.CharField(_("title"), max_length=200)
    hours = models.DecimalField(_("hours"), max_digits=6, decimal_places=1)
    organiser = models.CharField(_("organised by"), max_length=200)

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "start_date",
        "end_date",
        "title",
        "hours",
        "organiser",
    )

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return f"{self.start_date} {self.title}"
