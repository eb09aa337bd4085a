"""The supervision pages."""

from xianfeng.supervision.views.board import board, mine
from xianfeng.supervision.views.io import import_template, list_export, list_import
from xianfeng.supervision.views.orders import order_detail, order_escalate, order_issue, order_respond, orders
from xianfeng.supervision.views.rectifications import (
    batch_create,
    evidence_file,
    notice,
    rectification_add,
    register,
    register_export,
)
from xianfeng.supervision.views.rectifications import (
    detail as rectification_detail,
)
from xianfeng.supervision.views.rectifications import (
    measures as rectification_measures,
)
from xianfeng.supervision.views.rectifications import (
    submit as rectification_submit,
)
from xianfeng.supervision.views.rectifications import (
    verify as rectification_verify,
)
from xianfeng.supervision.views.registers import (
    plan_save,
    plans,
    pledge_acknowledge,
    pledge_issue,
    responsibility,
    responsibility_list_create,
    theme_set,
)
from xianfeng.supervision.views.tasks import (
    item_add,
    item_close,
    item_detail,
    item_done,
    item_progress,
    item_return,
    items,
    list_create,
    list_detail,
    lists,
    milestone_done,
    progress_file,
)

__all__ = [
    "batch_create",
    "board",
    "evidence_file",
    "import_template",
    "item_add",
    "item_close",
    "item_detail",
    "item_done",
    "item_progress",
    "item_return",
    "items",
    "list_create",
    "list_detail",
    "list_export",
    "list_import",
    "lists",
    "milestone_done",
    "mine",
    "notice",
    "order_detail",
    "order_escalate",
    "order_issue",
    "order_respond",
    "orders",
    "plan_save",
    "plans",
    "pledge_acknowledge",
    "pledge_issue",
    "progress_file",
    "rectification_add",
    "rectification_detail",
    "rectification_measures",
    "rectification_submit",
    "rectification_verify",
    "register",
    "register_export",
    "responsibility",
    "responsibility_list_create",
    "theme_set",
]
