"""The arithmetic of a scheme, free of the database so it can be property-tested and run over 100,000
subjects at once (bench/run_scoring.py).

- An item's points are capped per period (`cap`, on the absolute value) and an award-once item counts
  its first entry only.
- bonus and scored dimensions count min(sum, maximum) (a scored dimension's grid score is already
  within 0..maximum; several cells are averaged); deduction dimensions subtract min(|sum|, maximum).
- sum_capped: total = base + Σ positive dimensions − Σ deductions.
- weighted: total = base + Σ weight × (scored value / maximum × 100) + Σ bonus − Σ deductions, the
  weights of the scored dimensions adding up to 1 (checked when the scheme is saved).
- a veto entry zeroes the total and sets the veto grade (DOMAIN.md: "a veto item zeroes the year").
- carry-over adds the previous year's total after the arithmetic above.
- ranking is competition ranking over totals, highest first: 100, 100, 90 → 1, 1, 3.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from xianfeng.scoring.choices import Aggregation, DimensionKind, OutcomeKind

ZERO = Decimal(0)
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


@dataclass(frozen=True)
class DimSpec:
    id: int
    code: str
    kind: str
    maximum: Decimal
    weight: Decimal | None = None


@dataclass(frozen=True)
class ItemSpec:
    id: int
    cap: Decimal | None = None
    award_once: bool = False


@dataclass(slots=True)
class Points:
    """One approved entry as the arithmetic sees it (not frozen: built 300,000 times per year-long
    period of 100,000 members, and a frozen dataclass is several times slower to create)."""

    dimension_id: int
    points: Decimal
    item_id: int | None = None
    grid: bool = False


@dataclass
class Computed:
    subject_id: int
    total: Decimal
    dimensions: dict[str, Decimal] = field(default_factory=dict)
    vetoed: bool = False
    carried_in: Decimal = ZERO


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def max_total(dims: Sequence[DimSpec], aggregation: str, base: Decimal = ZERO) -> Decimal:
    """The highest total the arithmetic can give (before carry-over)."""
    bonus = sum((d.maximum for d in dims if d.kind == DimensionKind.BONUS), ZERO)
    if aggregation == Aggregation.WEIGHTED:
        scored = HUNDRED if any(d.kind == DimensionKind.SCORED for d in dims) else ZERO
        return base + scored + bonus
    return base + bonus + sum((d.maximum for d in dims if d.kind == DimensionKind.SCORED), ZERO)


def _item_capped(entries: Iterable[Points], items: dict[int, ItemSpec]) -> dict[int, list[Decimal]]:
    """Per dimension, the entries' points after per-item caps and award-once."""
    per_item: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    seen_once: set[int] = set()
    out: dict[int, list[Decimal]] = defaultdict(list)
    for e in entries:
        spec = items.get(e.item_id) if e.item_id is not None else None
        if spec is None:
            out[e.dimension_id].append(e.points)
            continue
        if spec.award_once:
            if spec.id in seen_once:
                continue
            seen_once.add(spec.id)
        key = (e.dimension_id, spec.id)
        if spec.cap is not None:
            room = spec.cap - abs(per_item[key])
            if room <= 0:
                continue
            value = e.points if abs(e.points) <= room else (room if e.points >= 0 else -room)
        else:
            value = e.points
        per_item[key] += value
        out[e.dimension_id].append(value)
    return out


def compute(
    subject_id: int,
    entries: Iterable[Points],
    dims: Sequence[DimSpec],
    items: dict[int, ItemSpec],
    aggregation: str,
    base: Decimal = ZERO,
    carried_in: Decimal = ZERO,
) -> Computed:
    entries = list(entries)
    grid_values: dict[int, list[Decimal]] = defaultdict(list)
    for e in entries:
        if e.grid:
            grid_values[e.dimension_id].append(e.points)
    per_dim = _item_capped((e for e in entries if not e.grid), items)
    result = Computed(subject_id=subject_id, total=ZERO, carried_in=carried_in)
    total = base
    for d in dims:
        raw = per_dim.get(d.id, [])
        if d.kind == DimensionKind.VETO:
            if raw:
                result.vetoed = True
            continue
        if d.kind == DimensionKind.DEDUCTION:
            value = min(abs(sum(raw, ZERO)), d.maximum)
            result.dimensions[d.code] = q2(-value)
            total -= value
            continue
        if d.kind == DimensionKind.SCORED:
            cells = grid_values.get(d.id, [])
            score = sum(cells, ZERO) / len(cells) if cells else ZERO
            value = max(ZERO, min(score + sum(raw, ZERO), d.maximum))
        else:  # bonus: never negative, never above the maximum
            value = max(ZERO, min(sum(raw, ZERO), d.maximum))
        result.dimensions[d.code] = q2(value)
        if aggregation == Aggregation.WEIGHTED and d.kind == DimensionKind.SCORED:
            weight = d.weight or ZERO
            total += value / d.maximum * HUNDRED * weight if d.maximum else ZERO
        else:
            total += value
    if result.vetoed:
        total = ZERO
    result.total = q2(total + carried_in)
    return result


def competition_ranks(totals: Sequence[tuple[int, Decimal]]) -> dict[int, int]:
    """Standard competition ranking ("1224"): equal totals share the rank; the next rank skips."""
    ordered = sorted(totals, key=lambda t: (-t[1], t[0]))
    ranks: dict[int, int] = {}
    previous: Decimal | None = None
    rank = 0
    for position, (subject, total) in enumerate(ordered, start=1):
        if total != previous:
            rank, previous = position, total
        ranks[subject] = rank
    return ranks


Band = tuple[Decimal, str, bool]


def prepare_bands(bands: Sequence[dict[str, Any]]) -> list[Band]:
    """(minimum, label, excellent) highest minimum first, converted once per period."""
    prepared = [(Decimal(str(b["min"])), str(b["label"]), bool(b.get("excellent"))) for b in bands]
    return sorted(prepared, key=lambda b: b[0], reverse=True)


def grade_for(total: Decimal, bands: Sequence[Band], *, excellent_blocked: bool) -> str:
    """The first band (of `prepare_bands`) the total reaches; below every minimum (a total pushed
    under zero by deductions), the lowest band. An excellent band is skipped while a sanction is in
    force (hooks.sanctioned)."""
    allowed = [b for b in bands if not (excellent_blocked and b[2])]
    for minimum, label, _excellent in allowed:
        if total >= minimum:
            return label
    return allowed[-1][1] if allowed else ""


def outcomes(
    ranks: dict[int, int],
    rules: Sequence[dict[str, Any]],
    *,
    totals: dict[int, Decimal],
    previous: dict[int, Decimal] | None = None,
) -> dict[int, list[dict[str, str]]]:
    """Labels from the outcome rules. Top N takes every subject whose rank is ≤ N (ties are all in);
    bottom N every subject whose rank is within the last N positions, except those a top rule named
    (with fewer subjects than the rules name, nobody is both commended and talked to); most improved
    the largest rise against the previous period (ties all named, only rises count)."""
    out: dict[int, list[dict[str, str]]] = defaultdict(list)
    count = len(ranks)
    if not count:
        return out
    bottom_rank = sorted(ranks.values())
    topped = {
        s
        for rule in rules
        if rule.get("kind") == OutcomeKind.TOP
        for s, r in ranks.items()
        if r <= int(rule.get("n", 0) or 0)
    }
    for rule in rules:
        kind, n = rule.get("kind"), int(rule.get("n", 0) or 0)
        label = {"label": str(rule.get("label", "")), "consequence": str(rule.get("consequence", ""))}
        if kind == OutcomeKind.TOP:
            chosen = [s for s, r in ranks.items() if r <= n]
        elif kind == OutcomeKind.BOTTOM:
            if n <= 0:
                continue
            threshold = bottom_rank[max(count - n, 0)]  # the rank at the N-th position from the end
            chosen = [s for s, r in ranks.items() if r >= threshold and s not in topped]
        elif kind == OutcomeKind.MOST_IMPROVED and previous:
            rises = {s: totals[s] - previous[s] for s in totals if s in previous}
            best = max(rises.values(), default=ZERO)
            chosen = [s for s, rise in rises.items() if rise == best and best > 0]
        else:
            continue
        for subject in chosen:
            out[subject].append(label)
    return out
