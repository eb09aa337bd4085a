"""Recording and voiding a person's written thought reports from their development page."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xianfeng.core.roles import Action
from xianfeng.development import services
from xianfeng.development.forms import ThoughtReportForm, VoidForm
from xianfeng.development.models import ThoughtReport
from xianfeng.development.views._common import call, person
from xianfeng.development.views.person import render_person


@login_required
@require_POST
def report_record(request: HttpRequest, code: Any) -> HttpResponse:
    membership = person(request, code, Action.CHANGE)
    form = ThoughtReportForm(request.POST)
    if form.is_valid():
        saved = call(
            form,
            lambda: services.thought_report_record(
                actor=request.user,
                membership=membership,
                received_on=form.cleaned_data["received_on"],
                summary=form.cleaned_data["summary"],
            ),
        )
        if saved is not None:
            messages.success(request, _("Thought report recorded."))
            return redirect(reverse("development:person", args=[membership.code]))
    return render_person(request, membership, report_form=form)


@login_required
@require_POST
def report_void(request: HttpRequest, code: Any, report: Any) -> HttpResponse:
    membership = person(request, code, Action.CHANGE)
    try:
        found = ThoughtReport.objects.get(membership=membership, code=report)
    except ThoughtReport.DoesNotExist as exc:
        raise Http404 from exc
    form = VoidForm(request.POST)
    if form.is_valid():
        done = call(
            form,
            lambda: services.thought_report_void(
                actor=request.user, report=found, reason=form.cleaned_data["reason"]
            ),
        )
        if done is not None:
            messages.success(request, _("Thought report voided."))
            return redirect(reverse("development:person", args=[membership.code]))
    messages.error(request, "; ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(reverse("development:person", args=[membership.code]))
