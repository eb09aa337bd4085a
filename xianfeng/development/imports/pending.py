"""The checked file between the preview and the confirmation, kept server-side in the session.

The member import keeps its checked rows in people.ImportBatch, but that table has no kind: a
development file stored there could be confirmed by the member import's confirmation. So, as the
dues payroll import does, the file waits in the user's (database-backed) session: its bytes
encrypted with the data key (they hold ID numbers), their SHA-256 and a one-time token. The
confirmation decrypts exactly these bytes (never a re-upload), checks the SHA-256 again, replays
and writes; the entry is then dropped. One upload per session: a new upload replaces it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import asdict, dataclass
from typing import Any

from django.utils import timezone

from xianfeng.core import crypto
from xianfeng.development.imports.layout import PENDING_TTL

SESSION_KEY = "development_history_upload"


@dataclass
class PendingUpload:
    token: str
    filename: str
    sha256: str
    size: int
    created: str
    content: str  # base64 of the file, encrypted

    def data(self) -> bytes | None:
        """The stored bytes, or None if they do not match the SHA-256 taken at upload."""
        try:
            data = base64.b64decode(crypto.decrypt(self.content))
        except ValueError:
            return None
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else None


def pending_store(session: Any, *, filename: str, data: bytes) -> PendingUpload:
    upload = PendingUpload(
        token=secrets.token_urlsafe(16),
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        created=timezone.now().isoformat(),
        content=crypto.encrypt(base64.b64encode(data).decode("ascii")),
    )
    session[SESSION_KEY] = asdict(upload)
    return upload


def pending_get(session: Any) -> PendingUpload | None:
    """The user's upload, unless it is missing, malformed or older than the import TTL."""
    raw = session.get(SESSION_KEY)
    try:
        upload = PendingUpload(**raw)
        created = dt.datetime.fromisoformat(upload.created)
    except (TypeError, ValueError):
        upload = None
    if upload is None or created < timezone.now() - PENDING_TTL:
        pending_clear(session)
        return None
    return upload


def pending_clear(session: Any) -> None:
    session.pop(SESSION_KEY, None)
