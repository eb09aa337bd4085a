"""Work orders: the list of an org, issuing one (also from a key task or a problem), an order with
its response, answering it and escalating it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.supervision import selectors, services
from xianfeng.supervision.forms import EscalateForm, OrderForm, ResponseForm
from xianfeng.supervision.models import OrderKind, Rectification, TaskItem, WorkOrder
from xianfeng.supervision.models.work_orders import NEXT_KIND
from xianfeng.supervision.views._common import (
    form_page,
    org_choices,
    page_org,
    staff_only,
    today,
    with_states,
)


def _order(request: HttpRequest, code: Any) -> WorkOrder:
    staff_only(request)
    qs = WorkOrder.objects.select_related(
        "issuer_org", "recipient_org", "previous", "escalated", "task_item", "rectification"
    )
    order: WorkOrder = get_for_user(qs, request.user, Action.VIEW, code=code)
    return order


@login_required
@require_GET
def orders(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    day = today()
    state = request.GET.get("state", "")
    kind = request.GET.get("kind", "")
    rows = with_states(
        selectors.work_orders(request.user, org=org, state=state, kind=kind, today=day)[
            : selectors.rules.MAX_LIST
        ],
        day,
    )
    context = {
        "org": org,
        "orgs": org_choices(request.user, org),
        "rows": rows,
        "state": state,
        "kind": kind,
        "kinds": OrderKind.choices,
        "can_change": can(request.user, Action.CHANGE, org),
    }
    return render(request, "supervision/orders.html", context)


@login_required
def order_issue(request: HttpRequest) -> HttpResponse:
    """Issue an order from the page's org; ?item= or ?rectification= ties it to what it is about."""
    org = page_org(request, action=Action.CHANGE)
    task_item = rect = None
    initial: dict[str, Any] = {}
    if request.GET.get("item"):
        task_item = get_for_user(
            TaskItem.objects.select_related("lead_org", "task_list"), request.user, code=request.GET["item"]
        )
        initial = {
            "recipient_org": task_item.lead_org,
            "reason": _("Key task “%(title)s” (deadline %(day)s).")
            % {"title": task_item.title[:60], "day": task_item.deadline.isoformat()},
        }
    elif request.GET.get("rectification"):
        rect = get_for_user(
            Rectification.objects.select_related("responsible_org"),
            request.user,
            code=request.GET["rectification"],
        )
        initial = {
            "recipient_org": rect.responsible_org,
            "reason": _("Rectification “%(problem)s” (deadline %(day)s).")
            % {"problem": rect.problem[:60], "day": rect.deadline.isoformat()},
        }
    form = OrderForm(request.POST or None, issuer=org, initial=initial)
    return form_page(
        request,
        form,
        title=_("Issue a work order"),
        submit_label=_("Issue"),
        cancel_url=reverse("supervision:orders") + f"?org={org.pk}",
        write=lambda: services.order_issue(
            actor=request.user, issuer_org=org, task_item=task_item, rectification=rect, **form.cleaned_data
        ),
        done_url=lambda o: reverse("supervision:order", args=[o.code]),
        done_message=_("The work order was issued."),
        summary=[(_("Issuing organization"), org.name)],
        intro=_(
            "Reminder (提示) → notice (通报) → assessment (考核): an assessment records a deduction in the evaluation scheme."
        ),
    )


@login_required
@require_GET
def order_detail(request: HttpRequest, code: Any) -> HttpResponse:
    order = _order(request, code)
    day = today()
    with_states([order], day)
    state = order.state_on(day)
    # The escalation chain (at most three orders): back through `previous`, forward through `escalated`.
    chain: list[WorkOrder] = []
    node: WorkOrder | None = order
    while node is not None and len(chain) < 3:
        chain.insert(0, node)
        node = node.previous
    later = WorkOrder.objects.filter(previous=order).first()
    while later is not None and len(chain) < 3:
        chain.append(later)
        later = WorkOrder.objects.filter(previous=later).first()
    context = {
        "order": order,
        "chain": chain,
        "may_respond": can(request.user, Action.CHANGE, order.recipient_org) and state in ("open", "overdue"),
        "may_escalate": can(request.user, Action.CHANGE, order.issuer_org)
        and state == "overdue"
        and order.kind in NEXT_KIND,
    }
    return render(request, "supervision/order.html", context)


def _order_summary(order: WorkOrder) -> list[tuple[Any, Any]]:
    return [
        (_("Work order"), f"{order.number} · {order.get_kind_display()}"),
        (_("Issuing organization"), order.issuer_org.name),
        (_("Recipient organization"), order.recipient_org.name),
        (_("Reason"), order.reason),
        (_("Response due"), order.deadline.isoformat()),
    ]


@login_required
def order_respond(request: HttpRequest, code: Any) -> HttpResponse:
    order = _order(request, code)
    if not can(request.user, Action.CHANGE, order.recipient_org):
        raise PermissionDenied
    form = ResponseForm(request.POST or None)
    return form_page(
        request,
        form,
        title=_("Answer the work order"),
        submit_label=_("Answer"),
        cancel_url=reverse("supervision:order", args=[order.code]),
        write=lambda: services.order_respond(
            actor=request.user, order=order, response=form.cleaned_data["response"]
        ),
        done_url=reverse("supervision:order", args=[order.code]),
        done_message=_("The response was recorded."),
        summary=_order_summary(order),
    )


@login_required
def order_escalate(request: HttpRequest, code: Any) -> HttpResponse:
    order = _order(request, code)
    if not can(request.user, Action.CHANGE, order.issuer_org):
        raise PermissionDenied
    form = EscalateForm(request.POST or None, initial={"reason": order.reason})
    next_kind = NEXT_KIND.get(order.kind)
    return form_page(
        request,
        form,
        title=_("Escalate to: %(kind)s") % {"kind": OrderKind(next_kind).label if next_kind else "—"},
        submit_label=_("Escalate"),
        cancel_url=reverse("supervision:order", args=[order.code]),
        write=lambda: services.order_escalate(actor=request.user, order=order, **form.cleaned_data),
        done_url=lambda o: reverse("supervision:order", args=[o.code]),
        done_message=_("The work order was escalated."),
        summary=_order_summary(order),
        danger=True,
    )
