from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.compliance.periods import PeriodKind
from xianfeng.core.models import AuditedModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet


class RuleLevel(models.TextChoices):
    NATIONAL = "national", _("National rule")  # RULES.md status C: built in, not editable downward
    LOCAL = "local", _("Local practice")  # status L: a default the enterprise may change
    ENTERPRISE = "enterprise", _("Enterprise rule")  # the enterprise's own documents (seed 004 §17…)


class SubjectKind(models.TextChoices):
    ORG = "org", _("Organizations of given types")
    POST_HOLDER = "post_holder", _("People holding given posts")
    CONTACT_POINT = "contact_point", _("Leaders with a contact point")


class Condition(models.TextChoices):
    """When an org-subject obligation applies beyond its org type."""

    ALWAYS = "always", _("Always")
    HAS_COMMITTEE = "has_committee", _("The branch has a committee (7 or more full members, BR-03)")


class ObligationProfile(TimeStampedModel, AuditedModel):
    """A set of obligations: the national rules (built in) or an enterprise's own profile, which
    applies to the subtrees it is assigned to."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    level = models.CharField(_("level"), max_length=16, choices=RuleLevel.choices)
    builtin = models.BooleanField(_("built in"), default=False, editable=False)
    applies_everywhere = models.BooleanField(_("applies to every organization"), default=False)

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("code", "name", "description", "level", "applies_everywhere")

    class Meta:
        verbose_name = _("obligation profile")
        verbose_name_plural = _("obligation profiles")
        ordering = ["-builtin", "code"]

    def __str__(self) -> str:
        return self.name


class ProfileAssignment(TimeStampedModel):
    """An enterprise profile applied to an org and its whole subtree."""

    profile = models.ForeignKey(ObligationProfile, on_delete=models.CASCADE, related_name="assignments")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="profile_assignments")

    class Meta:
        verbose_name = _("profile assignment")
        verbose_name_plural = _("profile assignments")
        constraints = [
            models.UniqueConstraint(fields=["profile", "org"], name="one_assignment_per_profile_org")
        ]

    def __str__(self) -> str:
        return f"{self.profile} @ {self.org_id}"


class Obligation(TimeStampedModel, AuditedModel):
    """ "Subject S must do activity kind K (optionally with topic T, at place P, given by S) at least
    N times per period", with its citation and the dates it is in force (ARCHITECTURE.md)."""

    profile = models.ForeignKey(ObligationProfile, on_delete=models.CASCADE, related_name="obligations")
    code = models.SlugField(_("code"), max_length=60)
    title = models.CharField(_("title"), max_length=200)
    subject = models.CharField(_("subject"), max_length=16, choices=SubjectKind.choices)
    org_types = models.JSONField(_("organization types"), default=list, blank=True)
    posts = models.JSONField(_("posts"), default=list, blank=True)
    condition = models.CharField(
        _("applies when"), max_length=24, choices=Condition.choices, default=Condition.ALWAYS
    )
    kinds = models.ManyToManyField(
        "activities.ActivityKind", related_name="obligations", verbose_name=_("counted kinds")
    )
    topic_tag = models.CharField(_("topic tag"), max_length=32, blank=True)
    given_by_subject = models.BooleanField(_("given by the subject (lecturer or host)"), default=False)
    at_contact_point = models.BooleanField(_("held at the subject's contact point"), default=False)
    min_count = models.PositiveSmallIntegerField(
        _("minimum count"), validators=[MinValueValidator(1), MaxValueValidator(366)]
    )
    period = models.CharField(_("period"), max_length=16, choices=PeriodKind.choices)
    deadline_month = models.PositiveSmallIntegerField(
        _("deadline month in the year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    deadline_day = models.PositiveSmallIntegerField(
        _("deadline day"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    due_soon_days = models.PositiveSmallIntegerField(_("warn this many days before the end"), default=7)
    citation = models.TextField(_("citation"))
    rule_ref = models.CharField(_("rule reference"), max_length=20, blank=True)  # RULES.md id, e.g. BR-10
    level = models.CharField(_("level"), max_length=16, choices=RuleLevel.choices)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "code",
        "title",
        "subject",
        "org_types",
        "posts",
        "condition",
        "topic_tag",
        "given_by_subject",
        "at_contact_point",
        "min_count",
        "period",
        "deadline_month",
        "deadline_day",
        "due_soon_days",
        "citation",
        "rule_ref",
        "level",
        "valid_from",
        "valid_to",
        "active",
    )

    class Meta:
        verbose_name = _("obligation")
        verbose_name_plural = _("obligations")
        ordering = ["profile", "rule_ref", "code"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "code"], name="one_obligation_code_per_profile")
        ]

    def __str__(self) -> str:
        return self.title


class ContactPointQuerySet(ScopedQuerySet["ContactPoint"]):
    org_path_field = "org__path"


class ContactPoint(TimeStampedModel, AuditedModel):
    """党建工作联系点: a leader linked to a branch, where their visits and lectures are counted."""

    person = models.ForeignKey("people.Person", on_delete=models.PROTECT, related_name="contact_points")
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="contact_points")
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    objects = ContactPointQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("person", "org", "start_date", "end_date")

    class Meta:
        verbose_name = _("contact point")
        verbose_name_plural = _("contact points")

    def __str__(self) -> str:
        return f"{self.person} → {self.org}"


class Notification(models.Model):
    """An in-app message to one user; e-mail and group-robot webhooks are sent from the same row.

    `key` makes reminders idempotent: the same finding never notifies the same user twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created"]
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="one_notification_per_key")]

    def __str__(self) -> str:
        return self.title
