"""One person's development: the timeline, what is open, recording a step and voiding the latest one."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.development import selectors, services
from xianfeng.development.forms import StepForm, ThoughtReportForm, VoidForm, offered_steps
from xianfeng.development.models import DevelopmentStep, ThoughtReport
from xianfeng.development.progress import next_steps
from xianfeng.development.steps import BY_CODE, STATUS_AFTER, Step
from xianfeng.development.thought_reports import (
    REPORT_STATUSES,
    last_received,
    next_report,
    report_every_months,
    with_report,
)
from xianfeng.development.views._common import call, person
from xianfeng.development.views.requirements import requirements
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership


def _voidable(record: DevelopmentStep | None) -> bool:
    """The service voids only the latest valid step, and not one that moved the person's status."""
    if record is None:
        return False
    return (record.step, record.decision) not in STATUS_AFTER and record.step != "conversion_approval"


def render_person(
    request: HttpRequest,
    membership: Membership,
    void_form: VoidForm | None = None,
    report_form: ThoughtReportForm | None = None,
    upload: tuple[str, list[str]] | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    line = selectors.timeline(membership)
    reports = list(ThoughtReport.objects.filter(membership=membership).order_by("-received_on", "-id"))
    report = next_report(membership, last_received(reports), kept=bool(line.valid))
    can_change = can(request.user, Action.CHANGE, membership.org) and membership.is_current
    context: dict[str, Any] = {
        "membership": membership,
        "timeline": line,
        "next": [
            selectors.deadline(n, today) for n in with_report(next_steps(membership, line.valid), report)
        ],
        "reports": reports,
        "takes_reports": membership.status in REPORT_STATUSES,
        "report_every": report_every_months(),
        "report_form": report_form or ThoughtReportForm(initial={"received_on": today}),
        "can_change": can_change,
        "offered": offered_steps(membership, line.valid) if can_change else [],
        "latest": line.latest,
        "voidable": _voidable(line.latest),
        "void_form": void_form or VoidForm(),
        "void_open": void_form is not None,
    }
    # a refused upload: the step whose form shows the errors, and the errors
    context["upload_step"], context["upload_errors"] = upload or ("", [])
    bad = void_form is not None or report_form is not None or upload is not None
    return render(request, "development/person.html", context, status=400 if bad else 200)


@login_required
@require_GET
def person_page(request: HttpRequest, code: Any) -> HttpResponse:
    return render_person(request, person(request, code))


def _vote_defaults(membership: Membership) -> dict[str, Any]:
    """Voting members of the branch: its current full members (probationary members have no vote)."""
    full = Membership.objects.filter(org=membership.org, status=PoliticalStatus.FULL).current().count()
    return {"should_attend": full or None}


def _step_of(code: str) -> Step:
    step = BY_CODE.get(code)
    if step is None:
        raise Http404
    return step


@login_required
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, code: Any, step: str) -> HttpResponse:
    """The form of one step, with what the rules require shown before the save."""
    membership = person(request, code, Action.CHANGE)
    definition = _step_of(step)
    today = timezone.localdate()
    valid = selectors.timeline(membership).valid
    kwargs: dict[str, Any] = {"step": definition, "membership": membership, "user": request.user}
    if request.method == "POST":
        form = StepForm(request.POST, **kwargs)
        if form.is_valid():
            saved = call(
                form,
                lambda: services.step_record(
                    actor=request.user,
                    membership=membership,
                    proposed=form.proposed(),
                    note=form.cleaned_data.get("note", ""),
                ),
            )
            if saved is not None:
                messages.success(request, _("Recorded: %(step)s.") % {"step": definition.label})
                return redirect(reverse("development:person", args=[membership.code]))
    else:
        initial = {"date": today, **(_vote_defaults(membership) if definition.votes else {})}
        form = StepForm(initial=initial, **kwargs)
    context = {
        "membership": membership,
        "step": definition,
        "form": form,
        "requirements": requirements(definition, membership, valid, today),
        "offered": definition in offered_steps(membership, valid),
    }
    return render(request, "development/record.html", context, status=400 if form.is_bound else 200)


@login_required
@require_POST
def void(request: HttpRequest, code: Any) -> HttpResponse:
    """Void the latest valid step with a reason (it stays on the timeline, struck through)."""
    membership = person(request, code, Action.CHANGE)
    try:
        record_ = DevelopmentStep.objects.get(membership=membership, code=request.POST.get("step", ""))
    except (DevelopmentStep.DoesNotExist, ValidationError, ValueError) as exc:
        raise Http404 from exc
    form = VoidForm(request.POST)
    voided: DevelopmentStep | None = None
    if form.is_valid():
        reason = form.cleaned_data["reason"]
        voided = call(form, lambda: services.step_void(actor=request.user, step=record_, reason=reason))
    if voided is not None:
        messages.success(request, _("Step voided: %(step)s.") % {"step": BY_CODE[record_.step].label})
        return redirect(reverse("development:person", args=[membership.code]))
    return render_person(request, membership, form)
