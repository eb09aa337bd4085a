"""Key-task pages: the lists of an org, one list with its items, an item with its progress, and the
forms that move an item through the status machine."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.supervision import selectors, services
from xianfeng.supervision.forms import (
    ItemForm,
    NoteForm,
    ProgressForm,
    ResponseForm,
    ReturnForm,
    TaskListForm,
)
from xianfeng.supervision.models import (
    ItemState,
    ItemStatus,
    Milestone,
    ProgressAttachment,
    TaskItem,
    TaskList,
)
from xianfeng.supervision.services.tasks import may_check, may_report
from xianfeng.supervision.views._common import (
    download,
    form_page,
    org_choices,
    page_org,
    staff_only,
    today,
    with_states,
)

STATE_FILTERS: list[tuple[str, Any]] = [
    ("", None),
    ("open", None),
    *((s.value, s.label) for s in ItemState),
]


def _task_list(request: HttpRequest, code: Any, action: str = Action.VIEW) -> TaskList:
    """A list is seen by whoever sees its issuing org, or any of its items (a branch sees the
    committee's list for the items it leads); changed by whoever may change the issuing org."""
    staff_only(request)
    qs = TaskList.objects.select_related("org")
    if TaskItem.objects.restrict(request.user).filter(task_list__code=code).exists():
        found = get_object_or_404(qs, code=code)
        if action != Action.VIEW and not can(request.user, action, found.org):
            raise PermissionDenied  # seen through its items, but not the issuer's to change
        return found
    task_list: TaskList = get_for_user(qs, request.user, action, code=code)
    return task_list


def _item(request: HttpRequest, code: Any) -> TaskItem:
    """An item: seen by its lead org's readers, the issuer above, and its own lead person."""
    qs = TaskItem.objects.select_related("task_list__org", "lead_org", "lead_person")
    item: TaskItem = get_for_user(qs, request.user, Action.VIEW, code=code)
    return item


@login_required
@require_GET
def lists(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "lists": selectors.task_lists(request.user, org),
        "can_change": can(request.user, Action.CHANGE, org),
    }
    return render(request, "supervision/lists.html", context)


@login_required
def list_create(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.CHANGE)
    form = TaskListForm(request.POST or None)

    def write() -> TaskList:
        data = form.cleaned_data
        return services.task_list_create(
            actor=request.user,
            org=org,
            year=data["year"],
            title=data["title"],
            issued_on=data["issued_on"],
            categories=form.category_names(),
            note=data["note"],
        )

    return form_page(
        request,
        form,
        title=_("Issue a key-task list"),
        submit_label=_("Issue the list"),
        cancel_url=reverse("supervision:lists") + f"?org={org.pk}",
        write=write,
        done_url=lambda tl: reverse("supervision:list_detail", args=[tl.code]),
        done_message=_("The key-task list was issued."),
        summary=[(_("Issuing organization"), org.name)],
    )


@login_required
@require_GET
def list_detail(request: HttpRequest, code: Any) -> HttpResponse:
    task_list = _task_list(request, code)
    state = request.GET.get("state", "")
    day = today()
    rows = with_states(selectors.items(request.user, task_list=task_list, state=state, today=day), day)
    categories: dict[Any, list[TaskItem]] = {}
    for row in rows:
        categories.setdefault(row.category.name if row.category else "", []).append(row)
    context = {
        "task_list": task_list,
        "groups": list(categories.items()),
        "count": len(rows),
        "state": state,
        "states": [(s.value, s.label) for s in ItemState],
        "can_change": can(request.user, Action.CHANGE, task_list.org),
        "can_import": can(request.user, Action.IMPORT, task_list.org),
        "can_export": can(request.user, Action.EXPORT, task_list.org),
        "today": day,
    }
    return render(request, "supervision/list_detail.html", context)


@login_required
def item_add(request: HttpRequest, code: Any) -> HttpResponse:
    task_list = _task_list(request, code, Action.CHANGE)
    form = ItemForm(request.POST or None, task_list=task_list)

    def write() -> TaskItem:
        data = form.cleaned_data
        return services.item_add(
            actor=request.user,
            task_list=task_list,
            data=services.ItemIn(
                title=data["title"],
                lead_org=data["lead_org"],
                lead_person=data["lead_person"],
                deadline=data["deadline"],
                category=data["category"],
                collaborators=list(data["collaborators"]),
                acceptance=data["acceptance"],
                milestones=[services.MilestoneIn(title=t, due=d) for d, t in data["milestones"]],
            ),
        )

    return form_page(
        request,
        form,
        title=_("Add a key task"),
        submit_label=_("Add the task"),
        cancel_url=reverse("supervision:list_detail", args=[task_list.code]),
        write=write,
        done_url=reverse("supervision:list_detail", args=[task_list.code]),
        done_message=_("The key task was added."),
        summary=[(_("Key-task list"), task_list.title), (_("Issued on"), task_list.issued_on.isoformat())],
    )


@login_required
@require_GET
def items(request: HttpRequest) -> HttpResponse:
    """Every key task under an org, filtered by state (the board's figures link here)."""
    org = page_org(request)
    state = request.GET.get("state", "")
    day = today()
    qs = selectors.items(request.user, org=org, state=state, today=day)
    rows = with_states(qs[: selectors.rules.MAX_LIST], day)
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "rows": rows,
        "state": state,
        "states": [(s.value, s.label) for s in ItemState],
        "truncated": len(rows) >= selectors.rules.MAX_LIST,
    }
    return render(request, "supervision/items.html", context)


@login_required
@require_GET
def item_detail(request: HttpRequest, code: Any) -> HttpResponse:
    item = selectors.item_detail(_item(request, code))
    day = today()
    with_states([item], day)
    context = {
        "item": item,
        "today": day,
        "may_report": may_report(request.user, item)
        and item.status in (ItemStatus.NOT_STARTED, ItemStatus.IN_PROGRESS),
        "may_report_done": may_report(request.user, item) and item.status == ItemStatus.IN_PROGRESS,
        "may_check": may_check(request.user, item) and item.status == ItemStatus.PENDING_CHECK,
        "may_order": can(request.user, Action.CHANGE, item.task_list.org)
        and item.lead_org_id != item.task_list.org_id,
    }
    return render(request, "supervision/item_detail.html", context)


def _owner_item(request: HttpRequest, code: Any) -> TaskItem:
    item = _item(request, code)
    if not may_report(request.user, item):
        raise PermissionDenied
    return item


def _item_summary(item: TaskItem) -> list[tuple[Any, Any]]:
    return [
        (_("Key task"), f"{item.number}. {item.title}"),
        (_("Lead organization"), item.lead_org.name),
        (_("Deadline"), item.deadline.isoformat()),
        (_("Acceptance criterion"), item.acceptance or "—"),
        (_("Status"), item.get_status_display()),
    ]


@login_required
def item_progress(request: HttpRequest, code: Any) -> HttpResponse:
    item = _owner_item(request, code)
    form = ProgressForm(request.POST or None, request.FILES or None, initial={"percent": item.percent})
    return form_page(
        request,
        form,
        title=_("Report progress"),
        submit_label=_("Report"),
        cancel_url=reverse("supervision:item", args=[item.code]),
        write=lambda: services.progress_report(
            actor=request.user,
            item=item,
            text=form.cleaned_data["text"],
            percent=form.cleaned_data["percent"],
            files=form.cleaned_data["evidence_files"],
        ),
        done_url=reverse("supervision:item", args=[item.code]),
        done_message=_("The progress was reported."),
        summary=_item_summary(item),
    )


@login_required
def item_done(request: HttpRequest, code: Any) -> HttpResponse:
    item = _owner_item(request, code)
    form = ResponseForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Report the task done"),
        submit_label=_("Report done"),
        cancel_url=reverse("supervision:item", args=[item.code]),
        write=lambda: services.item_report_done(
            actor=request.user, item=item, response=form.cleaned_data["response"]
        ),
        done_url=reverse("supervision:item", args=[item.code]),
        done_message=_("The task was reported done; the issuer checks it."),
        summary=_item_summary(item),
        intro=_("Nothing is closed without a response: say what was done, against the acceptance criterion."),
    )


@login_required
def item_close(request: HttpRequest, code: Any) -> HttpResponse:
    item = _item(request, code)
    if not can(request.user, Action.CHANGE, item.task_list.org):
        raise PermissionDenied
    form = NoteForm(request.POST or None)
    summary = [*_item_summary(item), (_("Response"), item.response or "—")]
    return form_page(
        request,
        form,
        title=_("Close the key task"),
        submit_label=_("Close"),
        cancel_url=reverse("supervision:item", args=[item.code]),
        write=lambda: services.item_close(actor=request.user, item=item, note=form.cleaned_data["note"]),
        done_url=reverse("supervision:item", args=[item.code]),
        done_message=_("The key task was closed."),
        summary=summary,
    )


@login_required
def item_return(request: HttpRequest, code: Any) -> HttpResponse:
    item = _item(request, code)
    if not can(request.user, Action.CHANGE, item.task_list.org):
        raise PermissionDenied
    form = ReturnForm(request.POST or None)
    summary = [*_item_summary(item), (_("Response"), item.response or "—")]
    return form_page(
        request,
        form,
        title=_("Return the task for more work"),
        submit_label=_("Return"),
        cancel_url=reverse("supervision:item", args=[item.code]),
        write=lambda: services.item_return(actor=request.user, item=item, note=form.cleaned_data["note"]),
        done_url=reverse("supervision:item", args=[item.code]),
        done_message=_("The task was returned to its owner."),
        summary=summary,
        danger=True,
    )


@login_required
@require_POST
def milestone_done(request: HttpRequest, code: Any, pk: int) -> HttpResponse:
    item = _owner_item(request, code)
    milestone = get_object_or_404(Milestone, pk=pk, item=item)
    try:
        services.milestone_done(actor=request.user, milestone=milestone)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The milestone was marked reached."))
    return redirect("supervision:item", item.code)


@login_required
@require_GET
def progress_file(request: HttpRequest, code: Any, pk: int) -> FileResponse:
    item = _item(request, code)
    attachment = get_object_or_404(ProgressAttachment, pk=pk, report__item=item)
    return download(attachment.file, attachment.name, attachment.content_type)
