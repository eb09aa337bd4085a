"""Monthly themes of a committee, and weekly summaries and monthly plans of any org (周总结、月计划),
visible up the tree (a plan is in the subtree of every org above)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.supervision.models import MonthlyTheme, PlanKind, WorkPlan
from xianfeng.supervision.services._common import Errors, active, clean, raise_errors, record

THEME_ORG_TYPES = frozenset({OrgType.COMMITTEE, OrgType.GENERAL_BRANCH})


def period_start(kind: str, day: dt.date) -> dt.date:
    """A weekly summary is filed under its Monday, a monthly plan under the first of the month."""
    if kind == PlanKind.WEEKLY_SUMMARY:
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


@transaction.atomic
def theme_set(*, actor: Any, org: Org, month: dt.date, theme: str, measures: str = "") -> MonthlyTheme:
    require(actor, Action.CHANGE, org)
    errors: Errors = {}
    if org.org_type not in THEME_ORG_TYPES:
        errors["org"] = _("A monthly theme is set by a committee or general branch.")
    if not clean(theme):
        errors["theme"] = _("Name the theme of the month.")
    if not active(org):
        errors["org"] = _("The organization is dissolved.")
    raise_errors(errors)
    row = MonthlyTheme.objects.select_for_update().filter(org=org, month=month.replace(day=1)).first()
    before = audit.snapshot(row) if row else None
    row = row or MonthlyTheme(org=org, month=month.replace(day=1))
    row.theme, row.measures = clean(theme), clean(measures)
    row.full_clean(validate_unique=False)
    row.save()
    record(actor, "supervision.theme_set", row, org, before=before)
    return row


@transaction.atomic
def plan_save(*, actor: Any, org: Org, kind: str, period: dt.date, content: str) -> WorkPlan:
    require(actor, Action.CHANGE, org)
    errors: Errors = {}
    if kind not in PlanKind.values:
        errors["kind"] = _("Choose weekly summary or monthly plan.")
    if not clean(content):
        errors["content"] = _("Write the summary or plan.")
    if not active(org):
        errors["org"] = _("The organization is dissolved.")
    raise_errors(errors)
    start = period_start(kind, period)
    row = WorkPlan.objects.select_for_update().filter(org=org, kind=kind, period=start).first()
    before = audit.snapshot(row) if row else None
    row = row or WorkPlan(org=org, kind=kind, period=start)
    row.content = clean(content)
    row.author = actor if getattr(actor, "is_authenticated", False) else None
    row.full_clean(validate_unique=False)
    row.save()
    record(actor, "supervision.plan_save", row, org, before=before)
    return row
