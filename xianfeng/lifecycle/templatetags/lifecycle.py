"""`{% lifecycle_sections membership %}`: the lifecycle sections of a member's record (letters, time
away, suspension, info sets), loaded in a fixed number of queries (lifecycle.selectors.member_sections)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from xianfeng.lifecycle.selectors import member_sections

register = template.Library()


@register.inclusion_tag("lifecycle/partials/sections.html", takes_context=True)
def lifecycle_sections(context: template.Context, membership: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"s": member_sections(membership, user, timezone.localdate()), "request": request}
