"""The checked development file between the preview and the confirmation (core.uploads: encrypted in
the session, confirmed from exactly these bytes, never a re-upload)."""

from __future__ import annotations

from typing import Any

from xianfeng.core.uploads import SessionUpload, SessionUploads
from xianfeng.development.imports.layout import PENDING_TTL

SESSION_KEY = "development_history_upload"
UPLOADS = SessionUploads(SESSION_KEY, PENDING_TTL)
PendingUpload = SessionUpload


def pending_store(session: Any, *, filename: str, data: bytes) -> SessionUpload:
    return UPLOADS.store(session, filename=filename, data=data)


def pending_get(session: Any) -> SessionUpload | None:
    return UPLOADS.get(session)


def pending_clear(session: Any) -> None:
    UPLOADS.clear(session)
