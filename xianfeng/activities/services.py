"""The only writers of activities, attendance, agenda items, decisions and attachments.

Each service is keyword-only, runs in one transaction, checks the actor's right on the activity's org
(core.scoping.require), validates with the rules in activities.rules (every error names its field and
its rule), saves after full_clean(), re-checks the scope, and writes the audit row.
Check-in and leave requests by members themselves are in activities.checkin.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.activities import rules, selectors
from xianfeng.activities.choices import (
    ActivityStatus,
    AttendanceSource,
    AttendanceStatus,
    MajorMatter,
    TopicTag,
)
from xianfeng.activities.models import Activity, ActivityKind, AgendaItem, Attachment, Attendance, Decision
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ensure_in_scope, require
from xianfeng.orgs.models import Org
from xianfeng.people.models import Person

UPDATABLE_FIELDS = ("title", "planned_start", "planned_end", "place", "host", "recorder", "lecturer")
PERSON_FIELDS = ("host", "recorder", "lecturer")


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update(of=("self",)).select_related("kind", "org").get(pk=activity.pk)


def _check_scope(actor: Any, activity: Activity) -> None:
    ensure_in_scope(actor, Action.CHANGE, Activity.objects.all(), [activity.pk])


def _not_cancelled(activity: Activity) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError({"status": _("This activity was cancelled; it can no longer be changed.")})


def _attendance_snapshot(row: Attendance | None) -> audit.Snapshot | None:
    if row is None:
        return None
    snap = audit.Snapshot(
        person=row.person_id,
        status=row.status,
        reason=row.reason,
        hours=str(row.hours) if row.hours is not None else None,
        source=row.source,
    )
    return snap


def duplicate_error(
    *, kind: ActivityKind, org: Org, start: dt.datetime, exclude_pk: int | None = None
) -> dict[str, str]:
    """The same meeting (same org, same kind, not cancelled) already recorded on that day."""
    if not rules.is_meeting(kind):
        return {}
    day = rules.local_day(start)
    first, end = rules.day_bounds(day)
    same_day = Activity.objects.filter(org=org, kind=kind).exclude(status=ActivityStatus.CANCELLED)
    same_day = same_day.filter(
        Q(held_start__gte=first, held_start__lt=end)
        | Q(held_start__isnull=True, planned_start__gte=first, planned_start__lt=end)
    )
    if exclude_pk is not None:
        same_day = same_day.exclude(pk=exclude_pk)
    other = same_day.first()
    if other is None:
        return {}
    return {
        "planned_start": _(
            "A %(kind)s of %(org)s is already recorded on %(date)s (“%(title)s”); a meeting is recorded "
            "once. Open that record instead."
        )
        % {"kind": kind.name, "org": org.display_name, "date": day.isoformat(), "title": other.title}
    }


def _sync_expected(activity: Activity, old_day: dt.date | None) -> None:
    """Expected rows from the kind's audience on the activity's date; when the date moved, rows still
    only "expected" that the old date produced and the new one does not are removed."""
    kind, org = activity.kind, activity.org
    day = rules.activity_day(activity)
    wanted = set(selectors.audience_ids(kind=kind, org=org, day=day))
    if old_day is not None and old_day != day:
        stale = set(selectors.audience_ids(kind=kind, org=org, day=old_day)) - wanted
        Attendance.objects.filter(
            activity=activity, person_id__in=stale, status=AttendanceStatus.EXPECTED
        ).delete()
    have = set(Attendance.objects.filter(activity=activity).values_list("person_id", flat=True))
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, person_id=pk) for pk in sorted(wanted - have)],
        ignore_conflicts=True,
    )


def _people_errors(kind: ActivityKind, people: dict[str, Person | None]) -> dict[str, str]:
    if people.get("lecturer") is not None and not kind.has_lecturer:
        return {"lecturer": _("A %(kind)s has no lecturer; only lectures record one.") % {"kind": kind.name}}
    return {}


def _talk_errors(kind: ActivityKind, participants: Sequence[Person]) -> dict[str, str]:
    if kind.is_talk and participants and (len(participants) != 2 or participants[0].pk == participants[1].pk):
        return {
            "participants": _("A talk records exactly two people: the one who talks and the one talked to.")
        }
    return {}


@transaction.atomic
def activity_plan(
    *,
    actor: Any,
    org: Org,
    kind: ActivityKind,
    planned_start: dt.datetime,
    title: str = "",
    planned_end: dt.datetime | None = None,
    place: str = "",
    host: Person | None = None,
    recorder: Person | None = None,
    lecturer: Person | None = None,
    participants: Sequence[Person] = (),
) -> Activity:
    """Plan an activity; the people expected follow from the kind's audience on the planned date.

    Participants are added by hand (named audiences); a talk names its two parties (BR-16).
    """
    require(actor, Action.CHANGE, org)
    errors = rules.kind_errors(kind, org)
    if not org.is_active:
        errors["org"] = _("The organization is dissolved; it holds no more activities.")
    if planned_end is not None and planned_end <= planned_start:
        errors["planned_end"] = _("The end must be after the start.")
    errors.update(_people_errors(kind, {"lecturer": lecturer}))
    errors.update(_talk_errors(kind, participants))
    if participants and not kind.has_attendance:
        errors["participants"] = _("A %(kind)s records no attendance.") % {"kind": kind.name}
    activity = Activity(
        kind=kind,
        org=org,
        title=(title or "").strip() or kind.name,
        planned_start=planned_start,
        planned_end=planned_end,
        place=place.strip(),
        host=host if host is not None else (participants[0] if kind.is_talk and participants else None),
        recorder=recorder,
        lecturer=lecturer,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if not errors:
        errors.update(duplicate_error(kind=kind, org=org, start=planned_start))
    for person in participants if not errors else ():
        problem = selectors.eligibility_error(activity, person)
        if problem:
            errors["participants"] = problem
            break
    _raise(errors)
    activity.full_clean()
    activity.save()
    _sync_expected(activity, None)
    Attendance.objects.bulk_create(
        [Attendance(activity=activity, person=person) for person in participants], ignore_conflicts=True
    )
    audit.record(
        actor=actor, action="activity.plan", target=activity, org=org, after=audit.snapshot(activity)
    )
    _check_scope(actor, activity)
    return activity


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, data: dict[str, Any]) -> Activity:
    """Change the title, place, people or (while planned) the time; a new date re-derives who is expected."""
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    unknown = set(data) - set(UPDATABLE_FIELDS)
    _raise({name: _("This field cannot be changed here.") for name in unknown})
    errors: dict[str, str] = {}
    if activity.status == ActivityStatus.HELD and {"planned_start", "planned_end"} & set(data):
        errors["planned_start"] = _("The activity was held; correct the held time with “Record as held”.")
    errors.update(_people_errors(activity.kind, {k: v for k, v in data.items() if k in PERSON_FIELDS}))
    _raise(errors)
    before = audit.snapshot(activity)
    old_day = rules.activity_day(activity)
    for name, value in data.items():
        setattr(activity, name, value.strip() if isinstance(value, str) else value)
    if not activity.title:
        activity.title = activity.kind.name
    if activity.planned_end is not None and activity.planned_end <= activity.planned_start:
        errors["planned_end"] = _("The end must be after the start.")
    if not errors and "planned_start" in data:
        errors.update(
            duplicate_error(
                kind=activity.kind, org=activity.org, start=activity.planned_start, exclude_pk=activity.pk
            )
        )
    _raise(errors)
    activity.full_clean()
    activity.save()
    if activity.status == ActivityStatus.PLANNED:
        _sync_expected(activity, old_day)
    after = audit.snapshot(activity)
    if after != before:
        audit.record(
            actor=actor,
            action="activity.update",
            target=activity,
            org=activity.org,
            before=before,
            after=after,
        )
    _check_scope(actor, activity)
    return activity


def _refresh_quorum(activity: Activity) -> None:
    if activity.status != ActivityStatus.HELD:
        return
    verdict = selectors.quorum_verdict(activity)
    met = verdict.met if verdict is not None else None
    if activity.quorum_met != met:
        activity.quorum_met = met
        activity.save(update_fields=["quorum_met", "updated"])


@transaction.atomic
def activity_record_held(
    *,
    actor: Any,
    activity: Activity,
    held_start: dt.datetime,
    held_end: dt.datetime | None = None,
    host: Person | None = None,
    recorder: Person | None = None,
    lecturer: Person | None = None,
    minutes: str = "",
    metrics: dict[str, Any] | None = None,
    place: str | None = None,
) -> Activity:
    """Record that the activity took place (or correct the record): time, people, minutes, metrics.

    Refused for a time in the future. The quorum verdict is computed from the attendance.
    """
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    kind = activity.kind
    now = timezone.now()
    errors: dict[str, str] = {}
    if held_start > now:
        errors["held_start"] = _("An activity cannot be recorded as held at a time in the future.")
    if held_end is not None and held_end > now:
        errors["held_end"] = _("An activity cannot be recorded as held at a time in the future.")
    elif held_end is not None and held_end <= held_start:
        errors["held_end"] = _("The end must be after the start.")
    errors.update(_people_errors(kind, {"lecturer": lecturer}))
    clean_metrics, metric_errors = rules.metrics_errors(kind, metrics or {})
    errors.update(metric_errors)
    if kind.is_talk and activity.attendance.exclude(status=AttendanceStatus.GUEST).count() != 2:  # type: ignore[attr-defined]
        errors["participants"] = _(
            "A talk records exactly two people: add the one who talks and the one talked to first."
        )
    if not errors:
        dup = duplicate_error(kind=kind, org=activity.org, start=held_start, exclude_pk=activity.pk)
        errors.update({"held_start": dup["planned_start"]} if dup else {})
    _raise(errors)
    before = audit.snapshot(activity)
    old_day = rules.activity_day(activity)
    activity.status = ActivityStatus.HELD
    activity.held_start, activity.held_end = held_start, held_end
    activity.host, activity.recorder, activity.lecturer = host, recorder, lecturer
    activity.minutes = minutes.strip()
    activity.metrics = clean_metrics
    if place is not None:
        activity.place = place.strip()
    activity.full_clean()
    activity.save()
    _sync_expected(activity, old_day)
    if kind.is_talk:  # a talk that took place had both parties present
        activity.attendance.filter(status=AttendanceStatus.EXPECTED).update(  # type: ignore[attr-defined]
            status=AttendanceStatus.PRESENT
        )
    verdict = selectors.quorum_verdict(activity)
    activity.quorum_met = verdict.met if verdict is not None else None
    activity.save(update_fields=["quorum_met", "updated"])
    audit.record(
        actor=actor,
        action="activity.record_held",
        target=activity,
        org=activity.org,
        before=before,
        after=audit.snapshot(activity),
    )
    _check_scope(actor, activity)
    return activity


@transaction.atomic
def activity_cancel(*, actor: Any, activity: Activity, reason: str) -> Activity:
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    errors: dict[str, str] = {}
    if activity.status == ActivityStatus.HELD:
        errors["status"] = _("The activity was held and cannot be cancelled; correct the record instead.")
    elif activity.status == ActivityStatus.CANCELLED:
        errors["status"] = _("The activity is already cancelled.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for cancelling; members are told.")
    _raise(errors)
    before = audit.snapshot(activity)
    activity.status, activity.cancel_reason = ActivityStatus.CANCELLED, reason.strip()
    activity.save(update_fields=["status", "cancel_reason", "updated"])
    audit.record(
        actor=actor,
        action="activity.cancel",
        target=activity,
        org=activity.org,
        before=before,
        after=audit.snapshot(activity),
        message=reason.strip(),
    )
    _check_scope(actor, activity)
    return activity


# --- attendance ---------------------------------------------------------------------------------


@transaction.atomic
def attendance_set(
    *,
    actor: Any,
    activity: Activity,
    person: Person,
    status: str,
    reason: str = "",
    hours: Decimal | None = None,
) -> Attendance:
    """Record one person's attendance: present, on leave (with reason), absent, or guest (列席).

    Only people who were members of the org on the activity's date attend other than as guests; a
    talk has exactly two parties; hours only for kinds that count study hours.
    """
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    kind = activity.kind
    errors: dict[str, str] = {}
    if not kind.has_attendance:
        _raise({"status": _("A %(kind)s records no attendance.") % {"kind": kind.name}})
    if status not in AttendanceStatus.values:
        _raise({"status": _("Unknown attendance status.")})
    reason = reason.strip()
    if status == AttendanceStatus.LEAVE and not reason:
        errors["reason"] = _("Give the reason for the leave (缺席原因); the meeting record lists it.")
    errors.update(rules.hours_errors(kind, hours))
    if (
        hours is not None
        and "hours" not in errors
        and status not in (AttendanceStatus.PRESENT, AttendanceStatus.GUEST)
    ):
        errors["hours"] = _("Hours are recorded only for people who attended.")
    row = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
    if row is None and kind.is_talk and activity.attendance.count() >= 2:  # type: ignore[attr-defined]
        errors["person"] = _("A talk records exactly two people; this one already has both parties.")
    if status != AttendanceStatus.GUEST and "person" not in errors:
        problem = selectors.eligibility_error(activity, person)
        if problem:
            errors["person"] = problem
    _raise(errors)
    before = _attendance_snapshot(row)
    if row is None:
        row = Attendance(activity=activity, person=person)
    row.status, row.reason, row.hours = status, reason, hours
    if status != AttendanceStatus.PRESENT:
        row.checked_in_at = None
    if row.source != AttendanceSource.QR or status != AttendanceStatus.PRESENT:
        row.source = AttendanceSource.MANUAL
    row.full_clean()
    row.save()
    _refresh_quorum(activity)
    audit.record(
        actor=actor,
        action="attendance.set",
        target=activity,
        org=activity.org,
        before=before,
        after=_attendance_snapshot(row),
        target_repr=f"{activity} · {person.name}",
    )
    _check_scope(actor, activity)
    return row


@transaction.atomic
def attendance_remove(*, actor: Any, activity: Activity, person: Person) -> None:
    """Take a person off the list (added by mistake); the removal is audited."""
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    row = Attendance.objects.select_for_update().filter(activity=activity, person=person).first()
    if row is None:
        raise ValidationError({"person": _("This person is not on the attendance list.")})
    before = _attendance_snapshot(row)
    row.delete()
    _refresh_quorum(activity)
    audit.record(
        actor=actor,
        action="attendance.remove",
        target=activity,
        org=activity.org,
        before=before,
        target_repr=f"{activity} · {person.name}",
    )
    _check_scope(actor, activity)


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


@transaction.atomic
def attachment_add(*, actor: Any, activity: Activity, upload: UploadedFile) -> Attachment:
    """Keep a file with the activity: PDF, Office (docx/xlsx/pptx) or JPEG/PNG, within the size limit,
    checked by extension and by its content (magic bytes)."""
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    size = upload.size or 0
    upload.seek(0)
    head = upload.read(16)

    def read_all() -> bytes:
        upload.seek(0)
        return upload.read()

    content_type, errors = rules.attachment_errors(name, size, head, read_all)
    _raise(errors)
    upload.seek(0)
    attachment = Attachment(
        activity=activity,
        name=name[:200],
        content_type=content_type,
        size=size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    attachment.file.save(name, upload, save=False)
    try:  # the stored file goes away again if anything below refuses the change
        attachment.full_clean()
        attachment.save()
        audit.record(
            actor=actor,
            action="attachment.add",
            target=activity,
            org=activity.org,
            after=audit.Snapshot(name=attachment.name, size=size, content_type=content_type),
            target_repr=f"{activity} · {attachment.name}"[:200],
        )
        _check_scope(actor, activity)
    except BaseException:
        attachment.file.delete(save=False)
        raise
    return attachment


@transaction.atomic
def attachment_remove(*, actor: Any, attachment: Attachment) -> None:
    activity = _locked(attachment.activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    name, size, path, storage = (
        attachment.name,
        attachment.size,
        attachment.file.name,
        attachment.file.storage,
    )
    Attachment.objects.filter(pk=attachment.pk).delete()
    audit.record(
        actor=actor,
        action="attachment.remove",
        target=activity,
        org=activity.org,
        before=audit.Snapshot(name=name, size=size),
        target_repr=f"{activity} · {name}"[:200],
    )
    _check_scope(actor, activity)
    transaction.on_commit(lambda: storage.delete(path) if path and storage.exists(path) else None)
