"""The summaries page (choose org and year, build, the documents and jobs so far), the live facts of
an org and year, and a job's progress (polled by htmx until it ends)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.pages import org_choices, page_org, staff_only
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.reports import facts, jobs, services
from xianfeng.reports.models import ReportJob
from xianfeng.reports.selectors import documents_for, jobs_for
from xianfeng.reports.views._common import _htmx, chosen_year, years


@login_required
@require_GET
def summaries(request: HttpRequest) -> HttpResponse:
    staff_only(request)
    org = page_org(request)
    year = chosen_year(request)
    return _page(request, org, year)


def _page(request: HttpRequest, org: object, year: int, error: str = "", status: int = 200) -> HttpResponse:
    context = {
        "org": org,
        "year": year,
        "years": years(),
        "orgs": org_choices(request.user, org),  # type: ignore[arg-type]
        "can_build": can(request.user, services.BUILD_ACTION, org),  # type: ignore[arg-type]
        "can_configure": can(request.user, Action.CHANGE, org),  # type: ignore[arg-type]
        "documents": documents_for(request.user, org)[:20],
        "jobs": jobs_for(request.user, org).exclude(status="done")[:10],
        "error": error,
    }
    return render(request, "reports/summaries.html", context, status=status)


@login_required
@require_POST
def build(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=services.BUILD_ACTION)
    year = chosen_year(request)
    try:
        job = services.summary_job_create(actor=request.user, org=org, year=year)
    except ValidationError as exc:
        return _page(request, org, year, " ".join(exc.messages), status=400)
    jobs.dispatch(job)
    return redirect("reports:job", code=job.code)


@login_required
@require_GET
def job_detail(request: HttpRequest, code: str) -> HttpResponse:
    job: ReportJob = get_for_user(
        ReportJob.objects.select_related("org", "document"), request.user, code=code
    )
    if job.status == "done" and job.document is not None:  # a finished job is its document
        target = reverse("reports:document", args=[job.document.code])
        if not _htmx(request):
            return redirect(target)
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    template = "reports/partials/job_progress.html" if _htmx(request) else "reports/job.html"
    return render(request, template, {"job": job})


@login_required
@require_GET
def facts_page(request: HttpRequest) -> HttpResponse:
    """Every fact of the org and year with its rule, status and name (for template authors)."""
    staff_only(request)
    org = page_org(request)
    year = chosen_year(request)
    today = timezone.localdate()
    error = ""
    fact_set = None
    if not services.MIN_YEAR <= year <= today.year:
        error = f"年度应在 {services.MIN_YEAR} 至 {today.year} 之间。"
    else:
        fact_set = facts.compute(org, facts.Period.year(year), today=today)
    context = {
        "org": org,
        "year": year,
        "years": years(),
        "orgs": org_choices(request.user, org),
        "fact_set": fact_set,
        "error": error,
    }
    return render(request, "reports/facts.html", context, status=400 if error else 200)
