"""Helpers of the dues pages: the shared org helpers (core.pages), month arithmetic and page links."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils.http import urlencode

from xianfeng.core.pages import OrgChoice, call, org_choices, page_org

__all__ = ["OrgChoice", "call", "month_shift", "org_choices", "page_org", "page_url"]


def month_shift(month: dt.date, delta: int) -> dt.date:
    index = month.year * 12 + month.month - 1 + delta
    return dt.date(index // 12, index % 12 + 1, 1)


def page_url(name: str, **params: Any) -> str:
    query = {k: v for k, v in params.items() if v not in (None, "")}
    return reverse(name) + ("?" + urlencode(query) if query else "")
