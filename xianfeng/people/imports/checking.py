"""Checking every row: member rules, organizations in scope, duplicates in the file and the database."""

from __future__ import annotations

from typing import Any

from django.db.models import CharField, Q
from django.utils.translation import gettext as _

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, require
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.imports._cells import _Cells, _choice_table
from xianfeng.people.imports._common import _chunks
from xianfeng.people.imports.layout import HEADER_BY_FIELD, HEADERS
from xianfeng.people.imports.reading import read_workbook
from xianfeng.people.imports.results import ImportCheck, ParsedRow, RowError, Sheet
from xianfeng.people.models import Membership, Person
from xianfeng.people.services import build_member, member_errors

# --- Validation ------------------------------------------------------------------------------


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
