"""Small pieces of the dues API: months as YYYY-MM, string choices, query parameters, who reads a base."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user, granted_paths, is_global
from xianfeng.dues.collection import MonthStatus
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
MONTH_MESSAGE = _("Use YYYY-MM, e.g. 2026-03.")
SHEET_STATUSES = [
    MonthStatus.PAID,
    MonthStatus.UNPAID,
    MonthStatus.DUE,
    MonthStatus.EXEMPT,
    MonthStatus.NO_BASE,
    MonthStatus.NOT_OWED,
]


def one_of(values: Any) -> str:
    return "One of: " + ", ".join(str(v) for v in values) + "."


def parse_month(value: Any) -> dt.date | None:
    match = _MONTH.match(str(value).strip())
    if match is None or not 1 <= int(match[2]) <= 12 or int(match[1]) < 1900:
        return None
    return dt.date(int(match[1]), int(match[2]), 1)


@extend_schema_field({"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$", "example": "2026-03"})
class MonthField(serializers.Field):
    """A month as YYYY-MM (stored as its first day)."""

    default_error_messages = {"invalid": MONTH_MESSAGE}

    def to_internal_value(self, data: Any) -> dt.date:
        month = parse_month(data)
        if month is None:
            self.fail("invalid")
        assert month is not None
        return month

    def to_representation(self, value: dt.date) -> str:
        return f"{value:%Y-%m}"


@extend_schema_field(OpenApiTypes.STR)
class StringChoiceField(serializers.ChoiceField):
    """A choice documented as a string with its values in the description: an enum component per
    choice set would collide with other models' `category`, `status` and `kind` enums."""


def choice(choices: Any, **kwargs: Any) -> StringChoiceField:
    return StringChoiceField(choices=choices, help_text=one_of(c[0] for c in choices), **kwargs)


# --- Parameters and lookups -------------------------------------------------------------------------


def report_org(user: Any, raw: str | None, errors: dict[str, list[str]]) -> Org | None:
    """The org a report is about: a malformed id is a 400, an unknown or invisible one a 404."""
    if raw in (None, ""):
        return None
    try:
        pk = int(str(raw))
    except ValueError:
        errors["org"] = [str(_("Unknown organization."))]
        return None
    return get_for_user(Org.objects.all(), user, Action.VIEW, pk=pk)


def month_param(raw: str | None, name: str, default: dt.date, errors: dict[str, list[str]]) -> dt.date:
    if raw in (None, ""):
        return default
    month = parse_month(raw)
    if month is None:
        errors[name] = [str(MONTH_MESSAGE)]
        return default
    return month


def visible_membership(user: Any, code: Any, field: str = "membership") -> Membership:
    """A membership named in a request body: unknown and invisible are the same 400."""
    membership = (
        Membership.objects.restrict(user, Action.VIEW)
        .select_related("org", "person")
        .filter(code=code)
        .first()
    )
    if membership is None:
        raise serializers.ValidationError({field: [_("Unknown membership.")]})
    return membership


def base_reader(user: Any) -> Callable[[Membership], bool]:
    """Who may read the income base of a member: CHANGE on their org, or the member themselves."""
    everywhere = is_global(user, Action.CHANGE)
    paths = granted_paths(user, Action.CHANGE)
    return lambda m: everywhere or any(m.org.path.startswith(p) for p in paths) or m.person.user_id == user.pk


# --- Filters -------------------------------------------------------------------------------------------


class MonthFormField(forms.CharField):
    def clean(self, value: Any) -> dt.date | None:
        value = super().clean(value)
        if value in ("", None):
            return None
        month = parse_month(value)
        if month is None:
            raise forms.ValidationError(str(MONTH_MESSAGE), code="invalid")
        return month


@extend_schema_field({"type": "string", "example": "2026-03"})
class MonthFilter(django_filters.Filter):
    field_class = MonthFormField


def in_subtree(queryset: Any, value: int) -> Any:
    org = Org.objects.filter(pk=value).only("path").first()
    if org is None:
        return queryset.none()
    return queryset.filter(Q(membership__org__path__startswith=org.path) | Q(membership__party_group=org))
