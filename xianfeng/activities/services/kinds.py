"""The enterprise's own activity kinds, next to the built-in national catalogue (activities/data/kinds.json).

Only those who manage the org tree (MANAGE_ORGS: committee and system admins) add or change kinds.
Built-in kinds follow the national catalogue: only whether they are offered (`active`) and their place in
lists (`order`) can change. No kind is ever deleted: activities keep referring to it, so a kind that is
no longer wanted is deactivated and is then not offered when planning (rules.kind_errors).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.activities.choices import Audience, KindCategory, Metric, Quorum
from xianfeng.activities.models import ActivityKind
from xianfeng.activities.services._common import _raise
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.orgs.choices import OrgType

# What kind_update accepts; `builtin` is set by the catalogue migration only.
KIND_FIELDS = (
    "code",
    "name",
    "category",
    "audience",
    "org_types",
    "quorum",
    "has_attendance",
    "has_agenda",
    "has_hours",
    "has_lecturer",
    "is_talk",
    "metrics",
    "order",
    "active",
)
BUILTIN_EDITABLE_FIELDS = ("active", "order")
FLAG_FIELDS = ("has_attendance", "has_agenda", "has_hours", "has_lecturer", "is_talk", "active")
MAX_ORDER = 32767


def _one_of(value: Any, choices: Any) -> bool:
    return isinstance(value, str) and value in choices.values


def _list_errors(values: Any, choices: Any, what: str) -> str | None:
    if not isinstance(values, list | tuple) or not all(isinstance(v, str) for v in values):
        return _("Give a list of %(what)s.") % {"what": what}
    unknown = [v for v in values if v not in choices.values]
    if unknown:
        return _("Unknown %(what)s: %(values)s. Choose from: %(choices)s.") % {
            "what": what,
            "values": ", ".join(unknown),
            "choices": ", ".join(choices.values),
        }
    return None


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(values))


def kind_errors(kind: ActivityKind) -> dict[str, str]:
    """Every rule a kind must follow, each error under the field it is about."""
    errors: dict[str, str] = {}
    code = kind.code
    try:
        validate_slug(code)
    except ValidationError:
        errors["code"] = _("The code is a short name of letters, digits, hyphens and underscores.")
    else:
        other = ActivityKind.objects.filter(code=code).exclude(pk=kind.pk).first()
        if other is not None:
            errors["code"] = (
                _("The code “%(code)s” is already used by the built-in kind “%(name)s”.")
                if other.builtin
                else _("The code “%(code)s” is already used by the kind “%(name)s”.")
            ) % {"code": code, "name": other.name}
    if not isinstance(kind.name, str) or not kind.name.strip():
        errors["name"] = _("Give the kind a name.")
    if not _one_of(kind.category, KindCategory):
        errors["category"] = _("Choose a category from the list.")
    if not _one_of(kind.audience, Audience):
        errors["audience"] = _("Choose who is expected from the list.")
    if not _one_of(kind.quorum, Quorum):
        errors["quorum"] = _("Choose a quorum rule from the list.")
    problem = _list_errors(kind.org_types, OrgType, _("organization types"))
    if problem:
        errors["org_types"] = problem
    problem = _list_errors(kind.metrics, Metric, _("metrics"))
    if problem:
        errors["metrics"] = problem
    for name in FLAG_FIELDS:
        if not isinstance(getattr(kind, name), bool):
            errors[name] = _("Give true or false.")
    if isinstance(kind.order, bool) or not isinstance(kind.order, int) or not 0 <= kind.order <= MAX_ORDER:
        errors["order"] = _("The order is a whole number from 0 to %(max)s.") % {"max": MAX_ORDER}
    if kind.is_talk is True:
        if kind.has_attendance is not True:
            errors["has_attendance"] = _("A talk records who took part: it must record attendance.")
        if kind.audience != Audience.NAMED and "audience" not in errors:
            errors["audience"] = _(
                "A talk is between named people: its expected attendees are “%(named)s”."
            ) % {"named": Audience.NAMED.label}
    return errors


def _check(kind: ActivityKind) -> None:
    _raise(kind_errors(kind))
    if isinstance(kind.org_types, list):
        kind.org_types = _unique(kind.org_types)
    if isinstance(kind.metrics, list):
        kind.metrics = _unique(kind.metrics)
    kind.name = kind.name.strip()
    kind.full_clean()


@transaction.atomic
def kind_create(
    *,
    actor: Any,
    code: str,
    name: str,
    category: str,
    audience: str,
    org_types: list[str],
    quorum: str = Quorum.NONE,
    has_attendance: bool = True,
    has_agenda: bool = False,
    has_hours: bool = False,
    has_lecturer: bool = False,
    is_talk: bool = False,
    metrics: list[str] | None = None,
    order: int = 100,
) -> ActivityKind:
    """Add an enterprise kind (empty org_types: any organization may hold it)."""
    require(actor, Action.MANAGE_ORGS, None)
    kind = ActivityKind(
        code=code,
        name=name,
        category=category,
        audience=audience,
        org_types=list(org_types) if isinstance(org_types, list | tuple) else org_types,
        quorum=quorum,
        has_attendance=has_attendance,
        has_agenda=has_agenda,
        has_hours=has_hours,
        has_lecturer=has_lecturer,
        is_talk=is_talk,
        metrics=list(metrics or []) if isinstance(metrics, list | tuple | None) else metrics,
        order=order,
        active=True,
    )
    _check(kind)
    kind.save()
    audit.record(actor=actor, action="kind.create", target=kind, after=audit.snapshot(kind))
    return kind


LOCKED_ONCE_USED = ("code", "audience", "has_attendance", "is_talk", "quorum")


@transaction.atomic
def kind_update(*, actor: Any, kind: ActivityKind, data: dict[str, Any]) -> ActivityKind:
    """Change a kind. A built-in kind only changes `active` and `order`; any kind is deactivated
    (active=False), never deleted."""
    require(actor, Action.MANAGE_ORGS, None)
    kind = ActivityKind.objects.select_for_update().get(pk=kind.pk)
    data = {name: list(value) if isinstance(value, tuple) else value for name, value in data.items()}
    errors: dict[str, str] = {}
    for name in data:
        if name not in KIND_FIELDS:
            errors[name] = _("This field cannot be changed.")
    if kind.builtin:
        for name in KIND_FIELDS:
            if name in data and name not in BUILTIN_EDITABLE_FIELDS and data[name] != getattr(kind, name):
                errors[name] = _(
                    "Built-in kinds follow the national catalogue: “%(field)s” cannot be changed; only "
                    "whether the kind is active and its order can."
                ) % {"field": getattr(ActivityKind._meta.get_field(name), "verbose_name", name)}
    elif kind.activities.exists():  # type: ignore[attr-defined]
        # Recorded activities were planned and counted under these; changing them would rewrite history.
        for name in LOCKED_ONCE_USED:
            if name in data and data[name] != getattr(kind, name):
                errors[name] = _("Activities of this kind are recorded, so this can no longer change.")
    _raise(errors)
    before = audit.snapshot(kind)
    for name in KIND_FIELDS:
        if name in data:
            setattr(kind, name, data[name])
    _check(kind)
    kind.save()
    after = audit.snapshot(kind)
    if after != before:
        audit.record(actor=actor, action="kind.update", target=kind, before=before, after=after)
    return kind
