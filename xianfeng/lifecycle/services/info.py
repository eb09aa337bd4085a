"""The info sets of a member's record (rewards and punishments, trips abroad, hardship, family
members, training): add, correct, remove; each write audited (family names and work units censored)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ensure_in_scope, require
from xianfeng.lifecycle.info import InfoKind, kind_of, kind_of_entry
from xianfeng.lifecycle.models import InfoEntry
from xianfeng.lifecycle.services._common import (
    clean_text,
    locked_membership,
    member_errors,
    raise_errors,
    today,
)
from xianfeng.people.models import Membership


def _kind(key: str) -> InfoKind:
    kind = kind_of(key)
    if kind is None:
        raise ValidationError({"kind": _("Unknown kind of record.")})
    return kind


def _apply(kind: InfoKind, entry: InfoEntry, data: dict[str, Any]) -> None:
    unknown = set(data) - set(kind.fields)
    raise_errors({name: _("This field cannot be changed here.") for name in sorted(unknown)})
    for name, value in data.items():
        setattr(entry, name, "" if value is None and _is_text(entry, name) else clean_text(value))
    errors = kind.rules(entry, today())
    try:
        entry.full_clean(exclude=["membership"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, " ".join(messages))
    raise_errors(errors)


def _is_text(entry: InfoEntry, name: str) -> bool:
    return entry._meta.get_field(name).get_internal_type() in ("CharField", "TextField")


def _audit(
    actor: Any, kind: InfoKind, entry: InfoEntry, membership: Membership, *, action: str, **snaps: Any
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=entry,
        org=membership.org,
        message=kind.label(),
        target_repr=f"{membership.person} · {kind.model._meta.verbose_name}",
        **snaps,
    )


@transaction.atomic
def info_add(*, actor: Any, membership: Membership, kind: str, data: dict[str, Any]) -> InfoEntry:
    membership = locked_membership(membership)
    require(actor, Action.CHANGE, membership.org)
    info_kind = _kind(kind)
    raise_errors(member_errors(membership, party_member=False))
    entry = info_kind.model(membership=membership)
    _apply(info_kind, entry, data)
    entry.save()
    _audit(actor, info_kind, entry, membership, action="member_info.add", after=audit.snapshot(entry))
    ensure_in_scope(actor, Action.CHANGE, info_kind.model.objects.all(), [entry.pk])
    return entry


def _locked_entry(entry: InfoEntry) -> InfoEntry:
    model = type(entry)
    locked: InfoEntry = (
        model.objects.select_for_update(of=("self",))
        .select_related("membership__org", "membership__person")
        .get(pk=entry.pk)
    )
    return locked


@transaction.atomic
def info_update(*, actor: Any, entry: InfoEntry, data: dict[str, Any]) -> InfoEntry:
    entry = _locked_entry(entry)
    membership = entry.membership
    require(actor, Action.CHANGE, membership.org)
    info_kind = kind_of_entry(entry)
    raise_errors(member_errors(membership, party_member=False))
    before = audit.snapshot(entry)
    _apply(info_kind, entry, data)
    entry.save()
    after = audit.snapshot(entry)
    if after != before:
        _audit(actor, info_kind, entry, membership, action="member_info.update", before=before, after=after)
    return entry


@transaction.atomic
def info_remove(*, actor: Any, entry: InfoEntry) -> None:
    """Remove a wrong entry; the audit row keeps what it said (sensitive fields censored)."""
    entry = _locked_entry(entry)
    membership = entry.membership
    require(actor, Action.CHANGE, membership.org)
    info_kind = kind_of_entry(entry)
    raise_errors(member_errors(membership, party_member=False))
    _audit(actor, info_kind, entry, membership, action="member_info.remove", before=audit.snapshot(entry))
    entry.delete()
