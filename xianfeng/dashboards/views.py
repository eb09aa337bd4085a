"""The home dashboard: members and organizations in the user's visible scope."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.dashboards.selectors import dashboard
from xianfeng.orgs.choices import TERM_REMINDER_MONTHS


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Members with no subtree to view (self-service only) go to their own record."""
    user = request.user
    if not can(user, Action.VIEW, None):
        return redirect("people:me")
    data = dashboard(user, timezone.localdate())
    charts = data.chart_data()
    # A click on a bar opens the records behind it; the tables under the charts link the same way.
    members, orgs = reverse("people:list"), reverse("orgs:tree")
    charts["status"]["links"] = [f"{members}?status={row['key']}" for row in data.by_status]
    charts["org_types"]["links"] = [f"{orgs}?org_type={row['key']}" for row in data.orgs_by_type]
    context = {
        "data": data,
        "charts": charts,
        "reminder_months": TERM_REMINDER_MONTHS,
        "can_import": can(user, Action.IMPORT, None),
    }
    return render(request, "dashboards/home.html", context)
