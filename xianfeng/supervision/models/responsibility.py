from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet
from xianfeng.people.choices import Post


class ResponsibilityKind(models.TextChoices):
    PRINCIPAL = "principal", _("Principal responsibility (主体责任)")
    SUPERVISORY = "supervisory", _("Supervisory responsibility (监督责任)")


class ResponsibilityListQuerySet(ScopedQuerySet["ResponsibilityList"]):
    org_path_field = "org__path"
    self_field = "person__user"


class ResponsibilityList(PublicIdModel, TimeStampedModel, AuditedModel):
    """A year's responsibility list (责任清单) of an org, for a post or a named person."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    kind = models.CharField(_("kind"), max_length=16, choices=ResponsibilityKind.choices)
    post = models.CharField(_("post"), max_length=32, choices=Post.choices, blank=True)
    person = models.ForeignKey(
        "people.Person",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("person"),
    )
    content = models.TextField(_("responsibilities (one a line)"))

    objects = ResponsibilityListQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = ("org", "year", "kind", "post", "person", "content")

    class Meta:
        verbose_name = _("responsibility list")
        verbose_name_plural = _("responsibility lists")
        ordering = ["-year", "org", "kind", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(post="") | Q(person__isnull=False), name="supervision_list_post_or_person"
            )
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.get_kind_display()}"

    def lines(self) -> list[str]:
        return [line.strip() for line in self.content.splitlines() if line.strip()]


class PledgeQuerySet(ScopedQuerySet["Pledge"]):
    org_path_field = "org__path"
    self_field = "signer__user"


class Pledge(PublicIdModel, TimeStampedModel, AuditedModel):
    """A signed pledge (责任书) between an org's leader and a signer, acknowledged by the signer."""

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    title = models.CharField(_("title"), max_length=200)
    content = models.TextField(_("content"))
    signer = models.ForeignKey(
        "people.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("signer")
    )
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)

    objects = PledgeQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "org",
        "year",
        "title",
        "content",
        "signer",
        "issued_on",
        "acknowledged_at",
    )

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-year", "org", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "year", "title", "signer"], name="supervision_pledge_unique"
            )
        ]

    def __str__(self) -> str:
        return self.title
