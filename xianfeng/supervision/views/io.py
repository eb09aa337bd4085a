"""Key-task list import (.xlsx, all-or-nothing with every row's errors) and export."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.supervision import selectors, workbooks
from xianfeng.supervision.forms import ImportForm
from xianfeng.supervision.views._common import today
from xianfeng.supervision.views.tasks import _task_list


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=workbooks.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}"
    return response


@login_required
def list_import(request: HttpRequest, code: Any) -> HttpResponse:
    task_list = _task_list(request, code, Action.IMPORT)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        result, created = workbooks.import_items(actor=request.user, task_list=task_list, data=data)
        if result.ok:
            messages.success(request, _("%(n)s key tasks were imported.") % {"n": len(created)})
            return redirect("supervision:list_detail", task_list.code)
    context = {"task_list": task_list, "form": form, "result": result}
    return render(
        request, "supervision/import.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_GET
def list_export(request: HttpRequest, code: Any) -> HttpResponse:
    task_list = _task_list(request, code, Action.EXPORT)
    rows = list(
        selectors.items(request.user, task_list=task_list, today=today()).prefetch_related(
            "collaborators", "milestones"
        )
    )
    content = workbooks.export_items(actor=request.user, task_list=task_list, items=rows)
    return _xlsx(content, f"key-tasks-{task_list.year}.xlsx")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    return _xlsx(workbooks.template(), "key-tasks-template.xlsx")
