"""Small builders for compliance tests: activities, attendance, posts and contact points written with the
ORM directly (the engine only reads them), so these tests do not depend on activities.services."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from django.utils import timezone

from xianfeng.activities.choices import ActivityStatus, AttendanceStatus
from xianfeng.activities.models import Activity, ActivityKind, AgendaItem, Attendance
from xianfeng.compliance.models import ContactPoint
from xianfeng.people.models import PostHolding

_seq = itertools.count(1)


def at(day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
    """An aware datetime in the local time zone (Asia/Shanghai)."""
    return timezone.make_aware(
        dt.datetime.combine(day, dt.time(hour, minute)), timezone.get_current_timezone()
    )


def kind(code: str) -> ActivityKind:
    return ActivityKind.objects.get(code=code)


def held(
    org: Any,
    kind_code: str,
    day: dt.date,
    *,
    hour: int = 9,
    minute: int = 0,
    tags: list[str] | None = None,
    status: str = ActivityStatus.HELD,
    **extra: Any,
) -> Activity:
    """An activity of `kind_code` held (or planned/cancelled) in `org` on `day`."""
    when = at(day, hour, minute)
    activity = Activity.objects.create(
        kind=kind(kind_code),
        org=org,
        title=extra.pop("title", f"{kind_code} {next(_seq)}"),
        status=status,
        planned_start=when,
        held_start=when if status == ActivityStatus.HELD else None,
        **extra,
    )
    if tags:
        AgendaItem.objects.create(activity=activity, order=1, topic="议题", tags=tags)
    return activity


def attend(activity: Activity, person: Any, status: str = AttendanceStatus.PRESENT) -> Attendance:
    return Attendance.objects.create(activity=activity, person=person, status=status)


def post(person: Any, org: Any, post_name: str, start: dt.date, end: dt.date | None = None) -> PostHolding:
    return PostHolding.objects.create(person=person, org=org, post=post_name, start_date=start, end_date=end)


def contact_point(person: Any, org: Any, start: dt.date, end: dt.date | None = None) -> ContactPoint:
    return ContactPoint.objects.create(person=person, org=org, start_date=start, end_date=end)


def enterprise_profile(*orgs: Any, code: str = "ent") -> Any:
    """An enterprise profile assigned to `orgs` (written directly; services are tested on their own)."""
    from xianfeng.compliance.models import ObligationProfile, ProfileAssignment, RuleLevel

    profile = ObligationProfile.objects.create(code=code, name=f"Profile {code}", level=RuleLevel.ENTERPRISE)
    for org in orgs:
        ProfileAssignment.objects.create(profile=profile, org=org)
    return profile


def obligation(profile: Any, code: str, kinds: list[str], **fields: Any) -> Any:
    from xianfeng.compliance.models import Obligation, RuleLevel

    values: dict[str, Any] = {
        "title": code,
        "subject": "org",
        "org_types": ["branch"],
        "min_count": 1,
        "period": "month",
        "citation": f"citation of {code}",
        "rule_ref": "ENT-1",
        "level": RuleLevel.ENTERPRISE,
        "valid_from": dt.date(2020, 1, 1),
        **fields,
    }
    made = Obligation.objects.create(profile=profile, code=code, **values)
    made.kinds.set(ActivityKind.objects.filter(code__in=kinds))
    return made


def seed004() -> dict[str, Any]:
    """Seed 004's profile as shipped (compliance/data/seed004.json)."""
    import json

    from xianfeng.compliance.catalogue import DATA_DIR

    data: dict[str, Any] = json.loads((DATA_DIR / "seed004.json").read_text(encoding="utf-8"))
    return data
