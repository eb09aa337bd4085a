"""Key-task lists (重点任务清单): lists, categories, items, progress reports and the status machine.

    not started ──progress──▶ in progress ──report done (with the response)──▶ done, pending check
                                   ▲                                                │
                                   └──────────── returned by the issuer ◀───────────┤
                                                                                    ▼
                                                              closed (by the issuer, never the owner)

"Overdue" is not stored: any open item is overdue from the day after its deadline (Asia/Shanghai).
Nothing is closed without a closing response (事事有落实、件件有回音).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, ensure_in_scope, require
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership, Person
from xianfeng.supervision import rules
from xianfeng.supervision.models import (
    ItemStatus,
    Milestone,
    ProgressAttachment,
    ProgressReport,
    TaskCategory,
    TaskItem,
    TaskList,
)
from xianfeng.supervision.services._common import (
    Errors,
    active,
    below,
    check_upload,
    clean,
    is_user_of,
    raise_errors,
    record,
    save_file,
)

# The status machine: from → allowed targets.
TRANSITIONS: dict[str, frozenset[str]] = {
    ItemStatus.NOT_STARTED: frozenset({ItemStatus.IN_PROGRESS}),
    ItemStatus.IN_PROGRESS: frozenset({ItemStatus.PENDING_CHECK}),
    ItemStatus.PENDING_CHECK: frozenset({ItemStatus.CLOSED, ItemStatus.IN_PROGRESS}),
    ItemStatus.CLOSED: frozenset(),
}


def transition_error(item: TaskItem, to: str) -> str:
    """A clear message for a move the status machine refuses ("" when it is allowed)."""
    if to in TRANSITIONS[item.status]:
        return ""
    if item.status == ItemStatus.CLOSED:
        return _("This key task is closed; a closed task cannot change.")
    if to == ItemStatus.PENDING_CHECK and item.status == ItemStatus.NOT_STARTED:
        return _("This key task has not started: report its progress before reporting it done.")
    if to == ItemStatus.CLOSED:
        return _("Only a task reported done (pending check) can be closed; it is “%(status)s”.") % {
            "status": item.get_status_display()
        }
    return _("A key task cannot go from “%(from)s” to “%(to)s”.") % {
        "from": item.get_status_display(),
        "to": ItemStatus(to).label,
    }


@dataclass(frozen=True)
class MilestoneIn:
    title: str
    due: dt.date


@dataclass
class ItemIn:
    """The particulars of a new item (also what an import row becomes)."""

    title: str
    lead_org: Org
    deadline: dt.date
    lead_person: Person | None = None
    category: str = ""
    collaborators: Sequence[Org] = ()
    acceptance: str = ""
    milestones: Sequence[MilestoneIn] = field(default_factory=tuple)
    number: int | None = None


def _locked_item(item: TaskItem) -> TaskItem:
    return (
        TaskItem.objects.select_for_update(of=("self",))
        .select_related("task_list__org", "lead_org", "lead_person")
        .get(pk=item.pk)
    )


def may_report(actor: Any, item: TaskItem) -> bool:
    """The owner: the lead person's own account, or whoever may change the lead org's records."""
    return is_user_of(actor, item.lead_person) or can(actor, Action.CHANGE, item.lead_org)


def may_check(actor: Any, item: TaskItem) -> bool:
    """The issuer checks and closes: change rights on the issuing org, and neither the owner nor
    whoever reported the task done."""
    return (
        can(actor, Action.CHANGE, item.task_list.org)
        and not is_user_of(actor, item.lead_person)
        and not (actor is not None and item.submitted_by_id == actor.pk)
    )


# --- Lists ----------------------------------------------------------------------------------------


@transaction.atomic
def task_list_create(
    *,
    actor: Any,
    org: Org,
    year: int,
    title: str,
    issued_on: dt.date,
    categories: Sequence[str] = (),
    note: str = "",
) -> TaskList:
    require(actor, Action.CHANGE, org)
    title = clean(title)
    errors: Errors = {}
    if not title:
        errors["title"] = _("Give the list a title.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    if not active(org):
        errors["org"] = _("The organization is dissolved.")
    names = [clean(n) for n in categories if clean(n)]
    if len(set(names)) != len(names):
        errors["categories"] = _("Each category may appear only once.")
    raise_errors(errors)
    task_list = TaskList(
        org=org,
        year=year,
        title=title,
        issued_on=issued_on,
        note=clean(note),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    task_list.full_clean()
    task_list.save()
    TaskCategory.objects.bulk_create(
        TaskCategory(task_list=task_list, name=name, position=i) for i, name in enumerate(names, 1)
    )
    record(actor, "supervision.task_list_create", task_list, org)
    return task_list


def _category(task_list: TaskList, name: str) -> TaskCategory | None:
    name = clean(name)
    if not name:
        return None
    found = task_list.categories.filter(name=name).first()
    if found is not None:
        return found
    position = task_list.categories.count() + 1
    return TaskCategory.objects.create(task_list=task_list, name=name, position=position)


def person_errors(person: Person | None, within: Org, field_name: str = "lead_person") -> Errors:
    """A named person must be a current member somewhere under the issuing org."""
    if person is None:
        return {}
    ok = Membership.objects.filter(
        person=person, left_date__isnull=True, org__path__startswith=within.path
    ).exists()
    return (
        {}
        if ok
        else {
            field_name: _("%(name)s is not a member of an organization under %(org)s.")
            % {"name": person.name, "org": within.name}
        }
    )


def item_errors(task_list: TaskList, data: ItemIn) -> Errors:
    errors: Errors = {}
    if not clean(data.title):
        errors["title"] = _("Describe the task.")
    if not below(data.lead_org, task_list.org) or not active(data.lead_org):
        errors["lead_org"] = _("The lead organization must be an active organization under %(org)s.") % {
            "org": task_list.org.name
        }
    if data.deadline < task_list.issued_on:
        errors["deadline"] = _("The deadline (%(deadline)s) is before the list was issued (%(issued)s).") % {
            "deadline": data.deadline.isoformat(),
            "issued": task_list.issued_on.isoformat(),
        }
    for org in data.collaborators:
        if not below(org, task_list.org):
            errors["collaborators"] = _("Collaborating organizations must be under %(org)s.") % {
                "org": task_list.org.name
            }
    for milestone in data.milestones:
        if not clean(milestone.title):
            errors["milestones"] = _("Every milestone needs a title.")
        elif not task_list.issued_on <= milestone.due <= data.deadline:
            errors["milestones"] = _("Milestone dates lie between the issue date and the deadline.")
    errors.update(person_errors(data.lead_person, task_list.org))
    return errors


def _add_item(actor: Any, task_list: TaskList, data: ItemIn, number: int) -> TaskItem:
    item = TaskItem(
        task_list=task_list,
        category=_category(task_list, data.category),
        number=number,
        title=clean(data.title),
        lead_org=data.lead_org,
        lead_person=data.lead_person,
        deadline=data.deadline,
        acceptance=clean(data.acceptance),
    )
    item.full_clean(validate_unique=False)
    item.save()
    if data.collaborators:
        item.collaborators.set(data.collaborators)
    Milestone.objects.bulk_create(
        Milestone(item=item, title=clean(m.title), due=m.due) for m in data.milestones
    )
    return item


def _next_number(task_list: TaskList) -> int:
    last = (
        TaskItem.objects.filter(task_list=task_list)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    return (last or 0) + 1


@transaction.atomic
def item_add(*, actor: Any, task_list: TaskList, data: ItemIn) -> TaskItem:
    """Add one item to a list; the deadline may not be before the list's issue date."""
    task_list = TaskList.objects.select_for_update().select_related("org").get(pk=task_list.pk)
    require(actor, Action.CHANGE, task_list.org)
    errors = item_errors(task_list, data)
    number = data.number or _next_number(task_list)
    if data.number and TaskItem.objects.filter(task_list=task_list, number=data.number).exists():
        errors["number"] = _("Number %(n)s is already used in this list.") % {"n": data.number}
    raise_errors(errors)
    item = _add_item(actor, task_list, data, number)
    record(actor, "supervision.item_add", item, task_list.org)
    ensure_in_scope(actor, Action.VIEW, TaskItem.objects.all(), [item.pk])
    return item


@transaction.atomic
def items_import(*, actor: Any, task_list: TaskList, rows: Sequence[ItemIn]) -> list[TaskItem]:
    """Add checked rows in one transaction (the import has already checked every row)."""
    task_list = TaskList.objects.select_for_update().select_related("org").get(pk=task_list.pk)
    require(actor, Action.IMPORT, task_list.org)
    number = _next_number(task_list)
    items = []
    for offset, data in enumerate(rows):
        raise_errors(item_errors(task_list, data))
        items.append(_add_item(actor, task_list, data, data.number or number + offset))
    audit.record(
        actor=actor,
        action="supervision.items_import",
        target=task_list,
        org=task_list.org,
        after=audit.Snapshot(items=len(items)),
        target_repr=str(task_list),
    )
    return items


# --- Progress and the status machine -------------------------------------------------------------


@transaction.atomic
def milestone_done(*, actor: Any, milestone: Milestone, on: dt.date | None = None) -> Milestone:
    """The owner marks a milestone (节点) reached; it is kept with the date it was reached."""
    milestone = (
        Milestone.objects.select_for_update(of=("self",))
        .select_related("item__lead_org", "item__lead_person")
        .get(pk=milestone.pk)
    )
    item = milestone.item
    if not may_report(actor, item):
        require(actor, Action.CHANGE, item.lead_org)
    errors: Errors = {}
    if item.status == ItemStatus.CLOSED:
        errors["__all__"] = _("This key task is closed; a closed task cannot change.")
    elif milestone.done_on is not None:
        errors["__all__"] = _("This milestone was already reached on %(date)s.") % {
            "date": milestone.done_on.isoformat()
        }
    raise_errors(errors)
    milestone.done_on = on or rules.today()
    milestone.save(update_fields=["done_on"])
    audit.record(
        actor=actor,
        action="supervision.milestone_done",
        target=item,
        org=item.lead_org,
        after=audit.Snapshot(milestone=milestone.title, done_on=milestone.done_on.isoformat()),
        target_repr=str(item),
    )
    return milestone


@transaction.atomic
def progress_report(
    *,
    actor: Any,
    item: TaskItem,
    text: str,
    percent: int,
    files: Sequence[UploadedFile] = (),
    on: dt.date | None = None,
) -> ProgressReport:
    """The owner reports progress with evidence files; the first report starts the task."""
    item = _locked_item(item)
    if not may_report(actor, item):
        require(actor, Action.CHANGE, item.lead_org)
    errors: Errors = {}
    if item.status == ItemStatus.CLOSED:
        errors["__all__"] = _("This key task is closed; a closed task cannot change.")
    elif item.status == ItemStatus.PENDING_CHECK:
        errors["__all__"] = _("This key task was reported done and waits for the issuer's check.")
    if not clean(text):
        errors["text"] = _("Describe the progress.")
    if percent is None or not 0 <= percent <= 100:
        errors["percent"] = _("The percentage is between 0 and 100.")
    raise_errors(errors)
    checked = [(upload, *check_upload(upload)) for upload in files]
    before = audit.snapshot(item)
    report = ProgressReport.objects.create(
        item=item,
        reported_on=on or rules.today(),
        text=clean(text),
        percent=percent,
        reported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    for upload, name, content_type, size in checked:
        save_file(
            ProgressAttachment(report=report, name=name, content_type=content_type, size=size), upload, name
        )
    item.percent = percent
    if item.status == ItemStatus.NOT_STARTED:
        item.status = ItemStatus.IN_PROGRESS
    item.save(update_fields=["percent", "status", "updated"])
    record(
        actor, "supervision.progress_report", item, item.lead_org, before=before, message=report.text[:500]
    )
    return report


@transaction.atomic
def item_report_done(*, actor: Any, item: TaskItem, response: str, on: dt.date | None = None) -> TaskItem:
    """The owner reports the task done with its response (回音); the issuer then checks it."""
    item = _locked_item(item)
    if not may_report(actor, item):
        require(actor, Action.CHANGE, item.lead_org)
    errors: Errors = {}
    message = transition_error(item, ItemStatus.PENDING_CHECK)
    if message:
        errors["__all__"] = message
    if not clean(response):
        errors["response"] = _("Write the response: what was done, against the acceptance criterion.")
    raise_errors(errors)
    before = audit.snapshot(item)
    item.status = ItemStatus.PENDING_CHECK
    item.response = clean(response)
    item.submitted_on = on or rules.today()
    item.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    item.percent = 100
    item.save()
    record(actor, "supervision.item_report_done", item, item.lead_org, before=before)
    return item


@transaction.atomic
def item_close(*, actor: Any, item: TaskItem, note: str = "", on: dt.date | None = None) -> TaskItem:
    """The issuer closes a task reported done. Never without a response, never by its owner."""
    item = _locked_item(item)
    require(actor, Action.CHANGE, item.task_list.org)
    errors: Errors = {}
    message = transition_error(item, ItemStatus.CLOSED)
    if message:
        errors["__all__"] = message
    elif not item.response.strip():
        errors["__all__"] = _("A key task cannot be closed without a response.")
    if is_user_of(actor, item.lead_person):
        errors["__all__"] = _("The person responsible cannot close their own task; the issuer checks it.")
    elif actor is not None and item.submitted_by_id == actor.pk:
        errors["__all__"] = _(
            "Whoever reported the task done cannot close it; another person of the issuer does."
        )
    raise_errors(errors)
    before = audit.snapshot(item)
    item.status = ItemStatus.CLOSED
    item.closed_on = on or rules.today()
    item.closed_by = actor if getattr(actor, "is_authenticated", False) else None
    item.check_note = clean(note)
    item.save()
    record(actor, "supervision.item_close", item, item.task_list.org, before=before)
    return item


@transaction.atomic
def item_return(*, actor: Any, item: TaskItem, note: str) -> TaskItem:
    """The issuer sends a task reported done back to work, saying why."""
    item = _locked_item(item)
    require(actor, Action.CHANGE, item.task_list.org)
    errors: Errors = {}
    message = transition_error(item, ItemStatus.IN_PROGRESS)
    if not message and item.status != ItemStatus.PENDING_CHECK:
        message = _("Only a task reported done (pending check) can be returned; it is “%(status)s”.") % {
            "status": item.get_status_display()
        }
    if message:
        errors["__all__"] = message
    if not clean(note):
        errors["note"] = _("Say what is still missing.")
    if is_user_of(actor, item.lead_person):
        errors["__all__"] = _("The person responsible cannot check their own task; the issuer checks it.")
    raise_errors(errors)
    before = audit.snapshot(item)
    item.status = ItemStatus.IN_PROGRESS
    item.check_note = clean(note)
    item.submitted_on = None
    item.submitted_by = None
    item.save()
    record(actor, "supervision.item_return", item, item.task_list.org, before=before)
    return item
