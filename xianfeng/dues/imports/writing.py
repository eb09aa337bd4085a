"""Writing: the org's saved column mapping, and the checked bases, all rows or none."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.dues import services
from xianfeng.dues.choices import FIXED_CATEGORIES
from xianfeng.dues.imports.checking import PayrollCheck, PayrollRejected, check_payroll
from xianfeng.dues.imports.layout import ColumnMapping
from xianfeng.dues.imports.reading import Rows
from xianfeng.dues.models import PayrollColumnMap
from xianfeng.orgs.models import Org
from xianfeng.people.imports.results import RowError

_FIELD_OF_ERROR = {"base": "base", "fixed_amount": "base", "category": "category", "membership": "id_number"}


@transaction.atomic
def column_map_save(*, actor: Any, org: Org, mapping: ColumnMapping) -> PayrollColumnMap:
    """Remember how `org`'s payroll workbook is laid out, for its next import."""
    require(actor, Action.CHANGE, org)
    obj = PayrollColumnMap.objects.select_for_update().filter(org=org).first() or PayrollColumnMap(org=org)
    before = audit.snapshot(obj) if obj.pk else None
    for name, value in mapping.as_dict().items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit.record(
        actor=actor,
        action="payroll_map.save",
        target=obj,
        org=org,
        before=before,
        after=audit.snapshot(obj),
    )
    return obj


@transaction.atomic
def payroll_import(
    *,
    actor: Any,
    org: Org,
    year: int,
    rows: Rows,
    mapping: ColumnMapping,
    filename: str,
    sha256: str,
) -> PayrollCheck:
    """Check the rows again and set every base with `dues_base_set`, or none: raises
    PayrollRejected naming the row when any row fails. One summary audit row besides the bases'."""
    check = check_payroll(actor=actor, org=org, year=year, rows=rows, mapping=mapping)
    if not check.ok:
        raise PayrollRejected(check)
    for row in check.rows:
        fixed = row.category in FIXED_CATEGORIES
        try:
            services.dues_base_set(
                actor=actor,
                membership=row.membership,
                year=year,
                category=row.category,
                base=None if fixed else row.base,
            )
        except ValidationError as exc:
            failed = PayrollCheck(mapping=mapping, headers=check.headers, row_count=check.row_count)
            for key, messages in exc.message_dict.items():
                name = _FIELD_OF_ERROR.get(key, "base")
                failed.errors.append(
                    RowError(row.number, name, check.headers.get(name, ""), " ".join(messages))
                )
            raise PayrollRejected(failed) from exc
    created = sum(1 for row in check.rows if row.previous is None)
    details = audit.Snapshot(
        year=year,
        rows=len(check.rows),
        created=created,
        replaced=len(check.rows) - created,
        file=filename,
        sha256=sha256,
        mapping=mapping.as_dict(),
    )
    audit.record(
        actor=actor,
        action="dues.payroll_import",
        org=org,
        target=org,
        after=details,
        message=_("%(count)s dues bases for %(year)s imported from %(file)s (SHA-256 %(hash)s)")
        % {"count": len(check.rows), "year": year, "file": filename, "hash": sha256[:16]},
    )
    return check
