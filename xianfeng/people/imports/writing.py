"""Writing the checked rows: one transaction of bulk inserts with history lines and audit rows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.context import current_context
from xianfeng.core.models import AuditEvent
from xianfeng.core.roles import Action
from xianfeng.core.scoping import scope_q
from xianfeng.orgs.models import Org
from xianfeng.people.choices import MembershipEventKind
from xianfeng.people.imports._common import _chunks
from xianfeng.people.imports.checking import check_sheet
from xianfeng.people.imports.results import ImportCheck, ImportRejected, ParsedRow, Sheet
from xianfeng.people.models import ImportBatch, Membership, MembershipEvent, Person

# --- Writing ---------------------------------------------------------------------------------


@transaction.atomic
def members_import(*, actor: Any, sheet: Sheet, batch: ImportBatch) -> ImportCheck:
    """Validate the rows again and write every one, or none: raises ImportRejected on any error."""
    check = check_sheet(actor=actor, sheet=sheet)
    if not check.ok:
        raise ImportRejected(check)
    _write(actor, check.rows)
    orgs = {row.membership.org.path: row.membership.org for row in check.rows}
    audit.record(
        actor=actor,
        action="members.import",
        target=batch,
        org=_common_ancestor(list(orgs)),
        message=_("%(count)s members imported from %(file)s (SHA-256 %(hash)s)")
        % {"count": len(check.rows), "file": batch.filename, "hash": batch.sha256[:16]},
    )
    return check


def _write(actor: Any, rows: list[ParsedRow]) -> None:
    """Bulk inserts: people, memberships, their history lines and two audit rows per member."""
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    actor_name = user.get_username() if user is not None else "system"
    people = [row.person for row in rows]
    _fill_pks(Person, Person.objects.bulk_create(people, batch_size=500))
    memberships = []
    for row in rows:
        row.membership.person = row.person
        memberships.append(row.membership)
    _fill_pks(Membership, Membership.objects.bulk_create(memberships, batch_size=500))
    _insert_history(actor_name, memberships)
    _insert_audit_rows(user, rows)
    _ensure_in_scope(actor, [membership.pk for membership in memberships])


def _fill_pks(model: type[Any], objs: list[Any]) -> None:
    """Primary keys come back from bulk inserts on PostgreSQL and SQLite ≥ 3.35; else look them up."""
    missing = [obj for obj in objs if obj.pk is None]
    if missing:
        for chunk in _chunks(missing):
            pks = dict(model.objects.filter(code__in=[obj.code for obj in chunk]).values_list("code", "pk"))
            for obj in chunk:
                obj.pk = pks[obj.code]


def _insert(model: type[Any], columns: Sequence[str], params: list[list[Any]]) -> None:
    """INSERT rows with executemany: rows that need no primary key back and no model instance.

    Compiling tens of thousands of ORM inserts was half of an import's time; the values here are
    prepared by the model's own fields, so they are stored exactly as the ORM would store them.
    """
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(name).column) for name in columns)
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    with connection.cursor() as cursor:
        for chunk in _chunks(params, 2000):
            cursor.executemany(sql, chunk)


def _prep(model: type[Any], name: str, value: Any) -> Any:
    return model._meta.get_field(name).get_db_prep_save(value, connection)


def _insert_history(actor_name: str, memberships: list[Membership]) -> None:
    """The "recorded" history line `member_create` writes, for every imported membership."""
    columns = (
        "membership",
        "kind",
        "date",
        "from_status",
        "to_status",
        "to_org",
        "reason",
        "actor_name",
        "created",
    )
    today = _prep(MembershipEvent, "date", timezone.localdate())
    now = _prep(MembershipEvent, "created", timezone.now())
    kind = MembershipEventKind.JOINED.value
    params = [[m.pk, kind, today, "", m.status, m.org_id, "", actor_name, now] for m in memberships]
    _insert(MembershipEvent, columns, params)


_AUDIT_COLUMNS = (
    "time",
    "actor",
    "actor_name",
    "request_id",
    "source",
    "ip",
    "org",
    "action",
    "target_type",
    "target_id",
    "target_repr",
    "message",
    "after",
)


def _insert_audit_rows(user: Any, rows: list[ParsedRow]) -> None:
    """The rows `audit.record` writes for each created person and membership (censored snapshots)."""
    ctx = current_context()
    constant = [
        _prep(AuditEvent, "time", timezone.now()),
        user.pk if user is not None else None,
        (user.get_username() if user is not None else "system")[:150],
        _prep(AuditEvent, "request_id", ctx.request_id),
        ctx.source,
        _prep(AuditEvent, "ip", ctx.ip),
    ]
    after_field = AuditEvent._meta.get_field("after")
    params = []
    for row in rows:
        for action, target in (("person.create", row.person), ("membership.create", row.membership)):
            after = after_field.get_db_prep_save(_censored(audit.snapshot(target)), connection)
            params.append(
                [
                    *constant,
                    row.membership.org_id,
                    action,
                    target._meta.label_lower,
                    str(target.code),
                    str(row.person)[:200],
                    "",
                    after,
                ]
            )
    _insert(AuditEvent, _AUDIT_COLUMNS, params)


def _censored(snap: audit.Snapshot) -> dict[str, Any]:
    """What `audit.record` stores for a creation: sensitive values replaced by the censor token."""
    stored = dict(snap)
    for name in snap.sensitive:
        stored[name] = audit.CENSOR_TOKEN if stored.get(name) else ""
    return stored


def _ensure_in_scope(actor: Any, pks: list[int]) -> None:
    """After the write, inside the transaction: every new membership is in the importer's scope."""
    if actor is None:
        return
    # Read back where the rows landed, then check those few orgs (not 10,000 rows) against the scope.
    org_ids: set[int] = set()
    for chunk in _chunks(pks):
        org_ids.update(Membership.objects.filter(pk__in=chunk).values_list("org_id", flat=True).distinct())
    allowed = Org.objects.filter(pk__in=org_ids).filter(scope_q(actor, Action.IMPORT, "path")).count()
    if allowed != len(org_ids):
        raise PermissionDenied("the import would write outside your scope")


def _common_ancestor(paths: list[str]) -> Org | None:
    if not paths:
        return None
    prefix = paths[0]
    for path in paths[1:]:
        while not path.startswith(prefix):
            prefix = prefix[: -Org.steplen]
    return Org.objects.filter(path=prefix).first() if prefix else None
