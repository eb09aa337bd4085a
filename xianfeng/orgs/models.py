from __future__ import annotations

import datetime as dt
from typing import ClassVar

from dateutil.relativedelta import relativedelta
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from xianfeng.core.models import AuditedModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet
from xianfeng.orgs.choices import OrgStatus, OrgType


class OrgQuerySet(MP_NodeQuerySet, ScopedQuerySet["Org"]):
    org_path_field = "path"

    def active(self) -> OrgQuerySet:
        return self.filter(status=OrgStatus.ACTIVE)


class OrgManager(MP_NodeManager):
    def get_queryset(self) -> OrgQuerySet:
        return self._queryset_class(self.model, using=self._db).order_by("path")  # type: ignore[attr-defined,no-any-return]


class Org(MP_Node, TimeStampedModel, AuditedModel):
    """A party organization: a node of the tree (committee, general branch, branch, group…).

    The tree is a treebeard materialized path: a subtree is `path__startswith`, from any model
    (`org__path__startswith`). Only orgs.services creates, moves or dissolves orgs.
    """

    steplen = 4

    name = models.CharField(_("full name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    code = models.CharField(_("organization code"), max_length=32, unique=True)
    org_type = models.CharField(_("type"), max_length=24, choices=OrgType.choices)
    business_unit = models.CharField(_("business unit"), max_length=100, blank=True)
    founded_date = models.DateField(_("founding date"), null=True, blank=True)
    term_start = models.DateField(_("term start"), null=True, blank=True)
    term_years = models.PositiveSmallIntegerField(_("term length (years)"), null=True, blank=True)
    term_end = models.DateField(_("term end"), null=True, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=OrgStatus.choices, default=OrgStatus.ACTIVE)
    dissolved_date = models.DateField(_("dissolution date"), null=True, blank=True)
    dissolved_reason = models.TextField(_("dissolution reason"), blank=True)

    objects = OrgManager.from_queryset(OrgQuerySet)()  # type: ignore[misc,django-manager-missing]

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "name",
        "short_name",
        "code",
        "org_type",
        "business_unit",
        "founded_date",
        "term_start",
        "term_years",
        "term_end",
        "status",
        "dissolved_date",
        "dissolved_reason",
        "path",
    )

    class Meta:
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        indexes = [models.Index(fields=["org_type", "status"])]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        return self.short_name or self.name

    @property
    def is_active(self) -> bool:
        return self.status == OrgStatus.ACTIVE

    def superior(self) -> Org:
        """The org that decides for this one (development quotas, dues remittance ratios): its parent,
        or the org itself at the root of the tree."""
        parent: Org | None = self.get_parent()
        return parent if parent is not None else self

    def compute_term_end(self) -> dt.date | None:
        """The day the term ends: the same calendar day `term_years` later (29 Feb → 28 Feb)."""
        if self.term_start is None or not self.term_years:
            return None
        return self.term_start + relativedelta(years=self.term_years)

    def term_days_left(self, today: dt.date) -> int | None:
        if self.term_end is None:
            return None
        return (self.term_end - today).days
