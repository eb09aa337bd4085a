"""Private helpers shared by the activity services: errors, locking, the scope and state checks."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xianfeng.activities import selectors
from xianfeng.activities.choices import ActivityStatus
from xianfeng.activities.models import Activity
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ensure_in_scope


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update(of=("self",)).select_related("kind", "org").get(pk=activity.pk)


def _check_scope(actor: Any, activity: Activity) -> None:
    ensure_in_scope(actor, Action.CHANGE, Activity.objects.all(), [activity.pk])


def refresh_quorum(activity: Activity) -> None:
    """Store the quorum verdict of a held meeting (MISC-08) after its attendance changed."""
    if activity.status != ActivityStatus.HELD:
        return
    verdict = selectors.quorum_verdict(activity)
    met = verdict.met if verdict is not None else None
    if activity.quorum_met != met:
        activity.quorum_met = met
        activity.save(update_fields=["quorum_met", "updated"])


def _not_cancelled(activity: Activity) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"status": _("This activity was cancelled; it can no longer be changed.")})
