from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from xianfeng.core.models import AuditedModel, PublicIdModel, TimeStampedModel
from xianfeng.core.scoping import ScopedQuerySet
from xianfeng.lifecycle.choices import LetterDirection, LetterState, LetterStatus


class TransferLetterQuerySet(ScopedQuerySet["TransferLetter"]):
    """A letter stays with the org that issued or received it, wherever the member goes next."""

    org_path_field = "org__path"
    self_field = "membership__person__user"

    def open(self) -> TransferLetterQuerySet:
        return self.filter(direction=LetterDirection.OUT, status=LetterStatus.ISSUED)

    def overdue(self, today: dt.date) -> TransferLetterQuerySet:
        return self.open().filter(valid_until__lt=today)


class TransferLetter(PublicIdModel, TimeStampedModel, AuditedModel):
    """A letter of introduction (组织关系介绍信) moving a membership out of or into the system.

    Out: issued by `org` for its member; the sending org stays responsible until the letter is
    received (MEM-03), then the membership ends (or moves, when the destination is in the system).
    In: received by `org`, linked to the member record made for the person.
    `valid_until` = issue date + validity days: the last day on which the letter is valid.
    """

    org = models.ForeignKey(
        "orgs.Org", on_delete=models.PROTECT, related_name="+", verbose_name=_("organization")
    )
    membership = models.ForeignKey(
        "people.Membership",
        on_delete=models.PROTECT,
        related_name="transfer_letters",
        verbose_name=_("member"),
    )
    direction = models.CharField(_("direction"), max_length=8, choices=LetterDirection.choices)
    number = models.CharField(_("letter number"), max_length=64)
    counterpart_name = models.CharField(_("destination or origin"), max_length=200)
    counterpart_org = models.ForeignKey(
        "orgs.Org",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organization in the system"),
    )
    issue_date = models.DateField(_("issue date"))
    valid_days = models.PositiveSmallIntegerField(_("validity (days)"))
    valid_until = models.DateField(_("valid until"), editable=False)
    status = models.CharField(_("status"), max_length=16, choices=LetterStatus.choices)
    received_date = models.DateField(_("received on"), null=True, blank=True)
    returned_date = models.DateField(_("returned on"), null=True, blank=True)
    reason = models.TextField(_("reason for the transfer"), blank=True)
    note = models.TextField(_("note"), blank=True)

    objects = TransferLetterQuerySet.as_manager()

    AUDIT_FIELDS: ClassVar[tuple[str, ...]] = (
        "org",
        "membership",
        "direction",
        "number",
        "counterpart_name",
        "counterpart_org",
        "issue_date",
        "valid_days",
        "valid_until",
        "status",
        "received_date",
        "returned_date",
        "reason",
        "note",
    )

    class Meta:
        verbose_name = _("transfer letter")
        verbose_name_plural = _("transfer letters")
        ordering = ["-issue_date", "-id"]
        indexes = [models.Index(fields=["status", "valid_until"])]
        constraints = [
            models.UniqueConstraint(
                fields=["org", "direction", "number"], name="lifecycle_letter_number_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(direction="out", status="issued"),
                name="lifecycle_one_open_letter_out_per_member",
            ),
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(direction="in"),
                name="lifecycle_one_letter_in_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_direction_display()})"

    def state_on(self, today: dt.date) -> str:
        if self.status == LetterStatus.ISSUED and today > self.valid_until:
            return LetterState.OVERDUE
        return LetterState(self.status).value

    def days_overdue(self, today: dt.date) -> int:
        return max((today - self.valid_until).days, 0) if self.status == LetterStatus.ISSUED else 0
