"""Builders for the lifecycle tests: valid records in one line, dates relative to today."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from xianfeng.lifecycle import services
from xianfeng.lifecycle.choices import AwayReason, ContactMethod, SuspensionReason

TODAY = timezone.localdate()
_numbers = itertools.count(1)


def days_ago(n: int) -> dt.date:
    return TODAY - dt.timedelta(days=n)


def months_ago(n: int) -> dt.date:
    return TODAY - relativedelta(months=n)


def issue(membership: Any, *, actor: Any = None, issue_date: dt.date | None = None, **kw: Any) -> Any:
    kw.setdefault("counterpart_name", "中共某某公司委员会")
    return services.letter_issue(
        actor=actor,
        membership=membership,
        number=kw.pop("number", f"组转字〔2026〕{next(_numbers)}号"),
        issue_date=issue_date or TODAY,
        **kw,
    )


def away(membership: Any, *, actor: Any = None, start_date: dt.date | None = None, **kw: Any) -> Any:
    kw.setdefault("place", "上海市浦东新区")
    kw.setdefault("reason", AwayReason.WORK)
    return services.mobile_start(
        actor=actor, membership=membership, start_date=start_date or months_ago(1), **kw
    )


def contact(record: Any, date: dt.date, *, actor: Any = None) -> Any:
    return services.mobile_contact_add(actor=actor, record=record, date=date, method=ContactMethod.PHONE)


def suspend(membership: Any, *, actor: Any = None, start_date: dt.date | None = None, **kw: Any) -> Any:
    kw.setdefault("reason", SuspensionReason.LOST_CONTACT)
    kw.setdefault("since", (start_date or TODAY) - relativedelta(months=7))
    kw.setdefault("note", "支部大会决定")
    return services.suspension_start(actor=actor, membership=membership, start_date=start_date or TODAY, **kw)
