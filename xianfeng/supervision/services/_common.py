"""Helpers the supervision services share: refusals as ValidationError, audit rows, uploads."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models

from xianfeng.activities import rules as activity_rules
from xianfeng.core import audit
from xianfeng.orgs.choices import OrgStatus
from xianfeng.orgs.models import Org

Errors = dict[str, str]


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def clean(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def record(
    actor: Any,
    action: str,
    target: Any,
    org: Org,
    *,
    before: audit.Snapshot | None = None,
    message: str = "",
) -> None:
    audit.record(
        actor=actor,
        action=action,
        target=target,
        org=org,
        before=before,
        after=audit.snapshot(target),
        message=message,
        target_repr=str(target)[:200],
    )


def below(org: Org, top: Org, *, strictly: bool = False) -> bool:
    """Is `org` in `top`'s subtree (strictly: and not `top` itself)?"""
    inside = org.path.startswith(top.path)
    return inside and (org.pk != top.pk) if strictly else inside


def active(org: Org) -> bool:
    return org.status == OrgStatus.ACTIVE


def is_user_of(actor: Any, person: Any) -> bool:
    return bool(person is not None and actor is not None and person.user_id and person.user_id == actor.pk)


def check_upload(upload: UploadedFile) -> tuple[str, str, int]:
    """(name, content type, size) of an evidence file: the activities' rules (PDF, Office, JPEG/PNG,
    the size limit XIANFENG_ATTACHMENT_MAX_BYTES, content matching the extension)."""
    name = (upload.name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    size = upload.size or 0
    upload.seek(0)
    head = upload.read(16)

    def read_all() -> bytes:
        upload.seek(0)
        return upload.read()

    content_type, errors = activity_rules.attachment_errors(name, size, head, read_all)
    raise_errors(errors)
    upload.seek(0)
    return name[:200], content_type, size


def save_file(row: models.Model, upload: UploadedFile, name: str) -> None:
    """Store the file and the row; the stored file goes away again if the row is refused."""
    field = row.file  # type: ignore[attr-defined]
    field.save(name, upload, save=False)
    try:
        row.full_clean()
        row.save()
    except BaseException:
        field.delete(save=False)
        raise
