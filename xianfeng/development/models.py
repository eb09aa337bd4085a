"""Development records: the steps each person has gone through, who took part, and the yearly plan."""

from __future__ import annotations

import secrets
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet
from xianfeng.development.steps import STEP_CHOICES, Decision, Role


class DevelopmentStepQuerySet(ScopedQuerySet["DevelopmentStep"]):
    org_path_field = "membership__org__path"
    self_field = "membership__person__user"

    def valid(self) -> DevelopmentStepQuerySet:
        return self.filter(voided=False)


class DevelopmentStep(PublicIdModel, TimeStampedModel, AuditedModel):
    """One step of one person's development (RULES.md §2), as recorded by the branch.

    Never edited in place: a wrong step is voided with a reason (kept, audited) and recorded again."""

    membership = models.ForeignKey(
        "people.Membership", on_delete=models.PROTECT, related_name="development_steps"
    )
    step = models.CharField(_("step"), max_length=32, choices=STEP_CHOICES)
    date = models.DateField(_("date"))
    decision = models.CharField(_("decision"), max_length=16, choices=Decision.choices, default=Decision.DONE)
    # Branch general meeting votes (DEV-13): voting members who should attend, voting members present,
    # written opinions of absent voting members, and the votes.
    should_attend = models.PositiveIntegerField(_("voting members who should attend"), null=True, blank=True)
    present = models.PositiveIntegerField(_("voting members present"), null=True, blank=True)
    written_opinions = models.PositiveIntegerField(
        _("written opinions of absent members"), null=True, blank=True
    )
    votes_for = models.PositiveIntegerField(_("votes for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("votes against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstentions"), null=True, blank=True)
    training_days = models.DecimalField(
        _("training days"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    training_hours = models.PositiveIntegerField(_("training class hours"), null=True, blank=True)
    leaving_within_3_months = models.BooleanField(
        _("expected to leave the unit within 3 months"), default=False
    )
    extension_months = models.PositiveSmallIntegerField(_("extension in months"), null=True, blank=True)
    approving_org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approving committee"),
    )
    delay_reason = models.TextField(_("reason for approval after 3 months"), blank=True)
    conclusion = models.TextField(_("conclusion"), blank=True)
    note = models.TextField(_("note"), blank=True)
    voided = models.BooleanField(_("voided"), default=False)
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    objects = DevelopmentStepQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "step",
        "date",
        "decision",
        "should_attend",
        "present",
        "written_opinions",
        "votes_for",
        "votes_against",
        "abstentions",
        "training_days",
        "training_hours",
        "leaving_within_3_months",
        "extension_months",
        "approving_org",
        "delay_reason",
        "conclusion",
        "note",
        "voided",
        "void_reason",
    )

    class Meta:
        verbose_name = _("development step")
        verbose_name_plural = _("development steps")
        ordering = ["membership", "date", "id"]
        indexes = [models.Index(fields=["membership", "step", "voided"])]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.step} {self.date}"


def step_document_path(instance: StepDocument, filename: str) -> str:
    return f"development/{instance.step.code}/{secrets.token_hex(8)}-{filename[-80:]}"


class StepDocument(models.Model):
    """A document kept with a step (application letter, talk record, review form, meeting minutes,
    approval): the materials of the person's file (DEV-20). Type and size are checked as for activity
    attachments."""

    step = models.ForeignKey(DevelopmentStep, on_delete=models.CASCADE, related_name="documents")
    file = models.FileField(_("file"), upload_to=step_document_path)
    name = models.CharField(pgettext_lazy("file", "name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("step document")
        verbose_name_plural = _("step documents")
        ordering = ["step", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class StepPerson(models.Model):
    """A person named on a step: talker, cultivation contact, sponsor."""

    step = models.ForeignKey(DevelopmentStep, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("person on a step")
        verbose_name_plural = _("people on steps")
        constraints = [
            models.UniqueConstraint(fields=["step", "person"], name="one_role_per_person_per_step")
        ]

    def __str__(self) -> str:
        return f"{self.step_id} {self.role} {self.person_id}"


class DevelopmentPlanQuerySet(ScopedQuerySet["DevelopmentPlan"]):
    org_path_field = "org__path"


class DevelopmentPlan(TimeStampedModel, AuditedModel):
    """The year's quota of new probationary members for an org (DEV-21), set from above."""

    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="development_plans")
    year = models.PositiveIntegerField(_("year"))
    quota = models.PositiveIntegerField(_("new probationary members planned"))
    note = models.TextField(_("note"), blank=True)

    objects = DevelopmentPlanQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "year", "quota", "note")

    class Meta:
        verbose_name = _("development plan")
        verbose_name_plural = _("development plans")
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="one_development_plan_per_year")]

    def __str__(self) -> str:
        return f"{self.org_id} {self.year}: {self.quota}"


class ThoughtReportQuerySet(ScopedQuerySet["ThoughtReport"]):
    org_path_field = "membership__org__path"
    self_field = "membership__person__user"

    def valid(self) -> ThoughtReportQuerySet:
        return self.filter(voided=False)


class ThoughtReport(PublicIdModel, TimeStampedModel, AuditedModel):
    """A written thought report (思想汇报) handed in by an activist, a candidate or a probationary
    member. How often one is expected is local practice (RULES.md MISC-05, L): a setting.

    Like steps, never edited in place: a wrong entry is voided with a reason and recorded again."""

    membership = models.ForeignKey(
        "people.Membership", on_delete=models.PROTECT, related_name="thought_reports"
    )
    received_on = models.DateField(_("received on"))
    status = models.CharField(_("status when handed in"), max_length=16)
    summary = models.TextField(_("summary"), blank=True)
    voided = models.BooleanField(_("voided"), default=False)
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    objects = ThoughtReportQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "membership",
        "received_on",
        "status",
        "summary",
        "voided",
        "void_reason",
    )

    class Meta:
        verbose_name = _("thought report")
        verbose_name_plural = _("thought reports")
        ordering = ["membership", "received_on", "id"]
        indexes = [models.Index(fields=["membership", "voided", "received_on"])]

    def __str__(self) -> str:
        return f"{self.membership_id} {self.received_on}"
