"""The payroll file between the steps (mapping, preview, confirmation), kept server-side by
core.uploads (encrypted in the session; it holds ID numbers and pay), with the org, the year and the
mapping the preview used. The confirmation re-reads exactly these bytes, never a re-upload."""

from __future__ import annotations

from typing import Any

from xianfeng.core.uploads import SessionUpload, SessionUploads
from xianfeng.dues.imports.layout import PENDING_TTL, ColumnMapping

SESSION_KEY = "dues_payroll_upload"
UPLOADS = SessionUploads(SESSION_KEY, PENDING_TTL)


class PendingUpload(SessionUpload):
    """A payroll upload: the org and year it is for, and the column mapping once chosen."""

    @property
    def org_id(self) -> int:
        return int(self.extra["org_id"])

    @property
    def year(self) -> int:
        return int(self.extra["year"])

    @property
    def mapping(self) -> dict[str, Any] | None:
        mapping: dict[str, Any] | None = self.extra.get("mapping")
        return mapping

    @property
    def column_mapping(self) -> ColumnMapping | None:
        return ColumnMapping.from_dict(self.mapping) if self.mapping else None

    def data(self) -> bytes:
        """The stored bytes (`pending_get` hands out only uploads whose bytes match their SHA-256)."""
        data = super().data()
        if data is None:
            raise ValueError("the stored upload cannot be read")
        return data


def _payroll(upload: SessionUpload | None) -> PendingUpload | None:
    if upload is None or not {"org_id", "year"} <= set(upload.extra) or SessionUpload.data(upload) is None:
        return None
    return PendingUpload(**{k: getattr(upload, k) for k in SessionUpload.__dataclass_fields__})


def pending_store(
    session: Any, *, org_id: int, year: int, filename: str, data: bytes, mapping: ColumnMapping | None
) -> PendingUpload:
    upload = UPLOADS.store(
        session,
        filename=filename,
        data=data,
        org_id=org_id,
        year=year,
        mapping=mapping.as_dict() if mapping else None,
    )
    stored = _payroll(upload)
    assert stored is not None
    return stored


def pending_get(session: Any) -> PendingUpload | None:
    return _payroll(UPLOADS.get(session))


def pending_set_mapping(session: Any, upload: PendingUpload, mapping: ColumnMapping) -> None:
    upload.extra["mapping"] = mapping.as_dict()
    UPLOADS.save(session, upload)


def pending_clear(session: Any) -> None:
    UPLOADS.clear(session)
