"""The rectification register: batches and their problems, one problem with its evidence, the
owner's submission, the issuer's verification and the rectification notice (.docx)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.orgs.models import Org
from xianfeng.supervision import documents, selectors, services, workbooks
from xianfeng.supervision.forms import BatchForm, MeasuresForm, RectificationForm, SubmitForm, VerifyForm
from xianfeng.supervision.models import (
    Rectification,
    RectificationBatch,
    RectificationCategory,
    RectificationEvidence,
    RectificationSource,
    RectificationStatus,
)
from xianfeng.supervision.selectors import RECT_STATE_LABELS
from xianfeng.supervision.services.rectifications import may_submit, may_verify
from xianfeng.supervision.views._common import download as file_download
from xianfeng.supervision.views._common import (
    form_page,
    org_choices,
    page_org,
    staff_only,
    today,
    with_states,
)


def _batch(request: HttpRequest, code: Any, action: str = Action.VIEW) -> RectificationBatch:
    staff_only(request)
    qs = RectificationBatch.objects.select_related("org")
    if Rectification.objects.restrict(request.user).filter(batch__code=code).exists():
        found = get_object_or_404(qs, code=code)
        if action != Action.VIEW and not can(request.user, action, found.org):
            raise PermissionDenied  # seen through its items, but not the issuer's to change
        return found
    batch: RectificationBatch = get_for_user(qs, request.user, action, code=code)
    return batch


def _item(request: HttpRequest, code: Any) -> Rectification:
    qs = Rectification.objects.select_related("batch__org", "responsible_org", "responsible_person")
    item: Rectification = get_for_user(qs, request.user, Action.VIEW, code=code)
    return item


@login_required
@require_GET
def register(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    day = today()
    batch = None
    if request.GET.get("batch"):
        batch = _batch(request, request.GET["batch"])
    state = request.GET.get("state", "")
    category = request.GET.get("category", "")
    source = request.GET.get("source", "")
    qs = selectors.rectifications(
        request.user, org=org, batch=batch, state=state, category=category, source=source, today=day
    )
    rows = with_states(qs[: selectors.rules.MAX_LIST], day)
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "rows": rows,
        "truncated": len(rows) >= selectors.rules.MAX_LIST,
        "batch": batch,
        "batches": selectors.batches(request.user, org)[:50],
        "counts": selectors.rectification_counts(org=org, today=day),
        "state": state,
        "category": category,
        "source": source,
        "states": list(RECT_STATE_LABELS.items()),
        "categories": RectificationCategory.choices,
        "sources": RectificationSource.choices,
        "can_change": can(request.user, Action.CHANGE, org),
        "can_export": can(request.user, Action.EXPORT, org),
        "query": request.GET.urlencode(),
    }
    return render(request, "supervision/register.html", context)


@login_required
@require_GET
def register_export(request: HttpRequest) -> HttpResponse:
    """The register as filtered on the page, as .xlsx (EXPORT on the org)."""
    org = page_org(request, action=Action.EXPORT)
    day = today()
    batch = _batch(request, request.GET["batch"]) if request.GET.get("batch") else None
    qs = selectors.rectifications(
        request.user,
        org=org,
        batch=batch,
        state=request.GET.get("state", ""),
        category=request.GET.get("category", ""),
        source=request.GET.get("source", ""),
        today=day,
    )
    rows = with_states(qs, day)
    content = workbooks.export_rectifications(actor=request.user, org=org, rows=rows)
    response = HttpResponse(content, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''rectifications-{day.isoformat()}.xlsx"
    return response


@login_required
def batch_create(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.CHANGE)
    form = BatchForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Record a batch of problems"),
        submit_label=_("Record"),
        cancel_url=reverse("supervision:rectifications") + f"?org={org.pk}",
        write=lambda: services.batch_create(actor=request.user, org=org, **form.cleaned_data),
        done_url=lambda b: reverse("supervision:rectification_add", args=[b.code]),
        done_message=_("The batch was recorded; now add its problems."),
        summary=[(_("Issuing organization"), org.name)],
    )


@login_required
def rectification_add(request: HttpRequest, code: Any) -> HttpResponse:
    batch = _batch(request, code, Action.CHANGE)
    form = RectificationForm(request.POST or None, batch=batch)
    register_url = reverse("supervision:rectifications") + f"?org={batch.org_id}&batch={batch.code}"
    return form_page(
        request,
        form,
        title=_("Add a problem to rectify"),
        submit_label=_("Add the problem"),
        cancel_url=register_url,
        write=lambda: services.rectification_add(actor=request.user, batch=batch, **form.cleaned_data),
        done_url=register_url,
        done_message=_("The problem was added to the register."),
        summary=[
            (_("Batch"), batch.title),
            (_("Source"), batch.get_source_display()),
            (_("Issued on"), batch.issued_on.isoformat()),
        ],
    )


@login_required
@require_GET
def notice(request: HttpRequest, code: Any) -> HttpResponse:
    """The rectification notice (整改通知单) of a batch, for one responsible org (?to=) or all."""
    batch = _batch(request, code)
    to: Org | None = None
    if request.GET.get("to"):
        try:
            to = get_for_user(Org.objects.all(), request.user, Action.VIEW, pk=int(request.GET["to"]))
        except ValueError:
            to = None
    items = list(
        Rectification.objects.restrict(request.user)
        .filter(batch=batch, **({"responsible_org": to} if to else {}))
        .select_related("responsible_org", "responsible_person")
        .order_by("number")
    )
    content = documents.rectification_notice_export(actor=request.user, batch=batch, items=items, to=to)
    response = HttpResponse(content, content_type=documents.DOCX_CONTENT_TYPE)
    response["Content-Disposition"] = "attachment; filename*=UTF-8''" + documents.notice_filename(batch)
    return response


@login_required
@require_GET
def detail(request: HttpRequest, code: Any) -> HttpResponse:
    item = _item(request, code)
    day = today()
    with_states([item], day)
    context = {
        "item": item,
        "files": list(item.files.order_by("pk")),
        "orders": list(item.work_orders.select_related("recipient_org").order_by("pk")),
        "may_submit": may_submit(request.user, item) and item.status == RectificationStatus.OPEN,
        "may_verify": may_verify(request.user, item) and item.status == RectificationStatus.SUBMITTED,
        "may_order": can(request.user, Action.CHANGE, item.batch.org)
        and item.responsible_org_id != item.batch.org_id,
        "today": day,
    }
    return render(request, "supervision/rectification.html", context)


def _summary(item: Rectification) -> list[tuple[Any, Any]]:
    return [
        (_("Problem"), item.problem),
        (_("Category"), item.get_category_display()),
        (_("Responsible organization"), item.responsible_org.name),
        (_("Measures"), item.measures or "—"),
        (_("Deadline"), item.deadline.isoformat() + ("（立行立改）" if item.immediate else "")),
    ]


@login_required
def submit(request: HttpRequest, code: Any) -> HttpResponse:
    item = _item(request, code)
    if not may_submit(request.user, item):
        raise PermissionDenied
    form = SubmitForm(request.POST or None, request.FILES or None)
    return form_page(
        request,
        form,
        title=_("Submit the rectification for verification"),
        submit_label=_("Submit"),
        cancel_url=reverse("supervision:rectification", args=[item.code]),
        write=lambda: services.rectification_submit(
            actor=request.user,
            item=item,
            evidence=form.cleaned_data["evidence"],
            files=form.cleaned_data["evidence_files"],
        ),
        done_url=reverse("supervision:rectification", args=[item.code]),
        done_message=_("The evidence was submitted; the issuer verifies it."),
        summary=_summary(item),
    )


@login_required
def measures(request: HttpRequest, code: Any) -> HttpResponse:
    """The owner writes down or revises the measures while the problem is being rectified."""
    item = _item(request, code)
    if not may_submit(request.user, item):
        raise PermissionDenied
    form = MeasuresForm(request.POST or None, initial={"measures": item.measures})
    return form_page(
        request,
        form,
        title=_("Rectification measures"),
        submit_label=_("Save"),
        cancel_url=reverse("supervision:rectification", args=[item.code]),
        write=lambda: services.rectification_update(
            actor=request.user, item=item, measures=form.cleaned_data["measures"]
        ),
        done_url=reverse("supervision:rectification", args=[item.code]),
        done_message=_("The measures were saved."),
        summary=_summary(item),
    )


@login_required
def verify(request: HttpRequest, code: Any) -> HttpResponse:
    item = _item(request, code)
    if not can(request.user, Action.CHANGE, item.batch.org):
        raise PermissionDenied
    form = VerifyForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Verify the rectification"),
        submit_label=_("Record the verification"),
        cancel_url=reverse("supervision:rectification", args=[item.code]),
        write=lambda: services.rectification_verify(
            actor=request.user,
            item=item,
            accept=form.cleaned_data["decision"] == "accept",
            note=form.cleaned_data["note"],
        ),
        done_url=reverse("supervision:rectification", args=[item.code]),
        done_message=_("The verification was recorded."),
        summary=[*_summary(item), (_("Evidence"), item.evidence or "—")],
    )


@login_required
@require_GET
def evidence_file(request: HttpRequest, code: Any, pk: int) -> FileResponse:
    item = _item(request, code)
    row = get_object_or_404(RectificationEvidence, pk=pk, rectification=item)
    return file_download(row.file, row.name, row.content_type)
