"""The lifecycle's numbers and the states computed from them, as pure functions over dates.

- Transfer letters (MEM-03): valid for XIANFENG_TRANSFER_LETTER_DAYS days (90 by default; the
  national figure is not confirmed, RULES.md marks it U, so it is a setting). `valid_until` = issue
  date + validity days is the last valid day; an issued letter not received by then is overdue from
  the next day.
- Mobile members (MEM-04): a member away without transferring the record is a mobile member once
  away 6 months (on the day 6 months after leaving). Members abroad (MEM-05) must be contacted at
  least once every 6 months: the next contact is due 6 months after the last one (or after leaving,
  before any contact); it is overdue from the day after, due soon in the last 30 days before.
- Suspension (MEM-02): abroad *more than* 5 years (the day after the fifth anniversary at the
  earliest), or out of contact *6 months or more* (the six-month date itself qualifies); after 2
  years of suspension without restoration (on the second anniversary) the member is to be removed as
  having left of their own accord (自行脱党).
- "光荣在党50年" (MEM-11): living full members in good standing whose conversion date is on or
  before 1 July of (year − 50).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.conf import settings

from xianfeng.lifecycle.choices import SuspensionReason, SuspensionState

DEFAULT_LETTER_DAYS = 90
MAX_LETTER_DAYS = 366
MOBILE_MONTHS = 6  # MEM-04: 教育管理条例 art. 32
CONTACT_MONTHS = 6  # MEM-05: 教育管理条例 art. 34
CONTACT_NOTICE_DAYS = 30
SUSPEND_ABROAD_YEARS = 5  # MEM-02: 教育管理条例 art. 24
SUSPEND_LOST_CONTACT_MONTHS = 6  # MEM-02
REMOVAL_YEARS = 2  # MEM-02
MEDAL_YEARS = 50  # MEM-11

SOURCE_TRANSFER = "《中国共产党党员教育管理工作条例》第二十五条（RULES.md MEM-03）"
SOURCE_MOBILE = "《中国共产党党员教育管理工作条例》第三十二条、第三十四条（RULES.md MEM-04, MEM-05）"
SOURCE_SUSPENSION = "《中国共产党党员教育管理工作条例》第二十四条（RULES.md MEM-02）"
SOURCE_MEDAL = "《“光荣在党50年”纪念章颁发管理办法》（2021）（RULES.md MEM-11）"


def letter_days() -> int:
    """The default validity of a letter, in days (MEM-03: U, configurable)."""
    return int(getattr(settings, "XIANFENG_TRANSFER_LETTER_DAYS", DEFAULT_LETTER_DAYS))


def valid_until(issue_date: dt.date, days: int) -> dt.date:
    return issue_date + dt.timedelta(days=days)


# --- mobile members ------------------------------------------------------------------------------


@dataclass(frozen=True)
class MobileState:
    mobile_from: dt.date
    mobile: bool  # away 6 months or more (MEM-04)
    abroad: bool
    last_contact: dt.date | None
    contact_due: dt.date | None  # members abroad only (MEM-05)
    contact_overdue: bool
    contact_due_soon: bool
    returned: bool


def mobile_state(
    *,
    start_date: dt.date,
    abroad: bool,
    last_contact: dt.date | None,
    return_date: dt.date | None,
    today: dt.date,
) -> MobileState:
    mobile_from = start_date + relativedelta(months=MOBILE_MONTHS)
    returned = return_date is not None and return_date <= today
    due = None
    if abroad and not returned:
        due = max(last_contact or start_date, start_date) + relativedelta(months=CONTACT_MONTHS)
    return MobileState(
        mobile_from=mobile_from,
        mobile=not returned and today >= mobile_from,
        abroad=abroad,
        last_contact=last_contact,
        contact_due=due,
        contact_overdue=due is not None and today > due,
        contact_due_soon=due is not None and due - dt.timedelta(days=CONTACT_NOTICE_DAYS) <= today <= due,
        returned=returned,
    )


# --- suspension ----------------------------------------------------------------------------------


def earliest_suspension(reason: str, since: dt.date) -> dt.date:
    """The first day a suspension on this ground may start."""
    if reason == SuspensionReason.ABROAD:
        return since + relativedelta(years=SUSPEND_ABROAD_YEARS) + dt.timedelta(days=1)
    return since + relativedelta(months=SUSPEND_LOST_CONTACT_MONTHS)


def removal_due(start_date: dt.date) -> dt.date:
    return start_date + relativedelta(years=REMOVAL_YEARS)


def suspension_state(
    *, start_date: dt.date, restored_date: dt.date | None, removed_date: dt.date | None, today: dt.date
) -> str:
    if removed_date is not None:
        return SuspensionState.REMOVED
    if restored_date is not None:
        return SuspensionState.RESTORED
    if today >= removal_due(start_date):
        return SuspensionState.DUE_REMOVAL
    return SuspensionState.SUSPENDED


# --- medal ---------------------------------------------------------------------------------------


def medal_cutoff(year: int) -> dt.date:
    """Conversion on or before this date: 50 years of Party age by 1 July of `year` (MEM-11)."""
    return dt.date(year - MEDAL_YEARS, 7, 1)
