"""The month calendar and the filtered list of the visible orgs' activities."""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.activities import selectors
from xianfeng.activities.choices import ActivityStatus
from xianfeng.activities.models import ActivityKind
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.orgs.models import Org

PAGE_SIZE = 50
ORG_OPTION_LEVELS = 3
ORG_OPTION_LIMIT = 400


def _org_options(user: Any) -> list[tuple[int, str]]:
    """The top levels of the user's visible tree for the org filter (deeper orgs through the tree)."""
    visible = Org.objects.restrict(user, Action.VIEW)
    base = visible.aggregate(base=Min("depth"))["base"] or 1
    fields = ("pk", "name", "short_name", "depth", "path")
    orgs: list[Org] = []
    for levels in range(ORG_OPTION_LEVELS, 0, -1):
        orgs = list(visible.filter(depth__lt=base + levels).only(*fields)[: ORG_OPTION_LIMIT + 1])
        if len(orgs) <= ORG_OPTION_LIMIT:
            break
    return [(o.pk, "\u3000" * (o.depth - base) + o.display_name) for o in orgs[:ORG_OPTION_LIMIT]]


def _filter_context(request: HttpRequest) -> dict[str, Any]:
    return {
        "org_options": _org_options(request.user),
        "kinds": list(ActivityKind.objects.filter(active=True).only("code", "name")),
        "status_choices": ActivityStatus.choices,
        "selected": request.GET,
        "can_plan": can(request.user, Action.CHANGE, None),
    }


# --- calendar and list ---------------------------------------------------------------------------


@login_required
def calendar_view(request: HttpRequest) -> HttpResponse:
    """A month of the visible orgs' activities; planned, held and cancelled differ by colour and icon."""
    user = request.user
    if not can(user, Action.VIEW, None):  # self-service accounts have their own page
        return redirect("activities:my")
    today = timezone.localdate()
    first = selectors.parse_month(request.GET.get("month"), today)
    filterset = selectors.ActivityFilterSet(
        {k: v for k, v in request.GET.items() if k in ("org", "kind", "status")},
        queryset=selectors.visible_activities(user),
    )
    queryset = filterset.qs if filterset.is_valid() else selectors.visible_activities(user).none()
    weeks = selectors.calendar_month(queryset=queryset, first=first, today=today)
    context = {
        "weeks": weeks,
        "has_any": any(day.activities for week in weeks for day in week),
        "month": first,
        "previous": (first - relativedelta(months=1)).strftime("%Y-%m"),
        "next": (first + relativedelta(months=1)).strftime("%Y-%m"),
        "this_month": today.strftime("%Y-%m"),
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
        **_filter_context(request),
    }
    return render(request, "activities/calendar.html", context)


@login_required
def activity_list(request: HttpRequest) -> HttpResponse:
    """Filters (org subtree, kind, status, month) above a paginated table; htmx re-renders the table."""
    user = request.user
    if not can(user, Action.VIEW, None):
        return redirect("activities:my")
    filterset = selectors.ActivityFilterSet(request.GET, queryset=selectors.activity_list(user=user))
    try:
        queryset = filterset.qs if filterset.is_valid() else selectors.activity_list(user=user).none()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        queryset = selectors.activity_list(user=user).none()
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "activities": list(page.object_list),
        "filter_errors": filterset.errors,
    }
    if request.htmx and request.htmx.target == "activity-table":  # type: ignore[attr-defined]
        return render(request, "activities/partials/activity_table.html", context)
    return render(request, "activities/list.html", context | _filter_context(request))
