"""Explicit audit records written by services in the same transaction as the change.

Snapshots keep sensitive values in memory only; what is stored is a censor token, or a "changed"
token when the value differs between before and after (NetBox's DataSource.to_objectchange).
"""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from xianfeng.core.context import current_context
from xianfeng.core.models import AuditedModel, AuditEvent, PublicIdModel

CENSOR_TOKEN = "********"
CENSOR_TOKEN_CHANGED = "********（已修改）"


class Snapshot(dict[str, Any]):
    """Field values of a model instance at one moment, with the names of the sensitive ones."""

    sensitive: frozenset[str] = frozenset()


def _json_value(value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, dt.datetime | dt.date | uuid.UUID | decimal.Decimal):
        return str(value)
    return value


def snapshot(instance: AuditedModel) -> Snapshot:
    snap = Snapshot()
    for name in instance.AUDIT_FIELDS:
        field = instance._meta.get_field(name)
        raw = getattr(instance, getattr(field, "attname", name))
        snap[name] = _json_value(raw)
    snap.sensitive = instance.SENSITIVE_FIELDS
    return snap


def _censor(
    before: Snapshot | None, after: Snapshot | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    sensitive = (before.sensitive if before is not None else frozenset()) | (
        after.sensitive if after is not None else frozenset()
    )
    out_before = dict(before) if before is not None else None
    out_after = dict(after) if after is not None else None
    for name in sensitive:
        old = before.get(name) if before is not None else None
        new = after.get(name) if after is not None else None
        if out_before is not None and name in out_before:
            out_before[name] = CENSOR_TOKEN if old else ""
        if out_after is not None and name in out_after:
            changed = before is not None and old != new
            out_after[name] = (CENSOR_TOKEN_CHANGED if changed else CENSOR_TOKEN) if new else ""
    return out_before, out_after


def _target_id(target: models.Model | None) -> str:
    """Personal records are named by their public UUID, everything else by primary key."""
    if target is None:
        return ""
    if isinstance(target, PublicIdModel):
        return str(target.code)
    return str(target.pk)


def build(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    org: Any = None,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    message: str = "",
    target_repr: str | None = None,
) -> AuditEvent:
    """An unsaved audit row: censored, reduced to what changed, stamped with the request context."""
    ctx = current_context()
    stored_before, stored_after = _censor(before, after)
    if stored_before is not None and stored_after is not None:
        # Keep only what changed, so the viewer shows a diff rather than two full records.
        changed = {k for k in stored_after if stored_before.get(k) != stored_after.get(k)}
        stored_before = {k: v for k, v in stored_before.items() if k in changed}
        stored_after = {k: v for k, v in stored_after.items() if k in changed}
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    if target_repr is None:
        target_repr = str(target) if target is not None else ""
    return AuditEvent(
        actor=user,
        actor_name=(user.get_username() if user is not None else "system")[:150],
        request_id=ctx.request_id,
        source=ctx.source,
        ip=ctx.ip,
        org=org,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=_target_id(target),
        target_repr=target_repr[:200],
        message=message,
        before=stored_before,
        after=stored_after,
    )


def record(
    *,
    actor: Any,
    action: str,
    target: models.Model | None = None,
    org: Any = None,
    before: Snapshot | None = None,
    after: Snapshot | None = None,
    message: str = "",
    target_repr: str | None = None,
) -> AuditEvent:
    """Write one audit row. Call it from inside the service's transaction."""
    event = build(
        actor=actor,
        action=action,
        target=target,
        org=org,
        before=before,
        after=after,
        message=message,
        target_repr=target_repr,
    )
    event.save()
    return event


def record_many(events: list[AuditEvent]) -> None:
    """Write rows made with `build` in one statement, for services that change many records at once."""
    AuditEvent.objects.bulk_create(events)
