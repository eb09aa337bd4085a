"""What the report pages share: the chosen year, and one document fetched for a user."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user
from xianfeng.reports.models import SummaryDocument
from xianfeng.reports.services import MIN_YEAR


def years() -> list[int]:
    today = timezone.localdate()
    return list(range(today.year, max(MIN_YEAR, today.year - 6) - 1, -1))


def chosen_year(request: HttpRequest) -> int:
    """?year= (or posted), default last year: the annual summary is written after the year ends."""
    source = request.POST if request.method == "POST" else request.GET
    today = timezone.localdate()
    try:
        year = int(source.get("year") or today.year - 1)
    except (TypeError, ValueError):
        year = today.year - 1
    return year


def document_for(request: HttpRequest, code: Any, action: str = Action.VIEW) -> SummaryDocument:
    doc: SummaryDocument = get_for_user(
        SummaryDocument.objects.select_related("org"), request.user, action, code=code
    )
    return doc


def _htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))
