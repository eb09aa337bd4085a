"""Supervision's fixed rules and settings (read with getattr, so each is optional):

- XIANFENG_SUPERVISION_DUE_SOON_DAYS (7): an open item, rectification or work order is "due soon"
  this many days before its deadline;
- XIANFENG_SUPERVISION_IMMEDIATE_DAYS (15): the longest deadline of a 立行立改 rectification, counted
  from the batch's issue date (and its default deadline);
- XIANFENG_SUPERVISION_ESCALATE_DAYS (0): an overdue key task or rectification is escalated to the
  issuing org once it is more than this many days overdue.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone

DEFAULT_DUE_SOON_DAYS = 7
DEFAULT_IMMEDIATE_DAYS = 15
DEFAULT_ESCALATE_DAYS = 0
MAX_BOARD_ORGS = 300
MAX_LIST = 500


def today() -> dt.date:
    """Today in Asia/Shanghai (settings.TIME_ZONE): deadlines end at local midnight."""
    return timezone.localdate()


def due_soon_days() -> int:
    return int(getattr(settings, "XIANFENG_SUPERVISION_DUE_SOON_DAYS", DEFAULT_DUE_SOON_DAYS))


def immediate_days() -> int:
    return int(getattr(settings, "XIANFENG_SUPERVISION_IMMEDIATE_DAYS", DEFAULT_IMMEDIATE_DAYS))


def escalate_days() -> int:
    return int(getattr(settings, "XIANFENG_SUPERVISION_ESCALATE_DAYS", DEFAULT_ESCALATE_DAYS))


def is_overdue(deadline: dt.date, on: dt.date) -> bool:
    """A deadline is met all day long (local time); the next day it is overdue."""
    return on > deadline


def is_due_soon(deadline: dt.date, on: dt.date) -> bool:
    return not is_overdue(deadline, on) and on >= deadline - dt.timedelta(days=due_soon_days())
