"""Batches: a checked file kept between the preview and the confirmation, and the one-step import."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.people.imports.layout import BATCH_TTL
from xianfeng.people.imports.reading import read_workbook
from xianfeng.people.imports.results import ImportCheck, ImportRejected, RowError, Sheet
from xianfeng.people.imports.writing import members_import
from xianfeng.people.models import ImportBatch, ImportStatus

# --- Batches: the stored file between the preview and the confirmation ------------------------


def batch_create(*, owner: Any, filename: str, data: bytes, check: ImportCheck) -> ImportBatch:
    """Keep a checked file's cells (encrypted) until its owner confirms them."""
    assert check.sheet is not None
    batches_expire()
    return ImportBatch.objects.create(
        owner=owner,
        filename=filename[:200],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        content=check.sheet.to_json(),
        row_count=check.row_count,
    )


def batches_expire() -> int:
    """Pending batches older than BATCH_TTL expire and their stored rows are wiped."""
    now = timezone.now()
    return ImportBatch.objects.filter(status=ImportStatus.PENDING, created__lt=now - BATCH_TTL).update(
        status=ImportStatus.EXPIRED, content="", finished=now
    )


def _finish(batch: ImportBatch, status: str, count: int = 0) -> None:
    ImportBatch.objects.filter(pk=batch.pk).update(
        status=status, content="", finished=timezone.now(), imported_count=count
    )


def _conflict(row_count: int) -> ImportRejected:
    message = _(
        "Some of these people were recorded by someone else meanwhile; nothing was imported. Check the file again."
    )
    return ImportRejected(ImportCheck(row_count=row_count, errors=[RowError(0, "", "", message)]))


def batch_confirm(*, actor: Any, batch: ImportBatch) -> ImportCheck:
    """Import a checked batch of the actor's own from its stored rows, all rows or none."""
    if batch.owner_id is None or batch.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied("only the person who uploaded the file may confirm it")
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
            if batch.status != ImportStatus.PENDING or batch.created < timezone.now() - BATCH_TTL:
                raise ValidationError(
                    _("This upload has already been used or has expired; upload the file again.")
                )
            check = members_import(actor=actor, sheet=Sheet.from_json(batch.content), batch=batch)
            _finish(batch, ImportStatus.IMPORTED, len(check.rows))
    except ImportRejected:
        _finish(batch, ImportStatus.FAILED)
        raise
    except ValidationError:
        batches_expire()
        raise
    except IntegrityError as exc:
        _finish(batch, ImportStatus.FAILED)
        raise _conflict(batch.row_count) from exc
    return check


def import_file(*, actor: Any, filename: str, data: bytes) -> tuple[ImportBatch, ImportCheck]:
    """Check and import in one step (the API); a batch row records it, the cells are not kept."""
    require(actor, Action.IMPORT, None)
    sheet = read_workbook(data)
    try:
        with transaction.atomic():
            batch = ImportBatch.objects.create(
                owner=actor,
                filename=filename[:200],
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                status=ImportStatus.IMPORTED,
                finished=timezone.now(),
                row_count=len(sheet.rows),
                imported_count=len(sheet.rows),
            )
            check = members_import(actor=actor, sheet=sheet, batch=batch)
    except IntegrityError as exc:
        raise _conflict(len(sheet.rows)) from exc
    return batch, check
