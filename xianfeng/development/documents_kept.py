"""Documents kept with a step (the materials of the person's file): added and removed by the branch,
checked by extension and content as activity attachments are, every change audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.activities.rules import checked_upload
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.development.models import DevelopmentStep, StepDocument

A_ADD = "development.document_add"
A_REMOVE = "development.document_remove"


def _target(step: DevelopmentStep, name: str) -> str:
    return f"{step.membership.person} · {step.get_step_display()} · {name}"[:200]


@transaction.atomic
def step_document_add(*, actor: Any, step: DevelopmentStep, upload: UploadedFile) -> StepDocument:
    """Keep a file with a valid step: PDF, Office or JPEG/PNG within the size limit."""
    step = (
        DevelopmentStep.objects.select_for_update()
        .select_related("membership__org", "membership__person")
        .get(pk=step.pk)
    )
    require(actor, Action.CHANGE, step.membership.org)
    if step.voided:
        raise ValidationError(
            {"file": _("The step is voided: attach the document to the step recorded again.")}
        )
    checked = checked_upload(upload)
    name, size, content_type = checked.name, checked.size, checked.content_type
    document = StepDocument(
        step=step,
        name=name,
        content_type=content_type,
        size=size,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.file.save(name, upload, save=False)
    try:  # the stored file goes away again if anything below refuses the change
        document.full_clean()
        document.save()
        audit.record(
            actor=actor,
            action=A_ADD,
            target=step,
            org=step.membership.org,
            after=audit.Snapshot(name=document.name, size=size, content_type=content_type),
            target_repr=_target(step, document.name),
        )
    except BaseException:
        document.file.delete(save=False)
        raise
    return document


@transaction.atomic
def step_document_remove(*, actor: Any, document: StepDocument) -> None:
    step = document.step
    require(actor, Action.CHANGE, step.membership.org)
    name, size, path, storage = document.name, document.size, document.file.name, document.file.storage
    StepDocument.objects.filter(pk=document.pk).delete()
    audit.record(
        actor=actor,
        action=A_REMOVE,
        target=step,
        org=step.membership.org,
        before=audit.Snapshot(name=name, size=size),
        target_repr=_target(step, name),
    )
    transaction.on_commit(lambda: storage.delete(path) if path and storage.exists(path) else None)
