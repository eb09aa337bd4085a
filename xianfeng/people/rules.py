"""Validation rules of person and membership records, each error naming its field and its rule.

Pure functions over unsaved instances, so forms, the API, the importer and services share them.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from xianfeng.orgs.choices import MEMBER_HOLDING_TYPES, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import idcard
from xianfeng.people.choices import KEY_DATE_FIELDS, STATUS_DATE_FIELD, STATUS_ORDER, PoliticalStatus
from xianfeng.people.models import Membership, Person

MIN_AGE_AT_APPLICATION = 18  # DEV-01: 党章 art. 1; 细则 art. 5
PROBATION_MONTHS = 12  # DEV-17: 党章 art. 7; 细则 art. 32
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")

Errors = dict[str, str]


def age_reached(birth: dt.date, years: int) -> dt.date:
    """The day a person born on `birth` reaches `years` 周岁: the birthday, or 1 March in a non-leap year
    for a 29 February birth (the years are complete only when 28 February has ended; 民法典 arts.
    202–203 make 28 February the last day of the period, ending at 24:00)."""
    day = birth + relativedelta(years=years)
    return day if day.day == birth.day else day + dt.timedelta(days=1)


def person_errors(person: Person, *, today: dt.date) -> Errors:
    errors: Errors = {}
    if not person.name.strip():
        errors["name"] = _("The name is required.")
    try:
        parsed = idcard.parse(person.id_number or "", today=today)
    except idcard.IdNumberError as exc:
        errors["id_number"] = str(exc)
    else:
        if person.birth_date and person.birth_date != parsed.birth_date:
            errors["birth_date"] = _("The birth date does not match the ID number (%(date)s).") % {
                "date": parsed.birth_date.isoformat()
            }
        if person.gender and person.gender != parsed.gender:
            errors["gender"] = _("The gender does not match the ID number (17th digit, GB 11643).")
    if person.birth_date and person.birth_date > today:
        errors.setdefault("birth_date", _("The birth date cannot be in the future."))
    if person.phone and not PHONE_RE.match(person.phone):
        errors["phone"] = _("A phone number is an 11-digit mobile number or an area code and number.")
    if person.hire_date and person.hire_date > today:
        errors["hire_date"] = _("The hire date cannot be in the future.")
    if (
        person.hire_date
        and person.birth_date
        and person.hire_date < person.birth_date + relativedelta(years=16)
    ):
        errors["hire_date"] = _("The hire date is before the person turned 16.")
    return errors


def _key_date_errors(membership: Membership, *, today: dt.date) -> Errors:
    errors: Errors = {}
    previous: tuple[str, dt.date] | None = None
    for field in KEY_DATE_FIELDS:
        value = getattr(membership, field)
        if value is None:
            continue
        if value > today:
            errors[field] = _("This date cannot be in the future.")
        elif previous is not None and value < previous[1]:
            errors[field] = _("This date cannot be earlier than the %(field)s.") % {
                "field": getattr(Membership._meta.get_field(previous[0]), "verbose_name", previous[0])
            }
        previous = (field, value)
    return errors


def _status_errors(membership: Membership) -> Errors:
    """A status needs the key date of its own stage; later stages' dates must be empty."""
    errors: Errors = {}
    reached = STATUS_ORDER.index(membership.status)
    for index, status in enumerate(STATUS_ORDER):
        field = STATUS_DATE_FIELD[PoliticalStatus(status)]
        value = getattr(membership, field)
        if index == reached and value is None:
            errors[field] = _("Required for the status “%(status)s”.") % {
                "status": PoliticalStatus(status).label
            }
        elif index > reached and value is not None:
            errors[field] = _("Must be empty for the status “%(status)s”.") % {
                "status": PoliticalStatus(membership.status).label
            }
    return errors


def membership_errors(membership: Membership, person: Person, *, today: dt.date) -> Errors:
    errors = (
        _status_errors(membership)
        if membership.status in STATUS_ORDER
        else {"status": _("Unknown political status.")}
    )
    for field, message in _key_date_errors(membership, today=today).items():
        errors.setdefault(field, message)
    application = membership.application_date
    if (
        application
        and person.birth_date
        and application < age_reached(person.birth_date, MIN_AGE_AT_APPLICATION)
    ):
        errors.setdefault(
            "application_date",
            _("The applicant must be at least 18 on the application date (党章 art. 1; 细则 art. 5)."),
        )
    admission, conversion = membership.admission_date, membership.conversion_date
    if admission and conversion and conversion < admission + relativedelta(months=PROBATION_MONTHS):
        errors.setdefault(
            "conversion_date",
            _(
                "Probation lasts one year from admission; conversion cannot come earlier (党章 art. 7; 细则 art. 32)."
            ),
        )
    errors.update(placement_errors(membership.org, membership.party_group))
    return errors


def placement_errors(org: Org | None, party_group: Org | None) -> Errors:
    errors: Errors = {}
    if org is None:
        return {"org": _("Choose the organization.")}
    if org.org_type not in MEMBER_HOLDING_TYPES:
        errors["org"] = _("Members belong to a committee or a branch, not to a party group.")
    elif not org.is_active:
        errors["org"] = _("The organization is dissolved.")
    if party_group is not None and (
        party_group.org_type != OrgType.PARTY_GROUP or party_group.path[: -Org.steplen] != org.path
    ):
        errors["party_group"] = _("The party group must be a group of the member's own organization.")
    return errors
