"""Rows to planned steps: the person (ID number or code, within the importer's scope), the dates,
and the people and committees named on steps. Look-ups are batched over the whole file: the
people, then the people named, then the committees (three queries).

People named on a step (talkers, contacts, sponsors) and approving committees are found among what
the importer may see and, above the person's branch, the committees and their members (the
higher committee talks and approves), as in the API.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from xianfeng.core import crypto
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, scope_q
from xianfeng.development.imports import reading
from xianfeng.development.imports.layout import BY_KEY, COLUMNS, PEOPLE_ROLES
from xianfeng.development.imports.results import DevelopmentImport, ParsedRow, PlannedStep, Problem
from xianfeng.development.steps import BY_CODE, STEPS, Decision
from xianfeng.orgs.models import Org
from xianfeng.people.imports import Sheet
from xianfeng.people.models import Membership


@dataclass
class _Step:
    code: str
    date: dt.date
    values: dict[str, Any] = field(default_factory=dict)
    people: list[str] = field(default_factory=list)
    org: str = ""


@dataclass
class _Row:
    number: int
    name: str = ""
    id_hash: str = ""
    code: uuid.UUID | None = None
    steps: list[_Step] = field(default_factory=list)
    conversion_date: dt.date | None = None
    problems: list[Problem] = field(default_factory=list)

    def problem(self, key: str, message: str) -> None:
        self.problems.append(
            Problem(self.number, BY_KEY[key].header if key else "", message, person=self.name)
        )


def ancestors(path: str) -> list[str]:
    return [path[:end] for end in range(Org.steplen, len(path), Org.steplen)]


def _decision(code: str) -> str:
    return Decision.PASSED if Decision.PASSED in BY_CODE[code].decisions else Decision.DONE


_CONVERTERS: dict[str, Callable[[Any], Any]] = {
    "int": reading.parse_count,
    "decimal": reading.parse_days,
    "text": reading.text,
}


def _read_row(number: int, cells: Sequence[Any], positions: dict[str, int]) -> _Row | None:
    def cell(key: str) -> Any:
        index = positions.get(key)
        return cells[index] if index is not None and index < len(cells) else None

    row = _Row(number, name=reading.text(cell("name")))
    for step in STEPS:
        _read_step(row, step.code, cell)
    if not reading.blank(cell("conversion_date")):
        try:
            row.conversion_date = reading.parse_dates(cell("conversion_date"))[0]
        except ValueError as exc:
            row.problem("conversion_date", str(exc))
    if not row.steps and not row.problems:
        return None  # a person without dates: nothing to record
    if not reading.blank(cell("id_number")):
        try:
            row.id_hash = crypto.lookup_hash(reading.parse_id_number(cell("id_number")))
        except ValueError as exc:
            row.problem("id_number", str(exc))
    if not reading.blank(cell("code")):
        try:
            row.code = reading.parse_code(cell("code"))
        except ValueError as exc:
            row.problem("code", str(exc))
    if reading.blank(cell("id_number")) and reading.blank(cell("code")):
        row.problem("id_number", _("Give the person's ID number or their code."))
    return row


def _read_step(row: _Row, code: str, cell: Callable[[str], Any]) -> None:
    extras = [c for c in COLUMNS if c.step == code and c.key != code]
    raw = cell(code)
    if reading.blank(raw):
        for column in extras:
            if not reading.blank(cell(column.key)):
                row.problem(
                    column.key,
                    _("This column belongs to the step “%(step)s”; fill in its date (%(date)s) or clear it.")
                    % {"step": BY_CODE[code].label, "date": BY_KEY[code].header},
                )
        return
    try:
        dates = sorted(set(reading.parse_dates(raw)))
    except ValueError as exc:
        row.problem(code, str(exc))
        return
    values: dict[str, Any] = {"decision": _decision(code)}
    people: list[str] = []
    org = ""
    for column in extras:
        value = cell(column.key)
        if reading.blank(value):
            continue
        if column.kind == "people":
            people = reading.split_people(value)
        elif column.kind == "org":
            org = reading.text(value)
        else:
            try:
                values[column.field] = _CONVERTERS[column.kind](value)
            except ValueError as exc:
                row.problem(column.key, str(exc))
    for day in dates:
        row.steps.append(_Step(code, day, dict(values), people, org))


# --- Look-ups -------------------------------------------------------------------------------------


class _Lookups:
    def __init__(self, actor: Any, rows: list[_Row]) -> None:
        self.actor = actor
        hashes = {r.id_hash for r in rows if r.id_hash}
        codes = {r.code for r in rows if r.code}
        self.by_hash: dict[str, Membership] = {}
        self.by_code: dict[uuid.UUID, Membership] = {}
        found = Membership.objects.restrict(actor, Action.VIEW).filter(
            Q(person__id_number_hash__in=hashes) | Q(code__in=codes)
        )
        for m in found.select_related("person", "org") if hashes or codes else ():
            self.by_hash[m.person.id_number_hash] = m
            self.by_code[m.code] = m
        self._load_named(rows)

    def _load_named(self, rows: list[_Row]) -> None:
        tokens = {t for r in rows for s in r.steps for t in s.people}
        names = {t for t in tokens if not reading.looks_like_id_number(t)}
        hashes: dict[str, str] = {}
        for token in tokens - names:
            try:
                hashes[token] = crypto.lookup_hash(reading.parse_id_number(token))
            except ValueError:
                names.add(token)
        self.token_hash = hashes
        above = {p for m in self.by_hash.values() for p in ancestors(m.org.path)}
        above |= {p for m in self.by_code.values() for p in ancestors(m.org.path)}
        reach = scope_q(self.actor, Action.VIEW, "org__path") | Q(org__path__in=above)
        self.named: dict[str, list[Membership]] = defaultdict(list)
        if tokens:
            pool = Membership.objects.filter(
                Q(person__name__in=names) | Q(person__id_number_hash__in=set(hashes.values()))
            ).filter(reach)
            for m in pool.select_related("person", "org"):
                self.named[m.person.name].append(m)
                self.named[m.person.id_number_hash].append(m)
        org_values = {s.org for r in rows for s in r.steps if s.org}
        self.orgs: dict[str, list[Org]] = defaultdict(list)
        for org in Org.objects.filter(Q(code__in=org_values) | Q(name__in=org_values)) if org_values else ():
            self.orgs[org.code].append(org)
            if org.name != org.code:
                self.orgs[org.name].append(org)

    def reachable(self, org: Org, person_org: Org) -> bool:
        return org.path in ancestors(person_org.path) or can(self.actor, Action.VIEW, org)

    def person(self, row: _Row) -> Membership | None:
        by_hash = self.by_hash.get(row.id_hash) if row.id_hash else None
        by_code = self.by_code.get(row.code) if row.code else None
        if row.id_hash and by_hash is None:
            row.problem("id_number", _("Nobody you may see has this ID number."))
        if row.code and by_code is None:
            row.problem("code", _("Nobody you may see has this code."))
        if by_hash and by_code and by_hash.pk != by_code.pk:
            row.problem("code", _("The ID number and the code name different people."))
        membership = by_hash or by_code
        if membership is None or row.problems:
            return None
        if row.name and "".join(row.name.split()) != "".join(membership.person.name.split()):
            row.problem(
                "name",
                _("The name “%(name)s” does not match the person recorded (%(recorded)s).")
                % {"name": row.name, "recorded": membership.person.name},
            )
        if not can(self.actor, Action.CHANGE, membership.org):
            row.problem(
                "id_number" if row.id_hash else "code", _("You may not change this person's records.")
            )
        return membership

    def named_person(self, row: _Row, step: _Step, token: str, person_org: Org) -> Membership | None:
        key = self.token_hash.get(token, token)
        found = {m.pk: m for m in self.named.get(key, []) if self.reachable(m.org, person_org)}
        if len(found) == 1:
            return next(iter(found.values()))
        column = f"{step.code}.people"
        if found:
            row.problem(
                column,
                _("Several people are named “%(name)s”; write the ID number instead.") % {"name": token},
            )
        else:
            row.problem(
                column,
                _("Unknown person “%(name)s”: nobody you may see has this name or ID number.")
                % {"name": token},
            )
        return None

    def approving_org(self, row: _Row, step: _Step, person_org: Org) -> Org | None:
        found = [o for o in self.orgs.get(step.org, []) if self.reachable(o, person_org)]
        if len(found) == 1:
            return found[0]
        column = f"{step.code}.approving_org"
        if found:
            row.problem(
                column,
                _("Several organizations are named “%(value)s”; use the code instead.") % {"value": step.org},
            )
        else:
            row.problem(
                column,
                _("Unknown organization “%(value)s”; use its full name or its code.") % {"value": step.org},
            )
        return None


def _resolve(lookups: _Lookups, row: _Row, seen: dict[int, int]) -> ParsedRow | None:
    membership = lookups.person(row)
    if membership is None:
        return None
    first = seen.setdefault(membership.pk, row.number)
    if first != row.number:
        row.problem(
            "id_number" if row.id_hash else "code",
            _("The same person is also on row %(row)s.") % {"row": first},
        )
        return None
    parsed = ParsedRow(row.number, membership.person.name, membership.pk, membership.org.path)
    parsed.conversion_date = row.conversion_date
    for step in row.steps:
        planned = PlannedStep(step.code, step.date, dict(step.values))
        for token in step.people:
            named = lookups.named_person(row, step, token, membership.org)
            if named is not None:
                planned.people.append((named.pk, PEOPLE_ROLES[step.code]))
        if step.org:
            planned.values["approving_org"] = lookups.approving_org(row, step, membership.org)
        parsed.steps.append(planned)
    return None if row.problems else parsed


def parse_rows(*, actor: Any, sheet: Sheet, result: DevelopmentImport) -> list[ParsedRow]:
    """The rows ready to replay; every cell and look-up problem goes to `result`."""
    rows = [_read_row(number, cells, sheet.positions) for number, cells in sheet.rows]
    kept = [r for r in rows if r is not None]
    result.row_count, result.empty_rows = len(kept), len(rows) - len(kept)
    lookups = _Lookups(actor, [r for r in kept if not r.problems])
    seen: dict[int, int] = {}
    parsed: list[ParsedRow] = []
    for row in kept:
        ready = None if row.problems else _resolve(lookups, row, seen)
        if ready is not None:
            parsed.append(ready)
        result.problems.extend(row.problems)
    return parsed
