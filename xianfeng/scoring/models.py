"""Evaluation schemes: one engine configured by data (ARCHITECTURE.md).

A `Scheme` belongs to an org (its owner: the committee that runs it) and applies to subjects in that
org's subtree. It has `Dimension`s (bonus, deduction, veto or scored), each with an `Item` catalogue,
and a `Period` per month, quarter or year. `Entry` rows are points for one subject in one period and
dimension: automatic (derived from records, with the records as evidence), manual (maker-checker),
or an evaluator's grid score. Closing a period writes one `Result` per subject.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from xianfeng.core.models import AuditedModel, TimeStampedModel
from xianfeng.core.roles import Role
from xianfeng.core.scoping import ScopedQuerySet
from xianfeng.scoring.choices import (
    PERSON_SUBJECTS,
    Aggregation,
    DimensionKind,
    EntrySource,
    EntryStatus,
    PeriodKind,
    PeriodState,
    SchemeStatus,
    SubjectType,
    Visibility,
)


class SchemeQuerySet(ScopedQuerySet["Scheme"]):
    org_path_field = "org__path"


class Scheme(TimeStampedModel, AuditedModel):
    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="schemes", verbose_name=_("organization")
    )
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=100)
    template = models.CharField(_("template"), max_length=40, blank=True)
    year = models.PositiveIntegerField(_("year"))
    subject_type = models.CharField(_("subject type"), max_length=16, choices=SubjectType.choices)
    period_kind = models.CharField(_("period"), max_length=16, choices=PeriodKind.choices)
    aggregation = models.CharField(
        _("aggregation"), max_length=16, choices=Aggregation.choices, default=Aggregation.SUM_CAPPED
    )
    base_points = models.DecimalField(_("base points"), default=Decimal(0), max_digits=8, decimal_places=2)
    carry_over = models.BooleanField(_("carry the previous year's total over"), default=False)
    visibility = models.CharField(
        _("ranking visibility"), max_length=8, choices=Visibility.choices, default=Visibility.OWN
    )
    grade_bands = models.JSONField(_("grade bands"), default=list, blank=True)
    veto_grade = models.CharField(_("grade on veto"), max_length=20, default="不合格")
    outcome_rules = models.JSONField(_("outcome rules"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=SchemeStatus.choices, default="draft")

    objects = SchemeQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "org",
        "name",
        "year",
        "subject_type",
        "period_kind",
        "aggregation",
        "base_points",
        "carry_over",
        "visibility",
        "grade_bands",
        "veto_grade",
        "outcome_rules",
        "status",
    )

    class Meta:
        verbose_name = _("evaluation scheme")
        verbose_name_plural = _("evaluation schemes")
        ordering = ["-year", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"

    @property
    def is_person_scheme(self) -> bool:
        return self.subject_type in PERSON_SUBJECTS


class Dimension(models.Model):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="dimensions")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=16, choices=DimensionKind.choices)
    maximum = models.DecimalField(_("maximum"), default=Decimal(0), max_digits=8, decimal_places=2)
    weight = models.DecimalField(_("weight"), max_digits=5, decimal_places=4, null=True, blank=True)
    evaluator_role = models.CharField(_("evaluator role"), max_length=32, choices=Role.choices, blank=True)
    evaluator_department = models.CharField(_("evaluator department"), max_length=100, blank=True)
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="scoring_dimensions", verbose_name=_("evaluators")
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["scheme", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["scheme", "code"], name="scoring_one_dimension_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def has_evaluator(self) -> bool:
        return bool(self.evaluator_role or self.evaluator_department)

    def as_snapshot(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "kind": self.kind,
            "maximum": str(self.maximum),
            "weight": str(self.weight) if self.weight is not None else None,
        }


class Item(models.Model):
    """A catalogue line: what earns or loses points, fixed (min = max) or ranged, with a cap per period
    and an award-once flag; `source` says which records produce it automatically (manual if none)."""

    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(pgettext_lazy("thing", "name"), max_length=100)
    points_min = models.DecimalField(_("points from"), max_digits=8, decimal_places=2)
    points_max = models.DecimalField(_("points to"), max_digits=8, decimal_places=2)
    cap = models.DecimalField(_("cap per period"), null=True, blank=True, max_digits=8, decimal_places=2)
    award_once = models.BooleanField(_("awarded once per period"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=EntrySource.choices, default="manual")

    class Meta:
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["dimension", "pk"]
        constraints = [models.UniqueConstraint(fields=["dimension", "code"], name="scoring_one_item_code")]

    def __str__(self) -> str:
        return self.name

    @property
    def fixed(self) -> bool:
        return self.points_min == self.points_max


class PeriodQuerySet(ScopedQuerySet["Period"]):
    org_path_field = "scheme__org__path"


class Period(TimeStampedModel, AuditedModel):
    scheme = models.ForeignKey(Scheme, on_delete=models.CASCADE, related_name="periods")
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    label = models.CharField(_("period"), max_length=40)
    state = models.CharField(_("state"), max_length=16, choices=PeriodState.choices, default="open")
    computed_at = models.DateTimeField(_("computed at"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)

    objects = PeriodQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "state",
        "computed_at",
        "locked_at",
        "published_at",
        "reopen_reason",
    )

    class Meta:
        verbose_name = _("evaluation period")
        verbose_name_plural = _("evaluation periods")
        ordering = ["scheme", "start"]
        constraints = [models.UniqueConstraint(fields=["scheme", "start"], name="scoring_one_period_start")]

    def __str__(self) -> str:
        return f"{self.scheme.name} {self.label}"

    @property
    def is_closed(self) -> bool:
        return self.state in (PeriodState.LOCKED, PeriodState.PUBLISHED)


class EntryQuerySet(ScopedQuerySet["Entry"]):
    org_path_field = "org__path"
    self_field = "membership__person__user"

    def counted(self) -> EntryQuerySet:
        return self.filter(status=EntryStatus.APPROVED)


class Entry(TimeStampedModel, AuditedModel):
    """Points for one subject (`subject_org` or `membership`) in one period and dimension. `org` is the
    subject's org (the membership's org for people) so one path field scopes every row."""

    # Indexes are few on purpose: a year-long period of 100,000 members writes 150,000 rows at once
    # (bench/run_scoring.py). `period` and `membership` lead the composite indexes below; the others
    # are looked up rarely (deleting a catalogue item or a dimension).
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="entries", db_index=False)
    dimension = models.ForeignKey(Dimension, on_delete=models.CASCADE, related_name="entries", db_index=False)
    item = models.ForeignKey(
        Item, on_delete=models.PROTECT, null=True, blank=True, related_name="entries", db_index=False
    )
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    subject_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="scoring_entries"
    )
    membership = models.ForeignKey(
        "people.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scoring_entries",
        db_index=False,
    )
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2)
    count = models.PositiveIntegerField(_("records"), default=1)
    source = models.CharField(_("source"), max_length=16, choices=EntrySource.choices)
    status = models.CharField(_("status"), max_length=16, choices=EntryStatus.choices)
    note = models.TextField(_("note"), blank=True)
    # [{"type": "activity"|"payment"|"finding"|"work_order", "id": …, "date": "YYYY-MM-DD", "label": …}]
    evidence = models.JSONField(_("evidence"), default=list, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    objects = EntryQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "period",
        "dimension",
        "item",
        "subject_org",
        "membership",
        "points",
        "source",
        "status",
        "note",
        "version",
    )

    class Meta:
        verbose_name = _("evaluation entry")
        verbose_name_plural = _("evaluation entries")
        ordering = ["period", "dimension", "pk"]
        indexes = [
            models.Index(fields=["period", "source"]),
            models.Index(fields=["membership", "period"]),
        ]
        constraints = [
            # One grid cell per (period, dimension, subject): the unit of optimistic versioning.
            models.UniqueConstraint(
                fields=["period", "dimension", "subject_org"],
                condition=Q(source=EntrySource.GRID),
                name="scoring_one_grid_cell_org",
            ),
            models.UniqueConstraint(
                fields=["period", "dimension", "membership"],
                condition=Q(source=EntrySource.GRID),
                name="scoring_one_grid_cell_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.dimension} {self.points}"

    @property
    def subject_id(self) -> int:
        return int(self.membership_id or self.subject_org_id or 0)


class ResultQuerySet(ScopedQuerySet["Result"]):
    org_path_field = "org__path"
    self_field = "membership__person__user"


class Result(models.Model):
    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="results", db_index=False)
    org = models.ForeignKey("orgs.Org", on_delete=models.PROTECT, related_name="+")
    subject_org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    membership = models.ForeignKey(
        "people.Membership",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scoring_results",
        db_index=False,
    )
    subject_name = models.CharField(_("subject"), max_length=100)
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)
    carried_in = models.DecimalField(_("carried over"), default=Decimal(0), max_digits=8, decimal_places=2)
    dimensions = models.JSONField(_("dimension totals"), default=dict)
    vetoed = models.BooleanField(_("vetoed"), default=False)
    rank = models.PositiveIntegerField(_("rank"))
    grade = models.CharField(_("grade"), max_length=20, blank=True)
    excellent_blocked = models.BooleanField(_("excellent grade blocked"), default=False)
    outcomes = models.JSONField(_("outcomes"), default=list, blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation result")
        verbose_name_plural = _("evaluation results")
        ordering = ["period", "rank", "subject_name"]
        indexes = [models.Index(fields=["period", "rank"]), models.Index(fields=["membership", "period"])]

    def __str__(self) -> str:
        return f"{self.subject_name} {self.total} #{self.rank}"

    @property
    def subject_id(self) -> int:
        return int(self.membership_id or self.subject_org_id or 0)
