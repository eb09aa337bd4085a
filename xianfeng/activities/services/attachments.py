"""Attachments: files kept with an activity, checked by extension and content."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from xianfeng.activities import rules
from xianfeng.activities.models import Activity, Attachment
from xianfeng.activities.services._common import _check_scope, _locked, _not_cancelled
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require


@transaction.atomic
def attachment_add(*, actor: Any, activity: Activity, upload: UploadedFile) -> Attachment:
    """Keep a file with the activity: PDF, Office (docx/xlsx/pptx) or JPEG/PNG, within the size limit,
    checked by extension and by its content (magic bytes)."""
    activity = _locked(activity)
    require(actor, Action.CHANGE, activity.org)
    _not_cancelled(activity)
    checked = rules.checked_upload(upload)
    name, size, content_type = checked.name, checked.size, checked.content_type
    attachment = Attachment(
        activity=activity,
        name=name,
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
