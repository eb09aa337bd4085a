"""Member import from Excel: read the workbook, validate every row, then write all rows at once.

The sheet layout (Chinese headers, Chinese choice labels) is data: it is what users fill in. Every
row is validated with the same rules as `member_create` (people.services.build_member and
member_errors) plus what only an import has: organizations named in a cell and within the
importer's scope, duplicates inside the file, and duplicates against the database found with one
batched look-up. Writing is one transaction with bulk inserts, so either every row is imported
(with its history line and its audit rows) or nothing is.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import CharField, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from xianfeng.core import audit
from xianfeng.core.context import current_context
from xianfeng.core.models import AuditEvent
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, require, scope_q
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import idcard
from xianfeng.people.choices import Education, Gender, MembershipEventKind, PoliticalStatus
from xianfeng.people.ethnicity import ETHNICITY_BY_NAME, ETHNICITY_CHOICES
from xianfeng.people.models import ImportBatch, ImportStatus, Membership, MembershipEvent, Person
from xianfeng.people.services import build_member, member_errors

MAX_ROWS = getattr(settings, "XIANFENG_IMPORT_MAX_ROWS", 20_000)
BATCH_TTL = dt.timedelta(hours=getattr(settings, "XIANFENG_IMPORT_BATCH_HOURS", 2))
LOOKUP_CHUNK = 10_000  # values per IN (…) look-up: one query for a 10,000-row file
_MAX_COLUMNS = 64


@dataclass(frozen=True)
class Column:
    header: str
    field: str
    kind: str
    required: bool = False
    note: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("姓名", "name", "text", True),
    Column("身份证号码", "id_number", "id_number", True, "18 位，请以文本格式填写"),
    Column("性别", "gender", "gender", False, "可不填，按身份证号码自动识别"),
    Column("民族", "ethnicity", "ethnicity", False, "如：汉族；不填为汉族"),
    Column("出生日期", "birth_date", "date", False, "可不填，按身份证号码自动识别"),
    Column("手机号码", "phone", "phone"),
    Column("学历", "education", "education"),
    Column("工号", "employee_no", "text"),
    Column("单位", "business_unit", "text"),
    Column("部门", "department", "text"),
    Column("岗位", "job_post", "text"),
    Column("入职日期", "hire_date", "date"),
    Column("所在组织(名称或编码)", "org", "org", True, "组织全称或组织编码，须在您的导入权限范围内"),
    Column("党小组", "party_group", "party_group", False, "所在组织下的党小组名称或编码"),
    Column("政治面貌", "status", "status", True),
    Column("申请入党日期", "application_date", "date"),
    Column("确定积极分子日期", "activist_date", "date"),
    Column("确定发展对象日期", "candidate_date", "date"),
    Column("接收预备党员日期", "admission_date", "date"),
    Column("转正日期", "conversion_date", "date"),
)
HEADERS = tuple(column.header for column in COLUMNS)
HEADER_BY_FIELD = {column.field: column.header for column in COLUMNS}
_HEADER_ALIASES = {"所在组织": "所在组织(名称或编码)", "所在组织（名称或编码）": "所在组织(名称或编码)"}

# The Chinese labels used in files (first one per value is the one we write); data, not UI text.
GENDER_NAMES = {Gender.MALE: "男", Gender.FEMALE: "女"}
EDUCATION_NAMES = {
    Education.DOCTORATE: "博士研究生",
    Education.MASTER: "硕士研究生",
    Education.BACHELOR: "大学本科",
    Education.COLLEGE: "大学专科",
    Education.SECONDARY_VOCATIONAL: "中专",
    Education.HIGH_SCHOOL: "高中",
    Education.JUNIOR_OR_BELOW: "初中及以下",
}
STATUS_NAMES = {
    PoliticalStatus.APPLICANT: "入党申请人",
    PoliticalStatus.ACTIVIST: "入党积极分子",
    PoliticalStatus.CANDIDATE: "发展对象",
    PoliticalStatus.PROBATIONARY: "预备党员",
    PoliticalStatus.FULL: "正式党员",
}
_ALIASES = {
    "education": {
        "博士": "doctorate",
        "硕士": "master",
        "本科": "bachelor",
        "大专": "college",
        "初中": "junior_or_below",
    },
    "status": {"积极分子": "activist", "中共预备党员": "probationary", "中共党员": "full", "党员": "full"},
}
DATE_FORMATS_HELP = "2020-01-02、2020/1/2、2020.01.02 或 Excel 日期"
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


class ImportFileError(Exception):
    """The file as a whole cannot be read: not an .xlsx, damaged, too large, too many rows…"""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    column: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "column": self.column, "message": self.message}


@dataclass
class ParsedRow:
    number: int
    person: Person
    membership: Membership


@dataclass
class Sheet:
    """The cells read from a workbook: header positions and the non-empty rows with their numbers.

    This, not the file, is what a batch keeps between the preview and the confirmation (as JSON,
    encrypted): the confirmation validates again exactly the values the user saw checked.
    """

    positions: dict[str, int]
    rows: list[tuple[int, Sequence[Any]]]

    def to_json(self) -> str:
        return json.dumps(
            {
                "positions": self.positions,
                "rows": [[n, [_json_cell(c) for c in row]] for n, row in self.rows],
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> Sheet:
        data = json.loads(text)
        return cls(positions=data["positions"], rows=[(n, row) for n, row in data["rows"]])


def _json_cell(value: Any) -> Any:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value)


@dataclass
class ImportCheck:
    """The outcome of reading and validating a file: rows ready to write, or errors."""

    sheet: Sheet | None = None
    row_count: int = 0
    rows: list[ParsedRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.row_count > 0 and not self.errors


class ImportRejected(Exception):
    def __init__(self, check: ImportCheck) -> None:
        super().__init__(f"{len(check.errors)} errors")
        self.check = check


# --- Reading ---------------------------------------------------------------------------------


def too_large_message() -> str:
    return _("The file is larger than %(mb)s MB.") % {"mb": settings.XIANFENG_IMPORT_MAX_BYTES // 1024**2}


def read_workbook(data: bytes, *, max_rows: int = MAX_ROWS) -> Sheet:
    """The header positions and the non-empty data rows (Excel row number, cell values)."""
    if len(data) > settings.XIANFENG_IMPORT_MAX_BYTES:
        raise ImportFileError(too_large_message())
    if data[:4] == b"\xd0\xcf\x11\xe0":
        raise ImportFileError(_("This is an old Excel (.xls) file; save it as .xlsx and upload it again."))
    if data[:4] != b"PK\x03\x04":
        raise ImportFileError(_("The file is not an Excel workbook (.xlsx)."))
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for damaged archives and XML
        raise ImportFileError(_("The file cannot be read as an Excel workbook; it may be damaged.")) from exc
    try:
        return _read_sheet(workbook.worksheets[0], max_rows)
    except ImportFileError:
        raise
    except Exception as exc:  # damaged XML inside a valid archive surfaces only while iterating
        raise ImportFileError(_("The file cannot be read as an Excel workbook; it may be damaged.")) from exc
    finally:
        workbook.close()


def _read_sheet(sheet: Any, max_rows: int) -> Sheet:
    sheet.reset_dimensions()
    values = sheet.iter_rows(values_only=True, max_col=_MAX_COLUMNS)
    header_row = next(values, None) or ()
    positions: dict[str, int] = {}
    for index, cell in enumerate(header_row):
        name = str(cell).strip().strip("*") if cell is not None else ""
        name = _HEADER_ALIASES.get(name, name)
        if name in HEADER_BY_FIELD.values() and name not in positions:
            positions[name] = index
    missing = [column.header for column in COLUMNS if column.required and column.header not in positions]
    if missing:
        raise ImportFileError(
            _("The first row must hold the column headers of the template; missing: %(columns)s.")
            % {"columns": "、".join(missing)}
        )
    rows: list[tuple[int, Sequence[Any]]] = []
    for number, row in enumerate(values, start=2):
        if all(cell is None or (isinstance(cell, str) and not cell.strip()) for cell in row):
            continue
        if len(rows) >= max_rows:
            raise ImportFileError(
                _("The file has more than %(max)s member rows; split it into smaller files.")
                % {"max": max_rows}
            )
        rows.append((number, row))
    if not rows:
        raise ImportFileError(_("The file has no member rows under the headers."))
    return Sheet(positions, rows)


# --- Cell values -----------------------------------------------------------------------------


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def parse_date(value: Any) -> dt.date | None:
    """An Excel date, an Excel serial number, or text like 2020-01-02, 2020/1/2, 2020.01.02."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        converted = from_excel(value)
        return converted.date() if isinstance(converted, dt.datetime) else None
    match = _DATE_RE.match(str(value).strip())
    if match:
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            pass
    raise ValueError(_("Not a valid date; write it as %(formats)s.") % {"formats": DATE_FORMATS_HELP})


def _choice_table(kind: str) -> dict[str, str]:
    """Accepted spellings → stored value: Chinese labels, aliases, codes and UI labels."""
    if kind == "ethnicity":
        table = dict(ETHNICITY_BY_NAME)
        table.update({code: code for code, _name in ETHNICITY_CHOICES})
        table.update({str(int(code)): code for code, _name in ETHNICITY_CHOICES})
        return table
    tables: dict[str, tuple[dict[Any, str], type[models.TextChoices]]] = {
        "gender": (GENDER_NAMES, Gender),
        "education": (EDUCATION_NAMES, Education),
        "status": (STATUS_NAMES, PoliticalStatus),
    }
    names, enum = tables[kind]
    table = {label: str(value) for value, label in names.items()}
    table.update(_ALIASES.get(kind, {}))
    for value, label in enum.choices:
        table.setdefault(str(value), str(value))
        table.setdefault(str(label).lower(), str(value))
        with override("zh-hans"):
            table.setdefault(str(enum(value).label), str(value))
    return table


def allowed_values(kind: str) -> list[str]:
    """The spellings to show users (the Chinese label of each value)."""
    if kind == "ethnicity":
        return [name for _code, name in ETHNICITY_CHOICES]
    names: dict[str, dict[Any, str]] = {
        "gender": GENDER_NAMES,
        "education": EDUCATION_NAMES,
        "status": STATUS_NAMES,
    }
    return list(names[kind].values())


class _Cells:
    """Converts one row's cells; conversion errors are collected per field."""

    def __init__(self, positions: dict[str, int], tables: dict[str, dict[str, str]]) -> None:
        self.positions = positions
        self.tables = tables

    def convert(self, row: Sequence[Any]) -> tuple[dict[str, Any], dict[str, str]]:
        values: dict[str, Any] = {}
        errors: dict[str, str] = {}
        for column in COLUMNS:
            index = self.positions.get(column.header)
            raw = row[index] if index is not None and index < len(row) else None
            try:
                value = self._convert(column, raw)
            except ValueError as exc:
                errors[column.field] = str(exc)
                continue
            if value not in (None, ""):
                values[column.field] = value
        return values, errors

    def _convert(self, column: Column, raw: Any) -> Any:
        if column.kind == "date":
            return parse_date(raw)
        if column.kind == "id_number" and isinstance(raw, int | float) and not isinstance(raw, bool):
            raise ValueError(_("Enter the ID number as text: Excel rounds long numbers."))
        text = _text(raw)
        if column.kind == "id_number":
            return idcard.normalize(text)
        if column.kind in self.tables and text:
            value = self.tables[column.kind].get(text) or self.tables[column.kind].get(text.lower())
            if value is None:
                raise ValueError(
                    _("Unknown value “%(value)s”; allowed: %(allowed)s.")
                    % {"value": text, "allowed": "、".join(allowed_values(column.kind))}
                )
            return value
        return text


# --- Validation ------------------------------------------------------------------------------


def _chunks(values: Sequence[Any], size: int = LOOKUP_CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


class _OrgResolver:
    """Organizations named in the file (name or code), found in two queries for the whole file."""

    def __init__(self, actor: Any, org_values: set[str], group_values: set[str]) -> None:
        self.actor = actor
        self.by_code: dict[str, Org] = {}
        self.by_name: dict[str, list[Org]] = {}
        for org in Org.objects.filter(Q(code__in=org_values) | Q(name__in=org_values)):
            self.by_code[org.code] = org
            self.by_name.setdefault(org.name, []).append(org)
        self.groups: dict[tuple[str, str], Org] = {}
        if group_values:
            groups = Org.objects.filter(org_type=OrgType.PARTY_GROUP).filter(
                Q(code__in=group_values) | Q(name__in=group_values)
            )
            for group in groups:
                parent_path = group.path[: -Org.steplen]
                self.groups[(parent_path, group.code)] = group
                self.groups.setdefault((parent_path, group.name), group)

    def org(self, value: str) -> tuple[Org | None, str]:
        candidates = [self.by_code[value]] if value in self.by_code else self.by_name.get(value, [])
        if not candidates:
            return None, _("Unknown organization “%(value)s”; use its full name or its code.") % {
                "value": value
            }
        allowed = [org for org in candidates if can(self.actor, Action.IMPORT, org)]
        if not allowed:
            return None, _("“%(value)s” is outside the organizations you may import into.") % {"value": value}
        if len(allowed) > 1:
            return None, _("Several organizations are named “%(value)s”; use the code instead.") % {
                "value": value
            }
        return allowed[0], ""

    def group(self, org: Org, value: str) -> tuple[Org | None, str]:
        group = self.groups.get((org.path, value))
        if group is None:
            return None, _("“%(org)s” has no party group “%(value)s”.") % {"org": org.name, "value": value}
        return group, ""


def _placeholder_org() -> Org:
    """Stands in for an unresolved organization so the other rules still run on the row."""
    return Org(name="", code="", org_type=OrgType.BRANCH, path="")


def check_sheet(*, actor: Any, sheet: Sheet) -> ImportCheck:
    """Validate every row; nothing is written. Look-ups are batched over the whole file."""
    require(actor, Action.IMPORT, None)
    cells = _Cells(
        sheet.positions,
        {kind: _choice_table(kind) for kind in ("gender", "ethnicity", "education", "status")},
    )
    converted = [(number, *cells.convert(row)) for number, row in sheet.rows]
    resolver = _OrgResolver(
        actor,
        {values["org"] for _n, values, _e in converted if "org" in values},
        {values["party_group"] for _n, values, _e in converted if "party_group" in values},
    )
    check = ImportCheck(sheet=sheet, row_count=len(sheet.rows))
    for number, values, errors in converted:
        person, membership, errors = _check_row(resolver, values, errors)
        check.rows.append(ParsedRow(number, person, membership))
        check.errors.extend(_row_errors(number, errors))
    _check_duplicates(check)
    check.errors.sort(key=lambda error: (error.row, HEADERS.index(error.column) if error.column else -1))
    return check


def _check_row(
    resolver: _OrgResolver, values: dict[str, Any], errors: dict[str, str]
) -> tuple[Person, Membership, dict[str, str]]:
    org: Org | None = None
    group: Org | None = None
    if "org" in values:
        org, message = resolver.org(values["org"])
        if message:
            errors.setdefault("org", message)
    if org is not None and "party_group" in values:
        group, message = resolver.group(org, values["party_group"])
        if message:
            errors.setdefault("party_group", message)
    data = {k: v for k, v in values.items() if k not in ("org", "party_group")}
    person, membership = build_member(
        org=org or _placeholder_org(), person_data=data, membership_data={**data, "party_group": group}
    )
    for key, message in member_errors(person, membership, check_duplicates=False).items():
        if org is None and key in ("org", "party_group"):
            continue
        errors.setdefault(key, message)
    _field_errors(person, errors)
    if "org" not in values:
        errors.setdefault("org", _("Choose the organization."))
    return person, membership, errors


def _max_lengths() -> list[tuple[str, int]]:
    return [
        (f.name, f.max_length)
        for f in Person._meta.get_fields()
        if isinstance(f, CharField) and f.max_length and f.name in HEADER_BY_FIELD
    ]


def _field_errors(person: Person, errors: dict[str, str]) -> None:
    """Text longer than its column allows (types, choices and required values are checked already)."""
    for name, limit in _max_lengths():
        if len(getattr(person, name) or "") > limit:
            errors.setdefault(name, _("At most %(max)s characters.") % {"max": limit})


def _row_errors(number: int, errors: dict[str, str]) -> list[RowError]:
    return [RowError(number, key, HEADER_BY_FIELD.get(key, ""), message) for key, message in errors.items()]


def _check_duplicates(check: ImportCheck) -> None:
    """Duplicates inside the file, then against the database in batched look-ups."""
    failed_ids = {(error.row) for error in check.errors if error.field == "id_number"}
    seen_ids: dict[str, int] = {}
    seen_staff: dict[tuple[str, str], int] = {}
    for row in check.rows:
        person = row.person
        if row.number not in failed_ids:
            first = seen_ids.setdefault(person.id_number_hash, row.number)
            if first != row.number:
                check.errors.append(
                    _dup(row.number, "id_number", _("The same ID number is also on row %(row)s."), first)
                )
        if person.employee_no:
            first = seen_staff.setdefault((person.employee_no, person.business_unit), row.number)
            if first != row.number:
                check.errors.append(
                    _dup(
                        row.number,
                        "employee_no",
                        _("The same employee number and unit are also on row %(row)s."),
                        first,
                    )
                )
    _check_database_duplicates(check, failed_ids)


def _dup(number: int, key: str, message: str, first: int) -> RowError:
    return RowError(number, key, HEADER_BY_FIELD[key], message % {"row": first})


def _check_database_duplicates(check: ImportCheck, failed_ids: set[int]) -> None:
    hashes = [row.person.id_number_hash for row in check.rows if row.number not in failed_ids]
    existing: set[str] = set()
    for chunk in _chunks(sorted(set(hashes))):
        existing.update(
            Person.objects.filter(id_number_hash__in=chunk).values_list("id_number_hash", flat=True)
        )
    staff_numbers = sorted({row.person.employee_no for row in check.rows if row.person.employee_no})
    existing_staff: set[tuple[str, str]] = set()
    for chunk in _chunks(staff_numbers):
        existing_staff.update(
            Person.objects.filter(employee_no__in=chunk).values_list("employee_no", "business_unit")
        )
    for row in check.rows:
        person = row.person
        if row.number not in failed_ids and person.id_number_hash in existing:
            check.errors.append(
                RowError(
                    row.number,
                    "id_number",
                    HEADER_BY_FIELD["id_number"],
                    _("A person with this ID number is already recorded."),
                )
            )
        if person.employee_no and (person.employee_no, person.business_unit) in existing_staff:
            check.errors.append(
                RowError(
                    row.number,
                    "employee_no",
                    HEADER_BY_FIELD["employee_no"],
                    _("This employee number is already used in this business unit."),
                )
            )


def import_check(*, actor: Any, data: bytes) -> ImportCheck:
    """Read and validate a workbook without writing anything (the preview and `dry_run`)."""
    require(actor, Action.IMPORT, None)
    return check_sheet(actor=actor, sheet=read_workbook(data))


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
