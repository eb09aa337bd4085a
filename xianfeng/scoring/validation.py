"""Checks of a scheme's configuration, run before any save: a clear message naming the field and the
rule, and nothing written."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from xianfeng.scoring.choices import Aggregation, DimensionKind, EntrySource, OutcomeKind

ONE = Decimal(1)


def decimal_or_none(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError({field: _("Enter a number.")}) from exc


def validate_dimensions(aggregation: str, dims: list[dict[str, Any]]) -> None:
    if not dims:
        raise ValidationError({"dimensions": _("A scheme needs at least one dimension.")})
    codes = [d["code"] for d in dims]
    if len(set(codes)) != len(codes):
        raise ValidationError({"dimensions": _("Each dimension needs its own code.")})
    for d in dims:
        maximum = d.get("maximum") or Decimal(0)
        if d["kind"] != DimensionKind.VETO and maximum <= 0:
            raise ValidationError(
                {
                    "dimensions": _("Dimension “%(name)s”: the maximum must be above zero.")
                    % {"name": d["name"]}
                }
            )
    if aggregation == Aggregation.WEIGHTED:
        scored = [d for d in dims if d["kind"] == DimensionKind.SCORED]
        if not scored:
            raise ValidationError({"aggregation": _("A weighted sum needs at least one scored dimension.")})
        if any(d.get("weight") is None for d in scored):
            raise ValidationError(
                {"dimensions": _("Every scored dimension of a weighted sum needs a weight.")}
            )
        total = sum((d["weight"] for d in scored), Decimal(0))
        if total != ONE:
            raise ValidationError(
                {
                    "dimensions": _(
                        "The weights of the scored dimensions add up to %(total)s; they must add up to 1."
                    )
                    % {"total": total.normalize()}
                }
            )


def validate_items(dims: list[dict[str, Any]]) -> None:
    for d in dims:
        for item in d.get("items", []):
            low, high = item["points_min"], item["points_max"]
            if low > high:
                raise ValidationError(
                    {"items": _("Item “%(name)s”: “points from” is above “points to”.") % item}
                )
            negative = d["kind"] == DimensionKind.DEDUCTION
            if d["kind"] in (DimensionKind.BONUS, DimensionKind.SCORED) and low < 0:
                raise ValidationError(
                    {"items": _("Item “%(name)s”: a bonus item cannot take points away.") % item}
                )
            if negative and high > 0:
                raise ValidationError(
                    {"items": _("Item “%(name)s”: a deduction item cannot add points.") % item}
                )
            if item.get("source", EntrySource.MANUAL) not in EntrySource.values:
                raise ValidationError({"items": _("Item “%(name)s”: unknown source.") % item})


def validate_bands(bands: list[dict[str, Any]]) -> None:
    labels = [b.get("label") for b in bands]
    if any(not label for label in labels) or len(set(labels)) != len(labels):
        raise ValidationError({"grade_bands": _("Each grade band needs its own name.")})
    for band in bands:
        try:
            Decimal(str(band["min"]))
        except (KeyError, InvalidOperation) as exc:
            raise ValidationError({"grade_bands": _("Each grade band needs a minimum score.")}) from exc


def validate_rules(rules: list[dict[str, Any]]) -> None:
    for rule in rules:
        if rule.get("kind") not in OutcomeKind.values:
            raise ValidationError(
                {"outcome_rules": _("Unknown outcome rule: %(kind)s.") % {"kind": rule.get("kind")}}
            )
        if int(rule.get("n") or 0) < 1:
            raise ValidationError({"outcome_rules": _("An outcome rule names at least one place (N ≥ 1).")})
        if not rule.get("label"):
            raise ValidationError({"outcome_rules": _("An outcome rule needs a label.")})
