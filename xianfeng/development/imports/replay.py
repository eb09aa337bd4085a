"""Replaying each row's steps through the development services, all rows in one transaction.

Every step goes through `services.step_record` with its historical date, so the rules in force on
that date apply and the person's status and key dates move as they would have (DEV-01…20). A row
stops at its first refusal (the later steps depend on it); the other rows are still replayed, each
in its own savepoint, so the preview lists every row's problem. The check is the same replay rolled
back at the end; the import keeps it only when no row has a problem.

A person recorded beyond the applicant stage (from the member import) without any development step
is first set back to applicant, with a reason in their history, and the steps move them forward
again; the row is refused unless they end at least where they were, with the same key dates. Steps
already recorded with the same date are skipped, so a file can be imported again after a fix.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.development import services
from xianfeng.development.checks import Proposed
from xianfeng.development.imports.layout import BY_KEY, KEY_DATE_COLUMNS
from xianfeng.development.imports.results import (
    DevelopmentImport,
    ImportRejected,
    ParsedRow,
    PlannedStep,
    Problem,
    RowResult,
)
from xianfeng.development.ruleset import rules_on
from xianfeng.development.steps import BY_CODE, Decision
from xianfeng.orgs.models import Org
from xianfeng.people import services as people_services
from xianfeng.people.choices import STATUS_ORDER, PoliticalStatus
from xianfeng.people.models import Membership

ACTION = "development.import"
_RULE = re.compile(r"DEV-\d+")
_STEP_OF_STATUS = {
    PoliticalStatus.ACTIVIST: "activist",
    PoliticalStatus.CANDIDATE: "candidate",
    PoliticalStatus.PROBATIONARY: "approval",
    PoliticalStatus.FULL: "conversion_approval",
}


class _RowFailed(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problems")
        self.problems = problems


class _Rollback(Exception):
    pass


def _header(key: str) -> str:
    column = BY_KEY.get(key)
    return column.header if column is not None else ""


def _column(step: PlannedStep | None, field: str) -> str:
    if field in KEY_DATE_COLUMNS:
        return _header(KEY_DATE_COLUMNS[field])
    if step is None:
        return ""
    return _header(f"{step.code}.{field}") or _header(step.code)


def _problem(
    row: ParsedRow,
    step: PlannedStep | None,
    field: str,
    message: str,
    rule: str = "",
    day: dt.date | None = None,
) -> Problem:
    found = _RULE.search(message)
    own_field = step is not None and field not in ("", NON_FIELD_ERRORS)  # the step's rule refused it
    rule = found.group(0) if found else rule or (BY_CODE[step.code].rule if own_field and step else "")
    day = step.date if step is not None else day or timezone.localdate()
    article = rules_on(day).citations.get(rule, "") if rule else ""
    return Problem(row.number, _column(step, field), message, rule, article, row.name)


def _refused(row: ParsedRow, step: PlannedStep | None, exc: ValidationError) -> _RowFailed:
    pairs = exc.message_dict.items() if hasattr(exc, "error_dict") else [("", exc.messages)]
    return _RowFailed([_problem(row, step, field, m) for field, messages in pairs for m in messages])


def _restart(actor: Any, membership: Membership, row: ParsedRow) -> None:
    """Set a person recorded without steps back to applicant, so the steps can move them forward."""
    application = next((s.date for s in row.steps if s.code == "application"), None)
    if application is None:
        message = _(
            "%(name)s is recorded as %(status)s without development steps: the history is replayed "
            "from the application; fill in its date."
        ) % {"name": row.name, "status": PoliticalStatus(membership.status).label}
        raise _RowFailed([Problem(row.number, _header("application"), message, person=row.name)])
    data: dict[str, Any] = {field: None for field in KEY_DATE_COLUMNS}
    data.update(status=PoliticalStatus.APPLICANT, application_date=membership.application_date or application)
    try:
        people_services.membership_update(
            actor=actor,
            membership=membership,
            data=data,
            reason=_("Development history imported: the steps are replayed from the application."),
        )
    except ValidationError as exc:
        raise _refused(row, None, exc) from exc


def _record(
    actor: Any, membership: Membership, row: ParsedRow, steps: list[PlannedStep], today: dt.date
) -> None:
    pks = {pk for step in steps for pk, _role in step.people}
    named = {m.pk: m for m in Membership.objects.select_related("person").filter(pk__in=pks)} if pks else {}
    for step in steps:
        people = [(named[pk], role) for pk, role in step.people]
        proposed = Proposed(code=step.code, date=step.date, people=people, **step.values)
        try:
            recorded = services.step_record(
                actor=actor, membership=membership, proposed=proposed, today=today
            )
        except ValidationError as exc:
            raise _refused(row, step, exc) from exc
        except PermissionDenied as exc:
            raise _RowFailed(
                [_problem(row, step, "", _("You may not change this person's records."))]
            ) from exc
        if BY_CODE[step.code].votes and recorded.decision == Decision.FAILED:
            message = _(
                "The vote did not pass: %(yes)s votes for, but more than half of the %(should)s voting "
                "members who should attend must vote for (%(rule)s)."
            ) % {
                "yes": step.values.get("votes_for"),
                "should": step.values.get("should_attend"),
                "rule": "DEV-13",
            }
            raise _RowFailed([_problem(row, step, "votes_for", message, "DEV-13")])


def _after(row: ParsedRow, before: Membership, after: Membership) -> list[Problem]:
    """The person ends at least where they were recorded, with the same key dates."""
    problems: list[Problem] = []
    if STATUS_ORDER.index(after.status) < STATUS_ORDER.index(before.status):
        following = PoliticalStatus(STATUS_ORDER[STATUS_ORDER.index(after.status) + 1])
        message = _(
            "%(name)s is recorded as %(recorded)s, but the steps in this row only reach %(reached)s; "
            "fill in the later steps, or correct the member record first."
        ) % {
            "name": row.name,
            "recorded": PoliticalStatus(before.status).label,
            "reached": PoliticalStatus(after.status).label,
        }
        problems.append(Problem(row.number, _header(_STEP_OF_STATUS[following]), message, person=row.name))
    for field in KEY_DATE_COLUMNS:
        old, new = getattr(before, field), getattr(after, field)
        if old is not None and new is not None and old != new:
            message = _(
                "The member record has %(recorded)s; the steps give %(given)s. Correct the file or the "
                "member record first."
            ) % {"recorded": old.isoformat(), "given": new.isoformat()}
            problems.append(_problem(row, None, field, message))
    given = row.conversion_date
    if given is not None and given != after.conversion_date:
        message = _(
            "The conversion date is the day probation ends (%(day)s), one year after the branch meeting "
            "accepted the member plus any extension (%(rule)s)."
        ) % {"day": after.conversion_date.isoformat() if after.conversion_date else "—", "rule": "DEV-20"}
        problems.append(_problem(row, None, "conversion_date", message, "DEV-20", after.conversion_date))
    return problems


def _replay(actor: Any, row: ParsedRow, today: dt.date) -> RowResult:
    membership = Membership.objects.select_related("person", "org").get(pk=row.membership_id)
    before = copy.copy(membership)
    existing = {(s.step, s.date) for s in services.valid_steps(membership)}
    planned = [s for s in row.steps if (s.code, s.date) not in existing]
    planned.sort(key=lambda s: (BY_CODE[s.code].number, s.date))
    if planned and not existing and membership.status != PoliticalStatus.APPLICANT:
        _restart(actor, membership, row)
    _record(actor, membership, row, planned, today)
    after = Membership.objects.get(pk=membership.pk)
    problems = _after(row, before, after)
    if problems:
        raise _RowFailed(problems)
    return RowResult(
        row.number,
        row.name,
        membership.org.name,
        len(planned),
        len(row.steps) - len(planned),
        str(PoliticalStatus(before.status).label),
        str(PoliticalStatus(after.status).label),
    )


def _common_org(rows: list[ParsedRow]) -> Org | None:
    """The deepest organization above every row's person: where the summary audit row is filed."""
    prefix = rows[0].org_path if rows else ""
    for row in rows[1:]:
        while not row.org_path.startswith(prefix):
            prefix = prefix[: -Org.steplen]
    return Org.objects.filter(path=prefix).first() if prefix else None


def _summary(
    actor: Any, result: DevelopmentImport, rows: list[ParsedRow], filename: str, sha256: str
) -> None:
    org = _common_org(rows)
    details = audit.Snapshot(
        rows=len(result.rows),
        steps=result.steps_recorded,
        skipped=sum(r.skipped for r in result.rows),
        file=filename,
        sha256=sha256,
    )
    audit.record(
        actor=actor,
        action=ACTION,
        org=org,
        target=org,
        after=details,
        message=_("%(steps)s development steps of %(rows)s people imported from %(file)s (SHA-256 %(hash)s)")
        % {"steps": result.steps_recorded, "rows": len(result.rows), "file": filename, "hash": sha256[:16]},
    )


def replay(
    *,
    actor: Any,
    rows: list[ParsedRow],
    result: DevelopmentImport,
    today: dt.date,
    commit: bool,
    filename: str = "",
    sha256: str = "",
) -> DevelopmentImport:
    """Replay every row; keep the changes only if `commit` and no row (nor `result`) has a problem."""
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    with transaction.atomic():
                        result.rows.append(_replay(actor, row, today))
                except _RowFailed as failed:
                    result.problems.extend(failed.problems)
            if not (commit and result.ok):
                raise _Rollback
            _summary(actor, result, rows, filename, sha256)
    except _Rollback:
        if commit:
            raise ImportRejected(result) from None
    return result
