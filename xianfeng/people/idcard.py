"""Citizen ID numbers (居民身份证号码) per GB 11643-1999.

18 characters: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence whose last
digit is odd for men and even for women, and a check character computed with ISO 7064 MOD 11-2.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"
# First two digits: provinces, autonomous regions, municipalities (GB/T 2260), plus 71/81/82.
PROVINCE_CODES = frozenset(
    {
        "11",
        "12",
        "13",
        "14",
        "15",
        "21",
        "22",
        "23",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "37",
        "41",
        "42",
        "43",
        "44",
        "45",
        "46",
        "50",
        "51",
        "52",
        "53",
        "54",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "81",
        "82",
    }
)
_SHAPE = re.compile(r"^\d{17}[\dX]$")


class IdNumberError(ValueError):
    pass


@dataclass(frozen=True)
class IdNumber:
    value: str
    birth_date: dt.date
    gender: str  # "male" / "female", as people.choices.Gender


def check_char(first17: str) -> str:
    total = sum(int(digit) * weight for digit, weight in zip(first17, WEIGHTS, strict=True))
    return CHECK_CHARS[total % 11]


def normalize(raw: str) -> str:
    return raw.strip().upper().replace(" ", "")


def parse(raw: str, *, today: dt.date | None = None) -> IdNumber:
    """Validate an ID number and return its birth date and gender; raise IdNumberError if invalid."""
    value = normalize(raw)
    if not _SHAPE.match(value):
        raise IdNumberError(_("An ID number has 17 digits followed by a digit or X (GB 11643)."))
    if value[:2] not in PROVINCE_CODES:
        raise IdNumberError(_("The first two digits are not a valid province code (GB 11643, GB/T 2260)."))
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError as exc:
        raise IdNumberError(_("Digits 7 to 14 are not a valid birth date (GB 11643).")) from exc
    if birth > (today or timezone.localdate()) or birth.year < 1900:
        raise IdNumberError(_("The birth date in the ID number is impossible (GB 11643)."))
    if check_char(value[:17]) != value[17]:
        raise IdNumberError(_("The check digit does not match; the number is mistyped (GB 11643)."))
    gender = "male" if int(value[16]) % 2 == 1 else "female"
    return IdNumber(value=value, birth_date=birth, gender=gender)


def mask(value: str) -> str:
    """Show the region and the last four characters: 110101********123X."""
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def generate(*, region: str, birth_date: dt.date, gender: str, sequence: int) -> str:
    """A valid number for demo and synthetic data: `sequence` 0–499 picks the order code."""
    order = sequence % 500 * 2 + (1 if gender == "male" else 0)
    first17 = f"{region}{birth_date:%Y%m%d}{order:03d}"
    return first17 + check_char(first17)
