"""Dues exports (issue 7 item 6): the collection sheet, the reconciliation and the remittance
statement as .xlsx. Each export needs the EXPORT right on the org and is audited with its period
and row count, as member exports are. Members' ID numbers never appear in them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.dues.exports._book import XLSX_CONTENT_TYPE, safe_filename
from xianfeng.dues.exports.sheets import (
    collection_workbook,
    period_text,
    reconciliation_workbook,
    remittance_workbook,
)
from xianfeng.orgs.models import Org

# Audit codes (labels: core.audit_actions).
A_COLLECTION = "export.dues_collection"
A_RECONCILIATION = "export.dues_reconciliation"
A_REMITTANCE = "export.dues_remittance"
A_PUBLICATION = "export.dues_publication"
EXPORT_ACTIONS = (A_COLLECTION, A_RECONCILIATION, A_REMITTANCE, A_PUBLICATION)

__all__ = [
    "EXPORT_ACTIONS",
    "XLSX_CONTENT_TYPE",
    "Export",
    "audit_export",
    "collection_export",
    "reconciliation_export",
    "remittance_export",
]


@dataclass(frozen=True)
class Export:
    data: bytes
    filename: str
    content_type: str = XLSX_CONTENT_TYPE


def audit_export(*, actor: Any, action: str, org: Org, period: str, rows: int, **details: Any) -> None:
    with transaction.atomic():
        audit.record(
            actor=actor,
            action=action,
            org=org,
            target=org,
            after=audit.Snapshot(period=period, rows=rows, **details),
            message=_("%(org)s, %(period)s: %(rows)s rows exported")
            % {"org": org.name, "period": period, "rows": rows},
        )


def collection_export(*, actor: Any, org: Org, month: dt.date, today: dt.date | None = None) -> Export:
    require(actor, Action.EXPORT, org)
    data, rows = collection_workbook(org, month, today or timezone.localdate())
    audit_export(actor=actor, action=A_COLLECTION, org=org, period=f"{month:%Y-%m}", rows=rows)
    return Export(data, safe_filename(f"{org.name}-党费收缴表-{month:%Y-%m}.xlsx"))


def reconciliation_export(
    *, actor: Any, org: Org, start: dt.date, end: dt.date, today: dt.date | None = None
) -> Export:
    require(actor, Action.EXPORT, org)
    data, rows = reconciliation_workbook(org, start, end, today or timezone.localdate())
    period = f"{start:%Y-%m}/{end:%Y-%m}"
    audit_export(actor=actor, action=A_RECONCILIATION, org=org, period=period, rows=rows)
    return Export(data, safe_filename(f"{org.name}-党费对账表-{start:%Y%m}-{end:%Y%m}.xlsx"))


def remittance_export(
    *, actor: Any, org: Org, start: dt.date, end: dt.date, today: dt.date | None = None
) -> Export:
    require(actor, Action.EXPORT, org)
    data, rows = remittance_workbook(org, start, end, today or timezone.localdate())
    period = f"{start:%Y-%m}/{end:%Y-%m}"
    audit_export(actor=actor, action=A_REMITTANCE, org=org, period=period, rows=rows)
    return Export(data, safe_filename(f"{org.name}-党费上缴情况-{period_text(start, end)}.xlsx"))
