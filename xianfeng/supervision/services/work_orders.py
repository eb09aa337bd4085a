"""Work orders (三张工单): reminder (提示) → notice (通报) → assessment (考核).

An org issues an order to an org below it with a reason and a response deadline; the recipient
answers it. An order left unanswered past its deadline may be escalated to the next kind, which
settles the previous one. Issuing an assessment sends `signals.work_order_assessed` inside the
transaction, so the evaluation schemes record the deduction with the order as evidence (or the whole
issue is rolled back if they refuse).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.orgs.models import Org
from xianfeng.supervision import rules
from xianfeng.supervision.models import OrderKind, Rectification, TaskItem, WorkOrder
from xianfeng.supervision.models.work_orders import NEXT_KIND
from xianfeng.supervision.services._common import Errors, active, below, clean, raise_errors, record
from xianfeng.supervision.signals import work_order_assessed

KIND_LETTER: dict[str, str] = {OrderKind.REMINDER: "TS", OrderKind.NOTICE: "TB", OrderKind.ASSESSMENT: "KH"}


def _number(issuer_org: Org, kind: str, year: int) -> str:
    prefix = f"{year}-{KIND_LETTER[kind]}-"
    count = WorkOrder.objects.filter(issuer_org=issuer_org, number__startswith=prefix).count()
    return f"{prefix}{count + 1:03d}"


def _errors(
    issuer_org: Org, recipient_org: Org, kind: str, reason: str, issued_on: dt.date, deadline: dt.date | None
) -> Errors:
    errors: Errors = {}
    if kind not in OrderKind.values:
        errors["kind"] = _("Choose reminder, notice or assessment.")
    if not below(recipient_org, issuer_org, strictly=True) or not active(recipient_org):
        errors["recipient_org"] = _("The recipient must be an active organization under %(org)s.") % {
            "org": issuer_org.name
        }
    if not clean(reason):
        errors["reason"] = _("State the reason for the work order.")
    if deadline is None:
        errors["deadline"] = _("Set the date by which the recipient must respond.")
    elif deadline < issued_on:
        errors["deadline"] = _(
            "The response deadline (%(deadline)s) is before the issue date (%(issued)s)."
        ) % {
            "deadline": deadline.isoformat(),
            "issued": issued_on.isoformat(),
        }
    return errors


def _create(
    actor: Any,
    *,
    kind: str,
    issuer_org: Org,
    recipient_org: Org,
    reason: str,
    issued_on: dt.date,
    deadline: dt.date,
    previous: WorkOrder | None = None,
    task_item: TaskItem | None = None,
    rectification: Rectification | None = None,
    deduction: Decimal | None = None,
) -> WorkOrder:
    order = WorkOrder(
        kind=kind,
        number=_number(issuer_org, kind, issued_on.year),
        issuer_org=issuer_org,
        recipient_org=recipient_org,
        reason=clean(reason),
        issued_on=issued_on,
        deadline=deadline,
        previous=previous,
        task_item=task_item,
        rectification=rectification,
        deduction=deduction if kind == OrderKind.ASSESSMENT else None,
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    order.full_clean()
    order.save()
    record(actor, "supervision.order_issue", order, issuer_org)
    if kind == OrderKind.ASSESSMENT:
        # The evaluation schemes connect here to record the deduction (same transaction).
        work_order_assessed.send(sender=WorkOrder, order=order, actor=actor)
    return order


@transaction.atomic
def order_issue(
    *,
    actor: Any,
    issuer_org: Org,
    recipient_org: Org,
    kind: str,
    reason: str,
    deadline: dt.date | None,
    issued_on: dt.date | None = None,
    task_item: TaskItem | None = None,
    rectification: Rectification | None = None,
    deduction: Decimal | None = None,
) -> WorkOrder:
    require(actor, Action.CHANGE, issuer_org)
    issued_on = issued_on or rules.today()
    errors = _errors(issuer_org, recipient_org, kind, reason, issued_on, deadline)
    if deduction is not None and (kind != OrderKind.ASSESSMENT or deduction <= 0):
        errors["deduction"] = _("Only an assessment carries a deduction, and it is more than 0.")
    raise_errors(errors)
    assert deadline is not None
    return _create(
        actor,
        kind=kind,
        issuer_org=issuer_org,
        recipient_org=recipient_org,
        reason=reason,
        issued_on=issued_on,
        deadline=deadline,
        task_item=task_item,
        rectification=rectification,
        deduction=deduction,
    )


def _locked(order: WorkOrder) -> WorkOrder:
    return (
        WorkOrder.objects.select_for_update(of=("self",))
        .select_related("issuer_org", "recipient_org")
        .get(pk=order.pk)
    )


def _open_error(order: WorkOrder) -> str:
    if order.responded_on is not None:
        return _("This work order has already been answered.")
    if WorkOrder.objects.filter(previous=order).exists():
        return _("This work order was escalated; answer the newer order instead.")
    return ""


@transaction.atomic
def order_respond(*, actor: Any, order: WorkOrder, response: str, on: dt.date | None = None) -> WorkOrder:
    """The recipient org answers the order (what it did about the reason)."""
    order = _locked(order)
    require(actor, Action.CHANGE, order.recipient_org)
    errors: Errors = {}
    message = _open_error(order)
    if message:
        errors["__all__"] = message
    if not clean(response):
        errors["response"] = _("Write the response.")
    raise_errors(errors)
    before = audit.snapshot(order)
    order.response = clean(response)
    order.responded_on = on or rules.today()
    order.responded_by = actor if getattr(actor, "is_authenticated", False) else None
    order.save()
    record(actor, "supervision.order_respond", order, order.recipient_org, before=before)
    return order


@transaction.atomic
def order_escalate(
    *,
    actor: Any,
    order: WorkOrder,
    reason: str,
    deadline: dt.date | None,
    deduction: Decimal | None = None,
    on: dt.date | None = None,
) -> WorkOrder:
    """Escalate an unanswered, overdue order one step: reminder → notice → assessment."""
    order = _locked(order)
    require(actor, Action.CHANGE, order.issuer_org)
    today = on or rules.today()
    errors: Errors = {}
    message = _open_error(order)
    if message:
        errors["__all__"] = message
    elif order.kind not in NEXT_KIND:
        errors["__all__"] = _("An assessment is the last work order; it cannot be escalated.")
    elif not rules.is_overdue(order.deadline, today):
        errors["__all__"] = _("The response is due by %(date)s; escalate only after that day.") % {
            "date": order.deadline.isoformat()
        }
    raise_errors(errors)
    kind = NEXT_KIND[order.kind]
    errors = _errors(order.issuer_org, order.recipient_org, kind, reason, today, deadline)
    if deduction is not None and (kind != OrderKind.ASSESSMENT or deduction <= 0):
        errors["deduction"] = _("Only an assessment carries a deduction, and it is more than 0.")
    raise_errors(errors)
    assert deadline is not None
    return _create(
        actor,
        kind=kind,
        issuer_org=order.issuer_org,
        recipient_org=order.recipient_org,
        reason=reason,
        issued_on=today,
        deadline=deadline,
        previous=order,
        task_item=order.task_item,
        rectification=order.rectification,
        deduction=deduction,
    )
