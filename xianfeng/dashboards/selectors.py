"""The home dashboard's figures for a user's visible scope, aggregated in the database.

Members are counted in one query with conditional counts (status, age band, party-age band); orgs by
type in one grouped query; expiring terms in one more. Nothing loops over member rows in Python.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Q
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xianfeng.core.roles import Action
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.orgs.selectors import expiring_count, expiring_terms, term_state
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership


@dataclass(frozen=True)
class Band:
    key: str
    label: str | Promise
    low: int | None  # whole years, inclusive
    high: int | None  # whole years, inclusive


EXPIRING_SHOWN = 10

AGE_BANDS = (
    Band("le30", _("30 and under"), None, 30),
    Band("31_40", _("31–40"), 31, 40),
    Band("41_50", _("41–50"), 41, 50),
    Band("51_60", _("51–60"), 51, 60),
    Band("gt60", _("Over 60"), 61, None),
)
PARTY_AGE_BANDS = (
    Band("lt5", _("Under 5 years"), None, 4),
    Band("5_10", _("5–10 years"), 5, 9),
    Band("10_20", _("10–20 years"), 10, 19),
    Band("20_30", _("20–30 years"), 20, 29),
    Band("ge30", _("30 years and more"), 30, None),
)


def band_q(date_field: str, band: Band, today: dt.date) -> Q:
    """Rows whose whole years since `date_field` on `today` fall in the band.

    n whole years on `today` means today - (n+1) years < date <= today - n years.
    """
    query = Q(**{f"{date_field}__isnull": False})
    if band.low is not None:
        query &= Q(**{f"{date_field}__lte": today - relativedelta(years=band.low)})
    if band.high is not None:
        query &= Q(**{f"{date_field}__gt": today - relativedelta(years=band.high + 1)})
    return query


@dataclass
class Dashboard:
    total: int
    by_status: list[dict[str, Any]]
    by_age: list[dict[str, Any]]
    by_party_age: list[dict[str, Any]]
    party_age_unknown: int
    orgs_by_type: list[dict[str, Any]]
    org_total: int
    expiring: list[dict[str, Any]] = field(default_factory=list)
    expiring_total: int = 0

    def chart_data(self) -> dict[str, Any]:
        """What the charts draw (the same numbers the tables under them show)."""

        def series(rows: list[dict[str, Any]]) -> dict[str, list[Any]]:
            return {"labels": [row["label"] for row in rows], "values": [row["count"] for row in rows]}

        return {
            "status": series(self.by_status),
            "age": series(self.by_age),
            "party_age": series(self.by_party_age),
            "org_types": series(self.orgs_by_type),
        }


def member_figures(user: Any, today: dt.date) -> dict[str, int]:
    """Current members in scope: total, per status, per age band and per party-age band (one query)."""
    counts: dict[str, Any] = {"total": Count("pk")}
    for status in PoliticalStatus:
        counts[f"status_{status.value}"] = Count("pk", filter=Q(status=status))
    for band in AGE_BANDS:
        counts[f"age_{band.key}"] = Count("pk", filter=band_q("person__birth_date", band, today))
    for band in PARTY_AGE_BANDS:
        counts[f"party_{band.key}"] = Count("pk", filter=band_q("conversion_date", band, today))
    return Membership.objects.restrict(user, Action.VIEW).current().aggregate(**counts)


def org_type_counts(user: Any) -> dict[str, int]:
    rows = (
        Org.objects.restrict(user, Action.VIEW)
        .filter(status=OrgStatus.ACTIVE)
        .order_by()
        .values("org_type")
        .annotate(n=Count("pk"))
        .values_list("org_type", "n")
    )
    return dict(rows)


def dashboard(user: Any, today: dt.date) -> Dashboard:
    figures = member_figures(user, today)
    types = org_type_counts(user)
    expiring = expiring_terms(user, today, limit=EXPIRING_SHOWN + 1)
    party_banded = sum(figures[f"party_{band.key}"] for band in PARTY_AGE_BANDS)
    return Dashboard(
        total=figures["total"],
        by_status=[
            {"key": s.value, "label": s.label, "count": figures[f"status_{s.value}"]} for s in PoliticalStatus
        ],
        by_age=[{"key": b.key, "label": b.label, "count": figures[f"age_{b.key}"]} for b in AGE_BANDS],
        by_party_age=[
            {"key": b.key, "label": b.label, "count": figures[f"party_{b.key}"]} for b in PARTY_AGE_BANDS
        ],
        party_age_unknown=figures["total"] - party_banded,
        orgs_by_type=[{"key": t.value, "label": t.label, "count": types.get(t.value, 0)} for t in OrgType],
        org_total=sum(types.values()),
        expiring=[{"org": org, "term": term_state(org, today)} for org in expiring[:EXPIRING_SHOWN]],
        expiring_total=expiring_count(user, today) if len(expiring) > EXPIRING_SHOWN else len(expiring),
    )
