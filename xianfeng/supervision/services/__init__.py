"""Supervision writes. Every function is keyword-only, atomic, checks the actor's rights and audits."""

from xianfeng.supervision.services.plans import plan_save, theme_set
from xianfeng.supervision.services.rectifications import (
    batch_create,
    evidence_add,
    rectification_add,
    rectification_submit,
    rectification_update,
    rectification_verify,
)
from xianfeng.supervision.services.responsibility import (
    pledge_acknowledge,
    pledge_issue,
    responsibility_list_create,
)
from xianfeng.supervision.services.tasks import (
    ItemIn,
    MilestoneIn,
    item_add,
    item_close,
    item_report_done,
    item_return,
    items_import,
    milestone_done,
    progress_report,
    task_list_create,
)
from xianfeng.supervision.services.work_orders import order_escalate, order_issue, order_respond

__all__ = [
    "ItemIn",
    "MilestoneIn",
    "batch_create",
    "evidence_add",
    "item_add",
    "item_close",
    "item_report_done",
    "item_return",
    "items_import",
    "milestone_done",
    "order_escalate",
    "order_issue",
    "order_respond",
    "plan_save",
    "pledge_acknowledge",
    "pledge_issue",
    "progress_report",
    "rectification_add",
    "rectification_submit",
    "rectification_update",
    "rectification_verify",
    "responsibility_list_create",
    "task_list_create",
    "theme_set",
]
