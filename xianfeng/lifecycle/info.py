"""The registry of a member record's info sets: each kind's table, names, fields and rules.

Services, views, forms and the record's sections iterate over KINDS, so adding a kind is one entry
here (plus its model and form)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xianfeng.lifecycle.models import (
    FamilyMember,
    HardshipRecord,
    InfoEntry,
    RewardPunishment,
    TrainingRecord,
    TripAbroad,
)

Errors = dict[str, str]
MAX_HOURS_PER_DAY = 24


def _not_future(entry: Any, field: str, today: dt.date) -> Errors:
    value = getattr(entry, field)
    return {field: _("This date cannot be in the future.")} if value and value > today else {}


def _reward_errors(entry: RewardPunishment, today: dt.date) -> Errors:
    return _not_future(entry, "date", today)


def _trip_errors(entry: TripAbroad, today: dt.date) -> Errors:
    errors = _not_future(entry, "approval_date", today)
    if entry.end_date and entry.start_date and entry.end_date < entry.start_date:
        errors["end_date"] = _("The return cannot be before the departure.")
    if entry.end_date and entry.end_date > today:
        errors["end_date"] = _("Record the return once the member is back.")
    if entry.approval_date and entry.start_date and entry.approval_date > entry.start_date:
        errors["approval_date"] = _("A trip abroad is approved before departure.")
    return errors


def _hardship_errors(entry: HardshipRecord, today: dt.date) -> Errors:
    errors = _not_future(entry, "recorded_date", today) | _not_future(entry, "resolved_date", today)
    if entry.resolved_date and entry.recorded_date and entry.resolved_date < entry.recorded_date:
        errors["resolved_date"] = _("The hardship cannot be resolved before it was recorded.")
    return errors


def _family_errors(entry: FamilyMember, today: dt.date) -> Errors:
    return {}


def _training_errors(entry: TrainingRecord, today: dt.date) -> Errors:
    errors = _not_future(entry, "end_date", today)
    if entry.start_date and entry.end_date:
        if entry.end_date < entry.start_date:
            errors["end_date"] = _("The training cannot end before it starts.")
        elif entry.hours is not None:
            days = (entry.end_date - entry.start_date).days + 1
            if entry.hours > Decimal(days * MAX_HOURS_PER_DAY):
                errors["hours"] = _("At most %(n)d hours for %(d)d days.") % {
                    "n": days * MAX_HOURS_PER_DAY,
                    "d": days,
                }
    if entry.hours is not None and entry.hours <= 0:
        errors["hours"] = _("The hours must be more than 0.")
    return errors


@dataclass(frozen=True)
class InfoKind:
    key: str
    model: type[InfoEntry]
    title: str | Promise
    fields: tuple[str, ...]
    rules: Callable[[Any, dt.date], Errors]
    personal: bool = False  # shown only to users who may change the record

    def label(self) -> str:
        return str(self.title)


KINDS: dict[str, InfoKind] = {
    kind.key: kind
    for kind in (
        InfoKind(
            "rewards",
            RewardPunishment,
            gettext_lazy("Rewards and punishments"),
            ("category", "date", "title", "granted_by", "document_no", "note"),
            _reward_errors,
        ),
        InfoKind(
            "trips",
            TripAbroad,
            gettext_lazy("Trips abroad"),
            ("start_date", "end_date", "destination", "purpose", "approved_by", "approval_date", "note"),
            _trip_errors,
        ),
        InfoKind(
            "hardship",
            HardshipRecord,
            gettext_lazy("Hardship"),
            ("recorded_date", "category", "description", "assistance", "resolved_date"),
            _hardship_errors,
        ),
        InfoKind(
            "family",
            FamilyMember,
            gettext_lazy("Family members"),
            ("name", "relation", "work_unit", "political_status"),
            _family_errors,
            personal=True,
        ),
        InfoKind(
            "training",
            TrainingRecord,
            gettext_lazy("Training"),
            ("start_date", "end_date", "title", "hours", "organiser"),
            _training_errors,
        ),
    )
}


def kind_of(key: str) -> InfoKind | None:
    return KINDS.get(key)


def kind_of_entry(entry: InfoEntry) -> InfoKind:
    return next(kind for kind in KINDS.values() if isinstance(entry, kind.model))
