"""An uploaded file kept server-side between an import's steps (mapping, preview, confirmation).

The member import keeps its checked rows in people.ImportBatch; that table has no kind, so a file of
another import stored there could be confirmed by the member import's confirmation. The other imports
keep their file in the user's (database-backed) session instead, under their own key: the bytes
encrypted with the data key (they hold ID numbers), their SHA-256, a one-time token and whatever the
import needs to remember (`extra`). The confirmation reads exactly these bytes, never a re-upload;
one upload per session and key, a new upload replaces it, and it expires after the import TTL.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils import timezone

from xianfeng.core import crypto


@dataclass
class SessionUpload:
    token: str
    filename: str
    sha256: str
    size: int
    created: str
    content: str  # base64 of the file, encrypted
    extra: dict[str, Any] = field(default_factory=dict)

    def data(self) -> bytes | None:
        """The stored bytes, or None if they cannot be read or do not match the SHA-256 taken at upload."""
        try:
            data = base64.b64decode(crypto.decrypt(self.content))
        except ValueError:
            return None
        return data if hashlib.sha256(data).hexdigest() == self.sha256 else None


@dataclass(frozen=True)
class SessionUploads:
    """The uploads of one import: its session key and how long an upload waits for confirmation."""

    key: str
    ttl: dt.timedelta

    def store(self, session: Any, *, filename: str, data: bytes, **extra: Any) -> SessionUpload:
        upload = SessionUpload(
            token=secrets.token_urlsafe(16),
            filename=filename[:200],
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            created=timezone.now().isoformat(),
            content=crypto.encrypt(base64.b64encode(data).decode("ascii")),
            extra=extra,
        )
        self.save(session, upload)
        return upload

    def save(self, session: Any, upload: SessionUpload) -> None:
        session[self.key] = asdict(upload)

    def get(self, session: Any) -> SessionUpload | None:
        """The user's upload, unless it is missing, malformed or older than the TTL."""
        raw = session.get(self.key)
        try:
            upload = SessionUpload(**raw)
            created = dt.datetime.fromisoformat(upload.created)
        except (TypeError, ValueError):
            upload = None
        if upload is None or created < timezone.now() - self.ttl:
            self.clear(session)
            return None
        return upload

    def clear(self, session: Any) -> None:
        session.pop(self.key, None)
