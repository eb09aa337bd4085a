"""Supervision: key-task lists and their items, work orders, the rectification register,
responsibility lists and pledges, monthly themes and periodic plans."""

from xianfeng.supervision.models.plans import MonthlyTheme, PlanKind, WorkPlan
from xianfeng.supervision.models.rectifications import (
    Rectification,
    RectificationBatch,
    RectificationCategory,
    RectificationEvidence,
    RectificationSource,
    RectificationStatus,
)
from xianfeng.supervision.models.responsibility import (
    Pledge,
    ResponsibilityKind,
    ResponsibilityList,
)
from xianfeng.supervision.models.tasks import (
    ItemState,
    ItemStatus,
    Milestone,
    ProgressAttachment,
    ProgressReport,
    TaskCategory,
    TaskItem,
    TaskList,
)
from xianfeng.supervision.models.work_orders import OrderKind, WorkOrder

__all__ = [
    "ItemState",
    "ItemStatus",
    "Milestone",
    "MonthlyTheme",
    "OrderKind",
    "PlanKind",
    "Pledge",
    "ProgressAttachment",
    "ProgressReport",
    "Rectification",
    "RectificationBatch",
    "RectificationCategory",
    "RectificationEvidence",
    "RectificationSource",
    "RectificationStatus",
    "ResponsibilityKind",
    "ResponsibilityList",
    "TaskCategory",
    "TaskItem",
    "TaskList",
    "WorkOrder",
    "WorkPlan",
]
