"""Dues rules with their sources (RULES.md §1). C rules are constants; L rules are settings.

Settings (all optional, read with getattr):
- XIANFENG_DUES_MONTHLY_CAP (default None: off). DUES-05 says monthly dues "should generally not
  exceed 1000 yuan" and RULES.md marks whether it caps a member as unsettled (U). Decision: by default
  nothing is capped; an amount above 1000 yuan is stored as computed and flagged
  `above_soft_ceiling` for the branch to review. When the setting is a number, amounts above it are
  reduced to it and flagged `capped` as well.
- XIANFENG_DUES_WARN_MONTHS (default 3): the arrears warning (DUES-13 engine note; local practice, L).

Rounding (L, DUES-02 engine note): amounts are rounded ROUND_HALF_UP to 0.01 yuan (分).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CENT = Decimal("0.01")
SOFT_CEILING = Decimal("1000.00")  # DUES-05: 党费通知2017 item (1)
LARGE_ONE_OFF_ABOVE = Decimal("1000.00")  # DUES-05: 党费规定 art. 11, all to the centre
MAX_BASE = Decimal("1000000.00")  # "absurd" monthly base (issue 7, bad input)
BACK_PAYMENT_MONTHS = 6  # DUES-12: 党费规定 art. 12
SELF_DEPARTURE_MONTHS = 6  # DUES-13: 党费规定 art. 13; 党章 art. 9

SOURCE_RATES = "党费规定 arts. 2, 5, 6 (DUES-02, DUES-07, DUES-08)"
SOURCE_BASE_YEAR = "党费通知2017 item (1) (DUES-04)"
SOURCE_HARDSHIP = "党费规定 art. 7 (DUES-09)"
SOURCE_PROBATION = "党费规定 art. 8 (DUES-10)"
SOURCE_BACK_PAYMENT = "党费规定 art. 12 (DUES-12)"
SOURCE_SELF_DEPARTURE = "党费规定 art. 13; 党章 art. 9 (DUES-13)"
SOURCE_LARGE = "党费规定 art. 11; 党费通知2017 item (1) (DUES-05)"


def monthly_cap() -> Decimal | None:
    value = getattr(settings, "XIANFENG_DUES_MONTHLY_CAP", None)
    return None if value in (None, "") else Decimal(str(value))


def warn_months() -> int:
    return int(getattr(settings, "XIANFENG_DUES_WARN_MONTHS", 3))


def first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def month_from_index(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


def to_money(value: Any, field: str) -> Decimal:
    """A Decimal with at most two decimals, or a ValidationError on `field`."""
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter an amount in yuan.")}) from None
    if not amount.is_finite():
        raise ValidationError({field: _("Enter an amount in yuan.")})
    if amount != amount.quantize(CENT):
        raise ValidationError({field: _("Amounts have at most two decimals (0.01 yuan).")})
    return amount.quantize(CENT)


def to_ratio(value: Any, field: str) -> Decimal:
    """A share between 0 and 1 with at most four decimals (0.05 = 5 %)."""
    try:
        ratio = value if isinstance(value, Decimal) else Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        raise ValidationError({field: _("Enter a share between 0 and 1 (0.05 is 5 percent).")}) from None
    if not ratio.is_finite() or not 0 <= ratio <= 1 or ratio != ratio.quantize(Decimal("0.0001")):
        raise ValidationError({field: _("Enter a share between 0 and 1 (0.05 is 5 percent).")})
    return ratio


def validate_base(value: Any, field: str = "base") -> Decimal:
    """Not negative, not above 1,000,000 yuan a month, two decimals."""
    base = to_money(value, field)
    if base < 0:
        raise ValidationError({field: _("The dues base cannot be negative.")})
    if base > MAX_BASE:
        raise ValidationError(
            {
                field: _("A monthly base above %(max)s yuan is not plausible; check the figure.")
                % {"max": MAX_BASE}
            }
        )
    return base


def validate_month(value: dt.date, field: str) -> dt.date:
    if value.day != 1:
        raise ValidationError({field: _("Give the month as its first day.")})
    return value
