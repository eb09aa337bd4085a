from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditedModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet


class ThemeQuerySet(ScopedQuerySet["MonthlyTheme"]):
    org_path_field = "org__path"


class MonthlyTheme(TimeStampedModel, AuditedModel):
    """A committee's theme of the month (党支部标准化建设月…) with its quantified measures."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("committee")
    )
    month = models.DateField(_("month"))  # the first day
    theme = models.CharField(_("theme"), max_length=200)
    measures = models.TextField(_("measures"), blank=True)

    objects = ThemeQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "month", "theme", "measures")

    class Meta:
        verbose_name = _("monthly theme")
        verbose_name_plural = _("monthly themes")
        ordering = ["-month", "org"]
        constraints = [
            models.UniqueConstraint(fields=["org", "month"], name="supervision_one_theme_per_month")
        ]

    def __str__(self) -> str:
        return self.theme


class PlanKind(models.TextChoices):
    WEEKLY_SUMMARY = "weekly_summary", _("Weekly summary")
    MONTHLY_PLAN = "monthly_plan", _("Monthly plan")


class WorkPlanQuerySet(ScopedQuerySet["WorkPlan"]):
    """Visible up the tree: an org's plans are in the subtree of every org above it."""

    org_path_field = "org__path"


class WorkPlan(TimeStampedModel, AuditedModel):
    """A weekly summary (period = its Monday) or monthly plan (period = the first) of an org."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=PlanKind.choices)
    period = models.DateField(_("period"))
    content = models.TextField(_("content"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = WorkPlanQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "kind", "period", "content")

    class Meta:
        verbose_name = _("summary or plan")
        verbose_name_plural = _("summaries and plans")
        ordering = ["-period", "org", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["org", "kind", "period"], name="supervision_one_plan_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period}"
