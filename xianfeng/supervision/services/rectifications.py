"""The rectification register (整改台账): problem → measures → owner → deadline → evidence → verified
closure by the issuer (never the owner, never whoever submitted the evidence).

    open (being rectified) ──evidence submitted──▶ submitted ──verified by the issuer──▶ closed
            ▲                                          │
            └─────────── not accepted (with a note) ◀──┘

A 立行立改 item has a short deadline: at most XIANFENG_SUPERVISION_IMMEDIATE_DAYS (15) days after
the batch was issued, and that by default.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, ensure_in_scope, require
from xianfeng.orgs.models import Org
from xianfeng.people.models import Person
from xianfeng.supervision import rules
from xianfeng.supervision.models import (
    Rectification,
    RectificationBatch,
    RectificationCategory,
    RectificationEvidence,
    RectificationSource,
    RectificationStatus,
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
from xianfeng.supervision.services.tasks import person_errors


@transaction.atomic
def batch_create(
    *, actor: Any, org: Org, source: str, title: str, issued_on: dt.date | None = None
) -> RectificationBatch:
    require(actor, Action.CHANGE, org)
    errors: Errors = {}
    if source not in RectificationSource.values:
        errors["source"] = _("Choose inspection, audit, self-check or complaint.")
    if not clean(title):
        errors["title"] = _("Name the batch (e.g. the inspection round).")
    if not active(org):
        errors["org"] = _("The organization is dissolved.")
    raise_errors(errors)
    batch = RectificationBatch(
        org=org,
        source=source,
        title=clean(title),
        issued_on=issued_on or rules.today(),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    batch.full_clean()
    batch.save()
    record(actor, "supervision.batch_create", batch, org)
    return batch


@transaction.atomic
def rectification_add(
    *,
    actor: Any,
    batch: RectificationBatch,
    problem: str,
    category: str,
    responsible_org: Org,
    deadline: dt.date | None = None,
    responsible_person: Person | None = None,
    measures: str = "",
    immediate: bool = False,
) -> Rectification:
    batch = RectificationBatch.objects.select_for_update().select_related("org").get(pk=batch.pk)
    require(actor, Action.CHANGE, batch.org)
    errors: Errors = {}
    if not clean(problem):
        errors["problem"] = _("Describe the problem.")
    if category not in RectificationCategory.values:
        errors["category"] = _("Choose a category.")
    if not below(responsible_org, batch.org) or not active(responsible_org):
        errors["responsible_org"] = _(
            "The responsible organization must be an active organization under %(org)s."
        ) % {"org": batch.org.name}
    limit = batch.issued_on + dt.timedelta(days=rules.immediate_days())
    if deadline is None and immediate:
        deadline = limit
    if deadline is None:
        errors["deadline"] = _("Set the deadline.")
    elif deadline < batch.issued_on:
        errors["deadline"] = _("The deadline (%(deadline)s) is before the issue date (%(issued)s).") % {
            "deadline": deadline.isoformat(),
            "issued": batch.issued_on.isoformat(),
        }
    elif immediate and deadline > limit:
        errors["deadline"] = _(
            "A problem to rectify at once (立行立改) is due within %(days)s days, by %(date)s."
        ) % {
            "days": rules.immediate_days(),
            "date": limit.isoformat(),
        }
    errors.update(person_errors(responsible_person, batch.org, "responsible_person"))
    raise_errors(errors)
    assert deadline is not None
    last = batch.items.order_by("-number").values_list("number", flat=True).first()
    item = Rectification(
        batch=batch,
        number=(last or 0) + 1,
        problem=clean(problem),
        category=category,
        responsible_org=responsible_org,
        responsible_person=responsible_person,
        measures=clean(measures),
        immediate=immediate,
        deadline=deadline,
    )
    item.full_clean()
    item.save()
    record(actor, "supervision.rectification_add", item, batch.org)
    ensure_in_scope(actor, Action.VIEW, Rectification.objects.all(), [item.pk])
    return item


def _locked(item: Rectification) -> Rectification:
    return (
        Rectification.objects.select_for_update(of=("self",))
        .select_related("batch__org", "responsible_org", "responsible_person")
        .get(pk=item.pk)
    )


def may_submit(actor: Any, item: Rectification) -> bool:
    return is_user_of(actor, item.responsible_person) or can(actor, Action.CHANGE, item.responsible_org)


def may_verify(actor: Any, item: Rectification) -> bool:
    return (
        can(actor, Action.CHANGE, item.batch.org)
        and not is_user_of(actor, item.responsible_person)
        and not (actor is not None and item.submitted_by_id == actor.pk)
    )


@transaction.atomic
def rectification_update(*, actor: Any, item: Rectification, measures: str) -> Rectification:
    """The owner writes down the measures while the problem is being rectified."""
    item = _locked(item)
    if not may_submit(actor, item):
        require(actor, Action.CHANGE, item.responsible_org)
    if item.status != RectificationStatus.OPEN:
        raise_errors({"__all__": _("Only a problem being rectified can change.")})
    before = audit.snapshot(item)
    item.measures = clean(measures)
    item.save()
    record(actor, "supervision.rectification_update", item, item.responsible_org, before=before)
    return item


@transaction.atomic
def evidence_add(
    *, actor: Any, item: Rectification, files: Sequence[UploadedFile]
) -> list[RectificationEvidence]:
    item = _locked(item)
    if not may_submit(actor, item):
        require(actor, Action.CHANGE, item.responsible_org)
    if item.status != RectificationStatus.OPEN:
        raise_errors({"__all__": _("Evidence is added while the problem is being rectified.")})
    checked = [(upload, *check_upload(upload)) for upload in files]
    out = []
    for upload, name, content_type, size in checked:
        row = RectificationEvidence(rectification=item, name=name, content_type=content_type, size=size)
        save_file(row, upload, name)
        out.append(row)
    audit.record(
        actor=actor,
        action="supervision.evidence_add",
        target=item,
        org=item.responsible_org,
        after=audit.Snapshot(files=[r.name for r in out]),
        target_repr=str(item),
    )
    return out


@transaction.atomic
def rectification_submit(
    *,
    actor: Any,
    item: Rectification,
    evidence: str,
    files: Sequence[UploadedFile] = (),
    on: dt.date | None = None,
) -> Rectification:
    """The owner reports the problem rectified, with evidence (text, files or both)."""
    item = _locked(item)
    if not may_submit(actor, item):
        require(actor, Action.CHANGE, item.responsible_org)
    errors: Errors = {}
    if item.status != RectificationStatus.OPEN:
        errors["__all__"] = _(
            "This problem is “%(status)s”; only a problem being rectified can be submitted."
        ) % {"status": item.get_status_display()}
    if not clean(evidence):
        errors["evidence"] = _(
            "Describe the evidence of the rectification (what was done, documents, dates)."
        )
    raise_errors(errors)
    if files:
        evidence_add(actor=actor, item=item, files=files)
    before = audit.snapshot(item)
    item.evidence = clean(evidence)
    item.status = RectificationStatus.SUBMITTED
    item.submitted_on = on or rules.today()
    item.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
    item.save()
    record(actor, "supervision.rectification_submit", item, item.responsible_org, before=before)
    return item


@transaction.atomic
def rectification_verify(
    *, actor: Any, item: Rectification, accept: bool, note: str = "", on: dt.date | None = None
) -> Rectification:
    """The issuer verifies the evidence: accepted closes the problem, refused sends it back."""
    item = _locked(item)
    require(actor, Action.CHANGE, item.batch.org)
    errors: Errors = {}
    if item.status != RectificationStatus.SUBMITTED:
        errors["__all__"] = _(
            "Only a problem with submitted evidence can be verified; it is “%(status)s”."
        ) % {"status": item.get_status_display()}
    elif is_user_of(actor, item.responsible_person):
        errors["__all__"] = _("The person responsible cannot verify their own rectification.")
    elif actor is not None and item.submitted_by_id == actor.pk:
        errors["__all__"] = _(
            "Whoever submitted the evidence cannot verify it; another person of the issuer does."
        )
    if not accept and not clean(note):
        errors["note"] = _("Say why the evidence is not accepted.")
    if accept and not item.evidence.strip():
        errors["__all__"] = _("A problem cannot be closed without evidence.")
    raise_errors(errors)
    before = audit.snapshot(item)
    item.verification_note = clean(note)
    if accept:
        item.status = RectificationStatus.CLOSED
        item.verified_on = on or rules.today()
        item.verified_by = actor if getattr(actor, "is_authenticated", False) else None
        action = "supervision.rectification_verify"
    else:
        item.status = RectificationStatus.OPEN
        item.submitted_on = None
        action = "supervision.rectification_reject"
    item.save()
    record(actor, action, item, item.batch.org, before=before)
    return item
