"""Agenda items: topic tags and the 第一议题 / 三重一大 flags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from xianfeng.activities.choices import MajorMatter, TopicTag
from xianfeng.activities.models import Activity, AgendaItem
from xianfeng.activities.services._common import _check_scope, _locked, _not_cancelled, _raise
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require

# --- agenda, decisions, attachments --------------------------------------------------------------


def _agenda_errors(activity: Activity, item: AgendaItem) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not activity.kind.has_agenda:
        errors["topic"] = _("A %(kind)s has no agenda items.") % {"kind": activity.kind.name}
    if not item.topic.strip():
        errors["topic"] = _("The topic is required.")
    unknown = [tag for tag in item.tags if tag not in TopicTag.values]
    if unknown:
        errors["tags"] = _("Unknown topic tags: %(tags)s.") % {"tags": ", ".join(map(str, unknown))}
    if item.major_matter and item.major_matter not in MajorMatter.values:
        errors["major_matter"] = _("Unknown kind of major matter.")
    if item.prior_study and not item.major_matter:
        errors["prior_study"] = _("Prior study (前置研究) applies to a major matter (三重一大) only.")
    if item.first_item and activity.agenda.filter(first_item=True).exclude(pk=item.pk).exists():  # type: ignore[attr-defined]
        errors["first_item"] = _("This meeting already has its first agenda item (第一议题).")
    return errors


def _agenda_snapshot(item: AgendaItem) -> audit.Snapshot:
    return audit.Snapshot(
        order=item.order,
        topic=item.topic,
        tags=list(item.tags),
        first_item=item.first_item,
        major_matter=item.major_matter,
        prior_study=item.prior_study,
    )


AGENDA_FIELDS = ("topic", "tags", "first_item", "major_matter", "prior_study", "order")


@transaction.atomic
def agenda_item_add(
    *,
    actor: Any,
    activity: Activity,
    topic: str,
    tags: Sequence[str] = (),
    first_item: bool = False,
    major_matter: str = "",
    prior_study: bool = False,
) -> AgendaItem:
    """Add an item with topic tags and the 第一议题 / 三重一大 flags; the first agenda item comes first."""
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    last = activity.agenda.order_by("-order").values_list("order", flat=True).first() or 0  # type: ignore[attr-defined]
    item = AgendaItem(
        activity=activity,
        order=last + 1,
        topic=topic.strip(),
        tags=sorted(set(tags)),
        first_item=first_item,
        major_matter=major_matter,
        prior_study=prior_study,
    )
    _raise(_agenda_errors(activity, item))
    if item.first_item:  # 第一议题: studied first, before the other items
        activity.agenda.update(order=F("order") + 1)  # type: ignore[attr-defined]
        item.order = 1
    item.full_clean()
    item.save()
    audit.record(
        actor=actor,
        action="agenda.add",
        target=activity,
        org=activity.org,
        after=_agenda_snapshot(item),
        target_repr=f"{activity} · {item.topic}"[:200],
    )
    _check_scope(actor, activity)
    return item


@transaction.atomic
def agenda_item_update(*, actor: Any, item: AgendaItem, data: dict[str, Any]) -> AgendaItem:
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    activity = _locked(item.activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    unknown = set(data) - set(AGENDA_FIELDS)
    _raise({name: _("This field cannot be changed here.") for name in unknown})
    before = _agenda_snapshot(item)
    for name, value in data.items():
        if name == "tags":
            value = sorted(set(value))
        setattr(item, name, value.strip() if isinstance(value, str) else value)
    _raise(_agenda_errors(activity, item))
    item.full_clean()
    item.save()
    after = _agenda_snapshot(item)
    if after != before:
        audit.record(
            actor=actor,
            action="agenda.update",
            target=activity,
            org=activity.org,
            before=before,
            after=after,
            target_repr=f"{activity} · {item.topic}"[:200],
        )
    _check_scope(actor, activity)
    return item


@transaction.atomic
def agenda_item_remove(*, actor: Any, item: AgendaItem) -> None:
    activity = _locked(item.activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    before = _agenda_snapshot(item)
    topic = item.topic
    AgendaItem.objects.filter(pk=item.pk).delete()
    audit.record(
        actor=actor,
        action="agenda.remove",
        target=activity,
        org=activity.org,
        before=before,
        target_repr=f"{activity} · {topic}"[:200],
    )
    _check_scope(actor, activity)
