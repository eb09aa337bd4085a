"""The only writers of schemes and entries. Each write is validated, scoped and audited in the same
transaction; errors name the field and the rule, and a refused write leaves nothing behind."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership
from xianfeng.scoring import catalogue, validation
from xianfeng.scoring.access import may_evaluate
from xianfeng.scoring.choices import (
    CLOSED_STATES,
    DimensionKind,
    EntrySource,
    EntryStatus,
    SchemeStatus,
    SubjectType,
)
from xianfeng.scoring.models import Dimension, Entry, Item, Period, Scheme
from xianfeng.scoring.selectors import subject_memberships, subject_orgs

A_SCHEME_CREATE = "scoring.scheme_create"
A_SCHEME_UPDATE = "scoring.scheme_update"
A_SCHEME_ACTIVATE = "scoring.scheme_activate"
A_ENTRY_CREATE = "scoring.entry_create"
A_ENTRY_APPROVE = "scoring.entry_approve"
A_ENTRY_REJECT = "scoring.entry_reject"
A_CELL = "scoring.cell_save"
A_IMPORT = "scoring.scores_import"

SCHEME_FIELDS = (
    "name",
    "subject_type",
    "period_kind",
    "aggregation",
    "base_points",
    "carry_over",
    "visibility",
    "grade_bands",
    "veto_grade",
    "outcome_rules",
)


class Conflict(ValidationError):
    """A grid cell changed since the evaluator loaded it (optimistic versioning): nothing was written;
    `current` holds the cell as it is now."""

    def __init__(self, message: str, current: Entry | None) -> None:
        super().__init__({"points": message}, code="conflict")
        self.current = current


def _d(value: Any, field: str) -> Decimal:
    number = validation.decimal_or_none(value, field)
    if number is None:
        raise ValidationError({field: _("Enter a number.")})
    return number


def _normalise_dims(raw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    dims = []
    for order, d in enumerate(raw, start=1):
        kind = d.get("kind")
        if kind not in DimensionKind.values:
            raise ValidationError({"dimensions": _("Unknown dimension kind: %(kind)s.") % {"kind": kind}})
        items = [
            {
                "code": str(i["code"]),
                "name": str(i["name"]),
                "points_min": _d(i["points_min"], "items"),
                "points_max": _d(i["points_max"], "items"),
                "cap": validation.decimal_or_none(i.get("cap"), "items"),
                "award_once": bool(i.get("award_once")),
                "source": i.get("source") or EntrySource.MANUAL,
            }
            for i in d.get("items", [])
        ]
        dims.append(
            {
                "code": str(d.get("code") or "").strip(),
                "name": str(d.get("name") or "").strip(),
                "kind": kind,
                "maximum": validation.decimal_or_none(d.get("maximum"), "dimensions") or Decimal(0),
                "weight": validation.decimal_or_none(d.get("weight"), "dimensions"),
                "evaluator_role": d.get("evaluator_role") or "",
                "evaluator_department": (d.get("evaluator_department") or "").strip(),
                "order": order,
                "items": items,
            }
        )
    if any(not d["code"] or not d["name"] for d in dims):
        raise ValidationError({"dimensions": _("Each dimension needs a code and a name.")})
    return dims


def _validate(fields: dict[str, Any], dims: list[dict[str, Any]]) -> None:
    validation.validate_dimensions(fields["aggregation"], dims)
    validation.validate_items(dims)
    validation.validate_bands(fields.get("grade_bands") or [])
    validation.validate_rules(fields.get("outcome_rules") or [])


def _write_dims(scheme: Scheme, dims: list[dict[str, Any]]) -> None:
    """Create or update dimensions and items by code; one that is gone may go only if it has no entries."""
    existing = {d.code: d for d in scheme.dimensions.all()}
    wanted = {d["code"] for d in dims}
    for code, dim in existing.items():
        if code not in wanted:
            if dim.entries.exists():
                raise ValidationError(
                    {
                        "dimensions": _("Dimension “%(name)s” has entries and cannot be removed.")
                        % {"name": dim.name}
                    }
                )
            dim.delete()
    for d in dims:
        fields = {
            k: d[k]
            for k in ("name", "kind", "maximum", "weight", "evaluator_role", "evaluator_department", "order")
        }
        found = existing.get(d["code"])
        if found is None:
            found = Dimension.objects.create(scheme=scheme, code=d["code"], **fields)
        else:
            for k, v in fields.items():
                setattr(found, k, v)
            found.save()
        items = {i.code: i for i in found.items.all()}
        for i in d["items"]:
            item = items.get(i["code"]) or Item(dimension=found, code=i["code"])
            for k in ("name", "points_min", "points_max", "cap", "award_once", "source"):
                setattr(item, k, i[k])
            item.full_clean(exclude=["dimension"])
            item.save()


def _create_periods(scheme: Scheme) -> None:
    Period.objects.bulk_create(
        Period(scheme=scheme, start=start, end=end, label=label)
        for start, end, label in catalogue.period_bounds(scheme.period_kind, scheme.year)
    )


@transaction.atomic
def scheme_create(
    *, actor: Any, org: Org, year: int, template: str = "", data: dict[str, Any] | None = None
) -> Scheme:
    """A scheme for `year` owned by `org`, from a shipped template (`template`) or from `data`."""
    require(actor, Action.CHANGE, org)
    if not 2000 <= year <= 2100:
        raise ValidationError({"year": _("Enter a year between 2000 and 2100.")})
    source = catalogue.template(template) if template else data
    if source is None:
        raise ValidationError({"template": _("Unknown template: %(code)s.") % {"code": template}})
    source = {**source, **(data or {})} if template else source
    fields = {k: source[k] for k in SCHEME_FIELDS if k in source}
    fields["base_points"] = _d(fields.get("base_points", 0), "base_points")
    dims = _normalise_dims(source.get("dimensions", []))
    _validate({**fields, "aggregation": fields.get("aggregation", "sum_capped")}, dims)
    scheme = Scheme(org=org, year=year, template=template, **fields)
    scheme.full_clean()
    scheme.save()
    _write_dims(scheme, dims)
    _create_periods(scheme)
    audit.record(actor=actor, action=A_SCHEME_CREATE, target=scheme, org=org, after=audit.snapshot(scheme))
    return scheme


@transaction.atomic
def scheme_update(
    *, actor: Any, scheme: Scheme, fields: dict[str, Any], dimensions: list[dict[str, Any]] | None = None
) -> Scheme:
    """Change a scheme's settings (and dimensions). Subject type and period cannot change once the
    scheme has entries: the periods and subjects would no longer match them."""
    require(actor, Action.CHANGE, scheme.org)
    scheme = Scheme.objects.select_for_update().get(pk=scheme.pk)
    before = audit.snapshot(scheme)
    has_entries = Entry.objects.filter(period__scheme=scheme).exists()
    for key in ("subject_type", "period_kind"):
        if key in fields and fields[key] != getattr(scheme, key) and has_entries:
            raise ValidationError({key: _("The scheme has entries; this can no longer change.")})
    if "base_points" in fields:
        fields["base_points"] = _d(fields["base_points"], "base_points")
    merged = {k: fields.get(k, getattr(scheme, k)) for k in SCHEME_FIELDS}
    if dimensions is None:
        dims = [
            {**d.as_snapshot(), "maximum": d.maximum, "weight": d.weight, "name": d.name, "items": []}
            for d in scheme.dimensions.all()
        ]
    else:
        dims = _normalise_dims(dimensions)
    _validate(merged, dims)
    period_changed = merged["period_kind"] != scheme.period_kind
    for k, v in merged.items():
        setattr(scheme, k, v)
    scheme.full_clean()
    scheme.save()
    if dimensions is not None:
        _write_dims(scheme, dims)
    if period_changed:
        scheme.periods.all().delete()
        _create_periods(scheme)
    audit.record(
        actor=actor,
        action=A_SCHEME_UPDATE,
        target=scheme,
        org=scheme.org,
        before=before,
        after=audit.snapshot(scheme),
    )
    return scheme


@transaction.atomic
def scheme_activate(*, actor: Any, scheme: Scheme) -> Scheme:
    require(actor, Action.CHANGE, scheme.org)
    before = audit.snapshot(scheme)
    scheme.status = SchemeStatus.ACTIVE
    scheme.save(update_fields=["status", "updated"])
    audit.record(
        actor=actor,
        action=A_SCHEME_ACTIVATE,
        target=scheme,
        org=scheme.org,
        before=before,
        after=audit.snapshot(scheme),
    )
    return scheme


# --- Entries ---------------------------------------------------------------------------------------


def _open_period(period: Period) -> Period:
    """The period, re-read under a row lock so a concurrent lock cannot slip between check and write."""
    period = Period.objects.select_for_update().select_related("scheme__org").get(pk=period.pk)
    if period.state in CLOSED_STATES:
        raise ValidationError(
            {
                "period": _("%(period)s is locked; reopen it (audited) before changing entries.")
                % {"period": period.label}
            }
        )
    return period


def _subject(scheme: Scheme, subject: Org | Membership) -> tuple[Org, Org | None, Membership | None]:
    """(scope org, subject org, membership) after checking the subject belongs to the scheme."""
    if scheme.is_person_scheme:
        if (
            not isinstance(subject, Membership)
            or not subject_memberships(scheme).filter(pk=subject.pk).exists()
        ):
            raise ValidationError({"subject": _("This person is not a subject of the scheme.")})
        return subject.org, None, subject
    if not isinstance(subject, Org) or not subject_orgs(scheme).filter(pk=subject.pk).exists():
        raise ValidationError(
            {
                "subject": _(
                    "This organization is not a subject of the scheme (not a %(type)s under %(org)s)."
                )
                % {"type": SubjectType(scheme.subject_type).label, "org": scheme.org.name}
            }
        )
    return subject, subject, None


def _check_item_points(dimension: Dimension, item: Item | None, points: Decimal) -> None:
    if item is not None:
        if item.dimension_id != dimension.pk:
            raise ValidationError({"item": _("The item belongs to another dimension.")})
        if not item.points_min <= points <= item.points_max:
            raise ValidationError(
                {
                    "points": _("Item “%(name)s” gives between %(low)s and %(high)s points.")
                    % {"name": item.name, "low": item.points_min, "high": item.points_max}
                }
            )
    if dimension.kind == DimensionKind.BONUS and points < 0:
        raise ValidationError({"points": _("A bonus dimension cannot take points away.")})
    if dimension.kind == DimensionKind.DEDUCTION and points > 0:
        raise ValidationError({"points": _("Enter a deduction as a negative number.")})
    if dimension.kind != DimensionKind.VETO and abs(points) > dimension.maximum:
        raise ValidationError(
            {
                "points": _("%(points)s is above the maximum of “%(name)s” (%(max)s).")
                % {"points": points, "name": dimension.name, "max": dimension.maximum}
            }
        )


@transaction.atomic
def entry_create(
    *,
    actor: Any,
    period: Period,
    dimension: Dimension,
    subject: Org | Membership,
    points: Any,
    item: Item | None = None,
    note: str = "",
    evidence: list[dict[str, Any]] | None = None,
) -> Entry:
    """A manual entry (bonus, deduction or veto), awaiting approval by someone else (maker-checker)."""
    period = _open_period(period)
    scheme = period.scheme
    if dimension.scheme_id != scheme.pk:
        raise ValidationError({"dimension": _("The dimension belongs to another scheme.")})
    if dimension.kind == DimensionKind.SCORED:
        raise ValidationError({"dimension": _("A scored dimension is filled in the evaluator's grid.")})
    org, subject_org, membership = _subject(scheme, subject)
    require(actor, Action.CHANGE, org)
    value = _d(points if points not in (None, "") else (item.points_min if item else None), "points")
    _check_item_points(dimension, item, value)
    if not note.strip() and not evidence:
        raise ValidationError({"note": _("Describe the evidence behind the entry.")})
    if item is not None and item.award_once:
        same = Entry.objects.filter(period=period, item=item, subject_org=subject_org, membership=membership)
        if same.exclude(status=EntryStatus.REJECTED).exists():
            raise ValidationError({"item": _("“%(name)s” is awarded once per period.") % {"name": item.name}})
    entry = Entry(
        period=period,
        dimension=dimension,
        item=item,
        org=org,
        subject_org=subject_org,
        membership=membership,
        points=value,
        source=EntrySource.MANUAL,
        status=EntryStatus.PENDING,
        note=note.strip(),
        evidence=evidence or [],
        entered_by=actor,
    )
    entry.full_clean()
    entry.save()
    audit.record(actor=actor, action=A_ENTRY_CREATE, target=entry, org=org, after=audit.snapshot(entry))
    return entry


def _decide(actor: Any, entry: Entry, status: str, action: str, note: str = "") -> Entry:
    entry = Entry.objects.select_for_update().select_related("org").get(pk=entry.pk)
    _open_period(entry.period)
    require(actor, Action.CHANGE, entry.org)
    if entry.status != EntryStatus.PENDING:
        raise ValidationError({"status": _("This entry has already been decided.")})
    if actor is not None and entry.entered_by_id == actor.pk:
        raise PermissionDenied(
            _("Nobody approves their own entry: another authorized person must decide it.")
        )
    before = audit.snapshot(entry)
    entry.status = status
    entry.approved_by = actor
    entry.approved_at = timezone.now()
    if note:
        entry.note = f"{entry.note}\n{note}".strip()
    entry.version += 1
    entry.save()
    audit.record(
        actor=actor, action=action, target=entry, org=entry.org, before=before, after=audit.snapshot(entry)
    )
    return entry


@transaction.atomic
def entry_approve(*, actor: Any, entry: Entry) -> Entry:
    return _decide(actor, entry, EntryStatus.APPROVED, A_ENTRY_APPROVE)


@transaction.atomic
def entry_reject(*, actor: Any, entry: Entry, reason: str) -> Entry:
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for rejecting the entry.")})
    return _decide(
        actor, entry, EntryStatus.REJECTED, A_ENTRY_REJECT, _("Rejected: %(r)s") % {"r": reason.strip()}
    )


# --- The evaluator's grid ----------------------------------------------------------------------------


def _check_cell(
    actor: Any, period: Period, dimension: Dimension, subject: Org | Membership, points: Decimal
) -> tuple[Org, Org | None, Membership | None]:
    scheme = period.scheme
    if dimension.scheme_id != scheme.pk or dimension.kind != DimensionKind.SCORED:
        raise ValidationError(
            {"dimension": _("Only a scored dimension of this scheme is filled in the grid.")}
        )
    org, subject_org, membership = _subject(scheme, subject)
    if not may_evaluate(actor, dimension, org):
        raise PermissionDenied(_("“%(name)s” is not a dimension you score.") % {"name": dimension.name})
    if not Decimal(0) <= points <= dimension.maximum:
        raise ValidationError(
            {
                "points": _("Enter a score from 0 to %(max)s: the maximum of “%(name)s”.")
                % {"max": dimension.maximum.normalize(), "name": dimension.name}
            }
        )
    return org, subject_org, membership


@transaction.atomic
def cell_save(
    *, actor: Any, period: Period, dimension: Dimension, subject: Org | Membership, points: Any, version: int
) -> Entry:
    """Save one grid cell if nobody changed it since the evaluator loaded it at `version` (0: empty).

    The update is conditional on the version (`UPDATE … WHERE version = v`), so of two evaluators
    saving the same cell from the same starting point exactly one wins and the other gets a Conflict
    with the winner's value; an empty cell is created under a unique constraint, so two concurrent
    creations end the same way. Either way nothing is lost silently and every save is audited.
    """
    period = _open_period(period)
    value = _d(points, "points")
    org, subject_org, membership = _check_cell(actor, period, dimension, subject, value)
    cell = Entry.objects.filter(
        period=period,
        dimension=dimension,
        subject_org=subject_org,
        membership=membership,
        source=EntrySource.GRID,
    )
    current = cell.first()
    if version == 0 and current is None:
        entry = Entry(
            period=period,
            dimension=dimension,
            org=org,
            subject_org=subject_org,
            membership=membership,
            points=value,
            source=EntrySource.GRID,
            status=EntryStatus.APPROVED,
            entered_by=actor,
            approved_by=actor,
            approved_at=timezone.now(),
        )
        try:
            with transaction.atomic():
                entry.save()
        except IntegrityError:
            raise Conflict(_("Someone else saved this score first."), cell.first()) from None
        audit.record(actor=actor, action=A_CELL, target=entry, org=org, after=audit.snapshot(entry))
        return entry
    if current is None or current.version != version:
        raise Conflict(_("Someone else changed this score since you opened the grid."), current)
    before = audit.snapshot(current)
    updated = cell.filter(version=version).update(
        points=value, version=version + 1, entered_by=actor, approved_by=actor, updated=timezone.now()
    )
    if not updated:  # lost the race between the read above and this update
        raise Conflict(_("Someone else changed this score since you opened the grid."), cell.first())
    current.refresh_from_db()
    audit.record(
        actor=actor, action=A_CELL, target=current, org=org, before=before, after=audit.snapshot(current)
    )
    return current


@transaction.atomic
def scores_import(
    *, actor: Any, period: Period, dimension: Dimension, rows: list[tuple[int, str, Any]]
) -> int:
    """Import grid scores: rows of (line number, organization name or code, score). Every row is
    checked first; one bad row refuses the whole file with its line, field and rule."""
    period = _open_period(period)
    scheme = period.scheme
    if scheme.is_person_scheme:
        raise ValidationError({"file": _("Scores are imported for schemes of organizations only.")})
    orgs = list(subject_orgs(scheme))
    by_name = {o.name: o for o in orgs} | {o.code: o for o in orgs if o.code}
    errors: list[str] = []
    parsed: list[tuple[Org, Decimal]] = []
    for line, name, raw in rows:
        org = by_name.get(str(name).strip())
        if org is None:
            errors.append(
                _("Row %(line)d, column “organization”: “%(name)s” is not a branch of this scheme.")
                % {"line": line, "name": name}
            )
            continue
        try:
            value = _d(raw, "points")
            _check_cell(actor, period, dimension, org, value)
        except ValidationError as exc:
            errors.append(
                _("Row %(line)d, column “score”: %(error)s") % {"line": line, "error": " ".join(exc.messages)}
            )
            continue
        parsed.append((org, value))
    if errors:
        raise ValidationError({"file": [*errors, _("Nothing was imported.")]})
    if not parsed:
        raise ValidationError({"file": _("The file has no scores.")})
    for org, value in parsed:
        current = Entry.objects.filter(
            period=period, dimension=dimension, subject_org=org, source=EntrySource.GRID
        ).first()
        cell_save(
            actor=actor,
            period=period,
            dimension=dimension,
            subject=org,
            points=value,
            version=current.version if current else 0,
        )
    audit.record(
        actor=actor,
        action=A_IMPORT,
        target=period,
        org=scheme.org,
        message=_("%(n)d scores of “%(dim)s” imported.") % {"n": len(parsed), "dim": dimension.name},
    )
    return len(parsed)
