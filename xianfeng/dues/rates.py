"""Dues amounts from dated rate schedules (DUES-02, DUES-05, DUES-07, DUES-08).

The rate applies to the WHOLE base, not marginally, and bracket upper bounds are inclusive, so the
amount jumps at each edge (5000.00 → 50.00; 5000.01 → 75.00).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from xianfeng.dues import rules
from xianfeng.dues.choices import SCHEME_OF_CATEGORY, RateScheme

RATES_FILE = Path(__file__).resolve().parent / "data" / "rates.json"


@dataclass(frozen=True)
class Bracket:
    scheme: str
    upper_bound: Decimal | None = None
    rate: Decimal | None = None
    fixed_min: Decimal | None = None
    fixed_max: Decimal | None = None


@dataclass(frozen=True)
class Quote:
    amount: Decimal
    above_soft_ceiling: bool
    capped: bool
    schedule_id: int


def _dec(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def builtin_schedules() -> list[dict[str, Any]]:
    data: dict[str, Any] = json.loads(RATES_FILE.read_text(encoding="utf-8"))
    return list(data["schedules"])


def builtin_brackets(code: str = "2008") -> list[Bracket]:
    """The brackets of a built-in schedule, without the database (for pure tests)."""
    (schedule,) = [s for s in builtin_schedules() if s["code"] == code]
    return [
        Bracket(row["scheme"], *(_dec(row.get(k)) for k in ("upper_bound", "rate", "fixed_min", "fixed_max")))
        for row in schedule["brackets"]
    ]


def load_builtin_schedules(schedule_model: Any, bracket_model: Any) -> int:
    """Create or refresh the built-in schedules and their brackets (called by a data migration)."""
    for row in builtin_schedules():
        schedule, _created = schedule_model.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "valid_from": dt.date.fromisoformat(row["valid_from"]),
                "valid_to": dt.date.fromisoformat(row["valid_to"]) if row["valid_to"] else None,
                "source": row["source"],
                "builtin": True,
            },
        )
        bracket_model.objects.filter(schedule=schedule).delete()
        for b in row["brackets"]:
            bracket_model.objects.create(
                schedule=schedule,
                scheme=b["scheme"],
                **{k: _dec(b.get(k)) for k in ("upper_bound", "rate", "fixed_min", "fixed_max")},
            )
    return len(builtin_schedules())


def amount_from_brackets(
    brackets: list[Bracket], *, category: str, base: Decimal, fixed_amount: Decimal | None = None
) -> Decimal:
    """The uncapped monthly amount, rounded ROUND_HALF_UP to 0.01 yuan (rounding is practice, L)."""
    scheme = SCHEME_OF_CATEGORY[category]
    own = [b for b in brackets if b.scheme == scheme]
    if scheme in (RateScheme.FIXED, RateScheme.RURAL):
        (bracket,) = own
        lo, hi = bracket.fixed_min or Decimal(0), bracket.fixed_max or Decimal(0)
        if fixed_amount is None:
            if lo != hi:
                raise ValidationError(
                    {
                        "fixed_amount": _("Choose the fixed amount between %(lo)s and %(hi)s yuan (%(src)s).")
                        % {"lo": lo, "hi": hi, "src": rules.SOURCE_RATES}
                    }
                )
            return lo
        if not lo <= fixed_amount <= hi:
            raise ValidationError(
                {
                    "fixed_amount": _("The fixed amount must be between %(lo)s and %(hi)s yuan (%(src)s).")
                    % {"lo": lo, "hi": hi, "src": rules.SOURCE_RATES}
                }
            )
        return fixed_amount.quantize(rules.CENT)
    ordered = sorted(own, key=lambda b: (b.upper_bound is None, b.upper_bound or 0))
    for bracket in ordered:
        if bracket.upper_bound is None or base <= bracket.upper_bound:
            return (base * (bracket.rate or 0)).quantize(rules.CENT, rounding=ROUND_HALF_UP)
    raise ValidationError({"base": _("No rate bracket covers this base.")})  # pragma: no cover


def apply_ceiling(amount: Decimal) -> tuple[Decimal, bool, bool]:
    """(amount, above the 1000-yuan soft ceiling, capped by the configured cap) — DUES-05."""
    above = amount > rules.SOFT_CEILING
    cap = rules.monthly_cap()
    if cap is not None and amount > cap:
        return cap.quantize(rules.CENT), above, True
    return amount, above, False


def schedule_on(on: dt.date) -> Any:
    """The rate schedule in force on `on`, with its brackets."""
    from xianfeng.dues.models import RateSchedule

    schedule = (
        RateSchedule.objects.filter(valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
        .prefetch_related("brackets")
        .first()
    )
    if schedule is None:
        raise ValidationError({"year": _("No dues rate schedule is in force on %(day)s.") % {"day": on}})
    return schedule


def quote(*, category: str, base: Any, on: dt.date, fixed_amount: Any = None) -> Quote:
    if category not in SCHEME_OF_CATEGORY:
        raise ValidationError({"category": _("Unknown dues category.")})
    base = rules.validate_base(base)
    fixed = None if fixed_amount is None else rules.to_money(fixed_amount, "fixed_amount")
    schedule = schedule_on(on)
    brackets = [
        Bracket(b.scheme, b.upper_bound, b.rate, b.fixed_min, b.fixed_max) for b in schedule.brackets.all()
    ]
    raw = amount_from_brackets(brackets, category=category, base=base, fixed_amount=fixed)
    amount, above, capped = apply_ceiling(raw)
    return Quote(amount=amount, above_soft_ceiling=above, capped=capped, schedule_id=schedule.pk)


def monthly_amount(*, category: str, base: Any, on: dt.date, fixed_amount: Any = None) -> Decimal:
    """The monthly dues for `base` under the schedule in force on `on` (see `quote` for flags)."""
    return quote(category=category, base=base, on=on, fixed_amount=fixed_amount).amount
