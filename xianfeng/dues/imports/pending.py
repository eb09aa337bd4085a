"""The uploaded file between the steps (mapping, preview, confirmation), kept server-side.

The member import keeps its checked rows in people.ImportBatch; that table has no kind, and a
payroll file in it could be confirmed by the member import's confirmation. So the payroll file
waits in the user's session instead (database-backed, per user): its bytes encrypted with the
data key (they hold ID numbers and pay), its SHA-256, the org, the year and the mapping the
preview used. The confirmation re-reads exactly these bytes, never a re-upload, checks them
again and writes; the entry is then dropped. One upload per session: a new upload replaces it.
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
from xianfeng.dues.imports.layout import PENDING_TTL, ColumnMapping

SESSION_KEY = "dues_payroll_upload"


@dataclass
class PendingUpload:
    token: str
    org_id: int
    year: int
    filename: str
    sha256: str
    size: int
    created: str
    content: str  # base64 of the file, encrypted
    mapping: dict[str, Any] | None = None

    @property
    def column_mapping(self) -> ColumnMapping | None:
        return ColumnMapping.from_dict(self.mapping) if self.mapping else None

    def data(self) -> bytes:
        return base64.b64decode(crypto.decrypt(self.content))


def pending_store(
    session: Any, *, org_id: int, year: int, filename: str, data: bytes, mapping: ColumnMapping | None
) -> PendingUpload:
    upload = PendingUpload(
        token=secrets.token_urlsafe(16),
        org_id=org_id,
        year=year,
        filename=filename[:200],
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        created=timezone.now().isoformat(),
        content=crypto.encrypt(base64.b64encode(data).decode("ascii")),
        mapping=mapping.as_dict() if mapping else None,
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


def pending_set_mapping(session: Any, upload: PendingUpload, mapping: ColumnMapping) -> None:
    upload.mapping = mapping.as_dict()
    session[SESSION_KEY] = asdict(upload)


def pending_clear(session: Any) -> None:
    session.pop(SESSION_KEY, None)
