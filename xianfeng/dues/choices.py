"""Choices of the dues app: member categories (DUES-01…08), rate schemes, payment kinds and methods."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DuesCategory(models.TextChoices):
    EMPLOYED = "employed", _("Employed (monthly after-tax regular pay)")
    ANNUAL_SALARY = "annual_salary", _("Annual salary (the month's actual receipt)")
    RETIRED = "retired", _("Retired (pension)")
    STUDENT = "student", _("Student")
    UNEMPLOYED = "unemployed", _("Laid off or unemployed")
    RELIEF = "relief", _("On relief or minimum-income support")
    RURAL = "rural", _("Rural member")
    SELF_EMPLOYED = "self_employed", _("Self-employed (previous quarter's average monthly net income)")


class RateScheme(models.TextChoices):
    """How a category's amount is computed: percentage brackets or a fixed amount."""

    SALARY = "salary", _("Salary brackets (DUES-02)")
    RETIRED = "retired", _("Retirement brackets (DUES-07)")
    FIXED = "fixed", _("Fixed amount (DUES-08)")
    RURAL = "rural", _("Rural fixed range (DUES-08)")


# 党费规定 arts. 2–6: employed, annual-salary and self-employed members use the salary brackets.
SCHEME_OF_CATEGORY: dict[str, str] = {
    DuesCategory.EMPLOYED: RateScheme.SALARY,
    DuesCategory.ANNUAL_SALARY: RateScheme.SALARY,
    DuesCategory.SELF_EMPLOYED: RateScheme.SALARY,
    DuesCategory.RETIRED: RateScheme.RETIRED,
    DuesCategory.STUDENT: RateScheme.FIXED,
    DuesCategory.UNEMPLOYED: RateScheme.FIXED,
    DuesCategory.RELIEF: RateScheme.FIXED,
    DuesCategory.RURAL: RateScheme.RURAL,
}
FIXED_SCHEMES = frozenset({RateScheme.FIXED, RateScheme.RURAL})
FIXED_CATEGORIES = frozenset(c for c, s in SCHEME_OF_CATEGORY.items() if s in FIXED_SCHEMES)


class Hardship(models.TextChoices):
    """DUES-09 (党费规定 art. 7): approved by the next-higher Party committee."""

    NONE = "", _("None")
    REDUCTION = "reduction", _("Reduction")
    EXEMPTION = "exemption", _("Exemption")


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    TRANSFER = "transfer", _("Bank transfer")
    PAYROLL_DEDUCTION_AUTHORIZED = (
        "payroll_deduction_authorized",
        _("Payroll deduction (written authorisation on file)"),
    )
    ONLINE = "online", _("Online")


class PaymentKind(models.TextChoices):
    REGULAR = "regular", _("Regular monthly dues")
    VOLUNTARY_EXTRA = "voluntary_extra", _("Voluntary extra dues")
    LARGE_ONE_OFF = "large_one_off", _("Large one-off payment (over 1000 yuan, all to the centre)")
