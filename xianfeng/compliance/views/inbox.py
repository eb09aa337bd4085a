"""A user's own pages: what is due for them, and their notifications."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.compliance import selectors, services
from xianfeng.compliance.models import Notification
from xianfeng.compliance.views._common import _is_htmx

# --- Due for me, notifications --------------------------------------------------------------------


@login_required
@require_GET
def due(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    result = selectors.due_for_me(request.user, today)
    context = {"due": result, "today": today, "unread": selectors.unread_count(request.user)}
    return render(request, "compliance/due.html", context)


@login_required
@require_GET
def notifications(request: HttpRequest) -> HttpResponse:
    qs = Notification.objects.filter(user=request.user.pk)
    if request.GET.get("unread") == "1":
        qs = qs.filter(read_at__isnull=True)
    page = Paginator(qs.order_by("-created", "-id"), 50).get_page(request.GET.get("page"))
    context = {"page": page, "unread_only": request.GET.get("unread") == "1"}
    return render(request, "compliance/notifications.html", context)


@login_required
@require_POST
def notification_read(request: HttpRequest, pk: int) -> HttpResponse:
    notification = get_object_or_404(Notification, Q(user=request.user.pk), pk=pk)
    services.notification_read(user=request.user, notification=notification)
    if _is_htmx(request):
        return render(request, "compliance/partials/notification.html", {"n": notification})
    if request.POST.get("go") and notification.url.startswith("/"):
        return redirect(notification.url)
    return redirect("compliance:notifications")


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = services.notifications_read_all(user=request.user)
    messages.success(request, _("%(n)s notifications marked as read.") % {"n": count})
    return redirect("compliance:notifications")
