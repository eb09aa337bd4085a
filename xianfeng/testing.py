"""Builders for tests, the demo and the benchmark generator: valid records in few lines."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model

from xianfeng.core.services import role_grant
from xianfeng.orgs import services as org_services
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import idcard
from xianfeng.people import services as people_services
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership

_seq = itertools.count(1)
DEMO_PASSWORD = "Demo@2026"


def make_org(
    parent: Org | None, org_type: str = OrgType.BRANCH, name: str | None = None, **extra: Any
) -> Org:
    n = next(_seq)
    return org_services.org_create(
        actor=None,
        parent=parent,
        org_type=org_type,
        name=name or f"Org {n}",
        code=extra.pop("code", f"T{n:05d}"),
        **extra,
    )


def id_number_for(birth_date: dt.date, gender: str = "male", region: str = "320102") -> str:
    return idcard.generate(region=region, birth_date=birth_date, gender=gender, sequence=next(_seq))


def make_member(
    org: Org,
    *,
    name: str | None = None,
    status: str = PoliticalStatus.FULL,
    birth_date: dt.date = dt.date(1985, 6, 15),
    gender: str = "male",
    admission_date: dt.date | None = None,
    actor: Any = None,
    **person_extra: Any,
) -> Membership:
    """A member at `status` with consistent key dates ending at `admission_date` (+1 year if full)."""
    admission_date = admission_date or birth_date + relativedelta(years=25)
    application = admission_date - relativedelta(years=2)
    dates: dict[str, Any] = {"application_date": application}
    if status != PoliticalStatus.APPLICANT:
        dates["activist_date"] = application + relativedelta(months=3)
    if status in (PoliticalStatus.CANDIDATE, PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL):
        dates["candidate_date"] = application + relativedelta(months=16)
    if status in (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL):
        dates["admission_date"] = admission_date
    if status == PoliticalStatus.FULL:
        dates["conversion_date"] = admission_date + relativedelta(years=1)
    person_data = {
        "name": name or f"党员{next(_seq)}",
        "gender": gender,
        "birth_date": birth_date,
        "id_number": id_number_for(birth_date, gender),
        **person_extra,
    }
    return people_services.member_create(
        actor=actor, org=org, person_data=person_data, membership_data={"status": status, **dates}
    )


def make_user(
    username: str, *, grants: Sequence[tuple[str, Org]] = (), password: str = DEMO_PASSWORD, **extra: Any
) -> Any:
    user = get_user_model().objects.create_user(username=username, password=password, **extra)
    for role, org in grants:
        role_grant(actor=None, user=user, org=org, role=role)
    return user
