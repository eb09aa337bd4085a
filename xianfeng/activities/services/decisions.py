"""Decisions (决议) with who carries them out and by when."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.activities import rules
from xianfeng.activities.models import Activity, Decision
from xianfeng.activities.services._common import _check_scope, _locked, _not_cancelled, _raise
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.people.models import Person


@transaction.atomic
def decision_add(
    *, actor: Any, activity: Activity, text: str, owner: Person | None = None, deadline: dt.date | None = None
) -> Decision:
    """A decision with who carries it out and by when (决议 with 责任人 and 时限, DOCUMENTS.md §2.4)."""
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("The decision's text is required.")
    if deadline is not None and deadline < rules.activity_day(activity):
        errors["deadline"] = _("The deadline cannot be before the meeting.")
    _raise(errors)
    decision = Decision(activity=activity, text=text.strip(), owner=owner, deadline=deadline)
    decision.full_clean()
    decision.save()
    audit.record(
        actor=actor,
        action="decision.add",
        target=activity,
        org=activity.org,
        after=audit.Snapshot(
            text=decision.text,
            owner=owner.pk if owner else None,
            deadline=str(deadline) if deadline else None,
        ),
        target_repr=f"{activity} · {decision.text}"[:200],
    )
    _check_scope(actor, activity)
    return decision


@transaction.atomic
def decision_remove(*, actor: Any, decision: Decision) -> None:
    activity = _locked(decision.activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    text = decision.text
    Decision.objects.filter(pk=decision.pk).delete()
    audit.record(
        actor=actor,
        action="decision.remove",
        target=activity,
        org=activity.org,
        before=audit.Snapshot(text=text),
        target_repr=f"{activity} · {text}"[:200],
    )
    _check_scope(actor, activity)
