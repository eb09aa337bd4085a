"""Supervision reads: the board, the lists, "my items", counts for reports and the deadline scans the
compliance engine's coded rules call. Every query is restricted to what the user may see and
bounded (no query per org or per row)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, Prefetch, Q, QuerySet, Value, When
from django.db.models import CharField as CharFieldType

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.orgs.models import Org
from xianfeng.supervision import rules
from xianfeng.supervision.models import (
    ItemState,
    ItemStatus,
    Pledge,
    ProgressAttachment,
    ProgressReport,
    Rectification,
    RectificationBatch,
    RectificationCategory,
    RectificationStatus,
    TaskItem,
    TaskList,
    WorkOrder,
)
from xianfeng.supervision.models.tasks import OPEN_ITEM_STATUSES

ITEM_STATES: tuple[str, ...] = (
    ItemState.NOT_STARTED,
    ItemState.IN_PROGRESS,
    ItemState.PENDING_CHECK,
    ItemState.OVERDUE,
    ItemState.CLOSED,
)
RECT_STATES: tuple[str, ...] = ("open", "overdue", "submitted", "closed")
RECT_STATE_LABELS: dict[str, Any] = {
    "open": RectificationStatus.OPEN.label,
    "overdue": ItemState.OVERDUE.label,
    "submitted": RectificationStatus.SUBMITTED.label,
    "closed": RectificationStatus.CLOSED.label,
}


def _item_state(today: dt.date) -> Case:
    return Case(
        When(Q(status__in=OPEN_ITEM_STATUSES, deadline__lt=today), then=Value(ItemState.OVERDUE.value)),
        default="status",
        output_field=CharFieldType(),
    )


def _rect_state(today: dt.date) -> Case:
    return Case(
        When(Q(status=RectificationStatus.OPEN, deadline__lt=today), then=Value("overdue")),
        default="status",
        output_field=CharFieldType(),
    )


# --- The board ------------------------------------------------------------------------------------


@dataclass
class BoardRow:
    org_id: int
    org_name: str
    org_path: str
    items: dict[str, int] = field(default_factory=dict)
    rectifications: dict[str, int] = field(default_factory=dict)
    open_orders: int = 0

    @property
    def items_total(self) -> int:
        return sum(self.items.values())

    def item_cells(self) -> list[tuple[str, int]]:
        return [(s, self.items.get(s, 0)) for s in ITEM_STATES]

    def rect_cells(self) -> list[tuple[str, int]]:
        return [(s, self.rectifications.get(s, 0)) for s in RECT_STATES]


@dataclass
class Board:
    rows: list[BoardRow]
    item_totals: dict[str, int]
    rect_totals: dict[str, int]
    open_orders: int
    truncated: bool

    def item_total_cells(self) -> list[tuple[str, Any, int]]:
        return [(s, ItemState(s).label, self.item_totals.get(s, 0)) for s in ITEM_STATES]

    def rect_total_cells(self) -> list[tuple[str, Any, int]]:
        return [(s, RECT_STATE_LABELS[s], self.rect_totals.get(s, 0)) for s in RECT_STATES]


def board(user: Any, org: Org, today: dt.date, year: int | None = None) -> Board:
    """Per org under `org` (where anything is recorded) and per state: key tasks, rectifications and
    open work orders. Three aggregate queries, whatever the number of orgs."""
    rows: dict[int, BoardRow] = {}

    def row(org_id: int, name: str, path: str) -> BoardRow:
        if org_id not in rows:
            rows[org_id] = BoardRow(org_id, name, path)
        return rows[org_id]

    items = TaskItem.objects.restrict(user).in_subtree(org)
    rects = Rectification.objects.restrict(user).in_subtree(org)
    if year:
        items = items.filter(task_list__year=year)
        rects = rects.filter(batch__issued_on__year=year)
    item_totals: dict[str, int] = defaultdict(int)
    for r in (
        items.annotate(state=_item_state(today))
        .values("lead_org_id", "lead_org__name", "lead_org__path", "state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row(r["lead_org_id"], r["lead_org__name"], r["lead_org__path"]).items[r["state"]] = r["n"]
        item_totals[r["state"]] += r["n"]
    rect_totals: dict[str, int] = defaultdict(int)
    for c in (
        rects.annotate(state=_rect_state(today))
        .values("responsible_org_id", "responsible_org__name", "responsible_org__path", "state")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row(c["responsible_org_id"], c["responsible_org__name"], c["responsible_org__path"]).rectifications[
            c["state"]
        ] = c["n"]
        rect_totals[c["state"]] += c["n"]
    open_orders = 0
    for o in (
        WorkOrder.objects.restrict(user)
        .in_subtree(org)
        .open()
        .values("recipient_org_id", "recipient_org__name", "recipient_org__path")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        row(o["recipient_org_id"], o["recipient_org__name"], o["recipient_org__path"]).open_orders = o["n"]
        open_orders += o["n"]
    ordered = sorted(rows.values(), key=lambda r: r.org_path)
    return Board(
        rows=ordered[: rules.MAX_BOARD_ORGS],
        item_totals=dict(item_totals),
        rect_totals=dict(rect_totals),
        open_orders=open_orders,
        truncated=len(ordered) > rules.MAX_BOARD_ORGS,
    )


# --- Key tasks ------------------------------------------------------------------------------------


def task_lists(user: Any, org: Org) -> QuerySet[TaskList]:
    """Lists issued in the org's subtree or above it that have items the user sees."""
    visible_items = TaskItem.objects.restrict(user).values("task_list_id")
    return (
        TaskList.objects.filter(
            Q(pk__in=TaskList.objects.restrict(user).in_subtree(org).values("pk"))
            | Q(pk__in=visible_items.filter(lead_org__path__startswith=org.path))
        )
        .select_related("org")
        .annotate(
            n_items=Count("items", distinct=True),
            n_closed=Count("items", filter=Q(items__status=ItemStatus.CLOSED), distinct=True),
        )
        .order_by("-year", "-issued_on", "-pk")
    )


def items(
    user: Any,
    *,
    org: Org | None = None,
    task_list: TaskList | None = None,
    state: str = "",
    today: dt.date,
) -> QuerySet[TaskItem]:
    qs = TaskItem.objects.restrict(user)
    if org is not None:
        qs = qs.in_subtree(org)
    if task_list is not None:
        qs = qs.filter(task_list=task_list)
    if state == ItemState.OVERDUE:
        qs = qs.overdue(today)
    elif state == "open":
        qs = qs.open()
    elif state in ItemStatus.values:
        qs = qs.filter(status=state)
    return qs.select_related("task_list", "category", "lead_org", "lead_person").order_by(
        "task_list__year", "task_list_id", "number"
    )


def item_detail(item: TaskItem) -> TaskItem:
    reports = ProgressReport.objects.prefetch_related(
        Prefetch("attachments", queryset=ProgressAttachment.objects.order_by("pk"))
    ).select_related("reported_by")
    return (
        TaskItem.objects.select_related("task_list__org", "category", "lead_org", "lead_person", "closed_by")
        .prefetch_related(
            "milestones",
            "collaborators",
            Prefetch("reports", queryset=reports),
            Prefetch(
                "work_orders", queryset=WorkOrder.objects.select_related("recipient_org").order_by("pk")
            ),
        )
        .get(pk=item.pk)
    )


# --- Rectifications -------------------------------------------------------------------------------


def batches(user: Any, org: Org) -> QuerySet[RectificationBatch]:
    visible = Rectification.objects.restrict(user).filter(responsible_org__path__startswith=org.path)
    return (
        RectificationBatch.objects.filter(
            Q(pk__in=RectificationBatch.objects.restrict(user).in_subtree(org).values("pk"))
            | Q(pk__in=visible.values("batch_id"))
        )
        .select_related("org")
        .annotate(
            n_items=Count("items", distinct=True),
            n_closed=Count("items", filter=Q(items__status=RectificationStatus.CLOSED), distinct=True),
        )
        .order_by("-issued_on", "-pk")
    )


def rectifications(
    user: Any,
    *,
    org: Org | None = None,
    batch: RectificationBatch | None = None,
    state: str = "",
    category: str = "",
    source: str = "",
    today: dt.date,
) -> QuerySet[Rectification]:
    qs = Rectification.objects.restrict(user)
    if org is not None:
        qs = qs.in_subtree(org)
    if batch is not None:
        qs = qs.filter(batch=batch)
    if state == "overdue":
        qs = qs.overdue(today)
    elif state == "open_all":
        qs = qs.open()
    elif state in RectificationStatus.values:
        qs = qs.filter(status=state)
    if category:
        qs = qs.filter(category=category)
    if source:
        qs = qs.filter(batch__source=source)
    return qs.select_related("batch__org", "responsible_org", "responsible_person").order_by(
        "-batch__issued_on", "batch_id", "number"
    )


@dataclass(frozen=True)
class CategoryCount:
    category: str
    label: str
    problems: int
    rectified: int
    immediate: int
    overdue: int


def rectification_counts(
    *, org: Org, start: dt.date | None = None, end: dt.date | None = None, today: dt.date | None = None
) -> list[CategoryCount]:
    """Problems and rectified (verified) problems by category for the org's subtree, of the batches
    issued between `start` and `end` (inclusive; open-ended when None). One query; for reports
    ("完成XX类问题整改"): categories with problems only, in the catalogue's order."""
    today = today or rules.today()
    qs = Rectification.objects.filter(responsible_org__path__startswith=org.path)
    if start is not None:
        qs = qs.filter(batch__issued_on__gte=start)
    if end is not None:
        qs = qs.filter(batch__issued_on__lte=end)
    counts = {
        r["category"]: r
        for r in qs.values("category")
        .annotate(
            problems=Count("pk"),
            rectified=Count("pk", filter=Q(status=RectificationStatus.CLOSED)),
            immediate=Count("pk", filter=Q(immediate=True)),
            overdue=Count("pk", filter=Q(status=RectificationStatus.OPEN, deadline__lt=today)),
        )
        .order_by()
    }
    return [
        CategoryCount(
            category=value,
            label=str(label),
            problems=counts[value]["problems"],
            rectified=counts[value]["rectified"],
            immediate=counts[value]["immediate"],
            overdue=counts[value]["overdue"],
        )
        for value, label in RectificationCategory.choices
        if value in counts
    ]


# --- Work orders ----------------------------------------------------------------------------------


def work_orders(
    user: Any, *, org: Org | None = None, state: str = "", kind: str = "", today: dt.date
) -> QuerySet[WorkOrder]:
    qs = WorkOrder.objects.restrict(user)
    if org is not None:
        qs = qs.filter(Q(recipient_org__path__startswith=org.path) | Q(issuer_org=org))
    if state == "open":
        qs = qs.open()
    elif state == "overdue":
        qs = qs.overdue(today)
    elif state == "responded":
        qs = qs.filter(responded_on__isnull=False)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.select_related("issuer_org", "recipient_org", "previous", "escalated").order_by(
        "-issued_on", "-pk"
    )


# --- My items -------------------------------------------------------------------------------------


@dataclass
class MyItems:
    tasks: list[TaskItem]
    rectifications: list[Rectification]
    orders: list[WorkOrder]
    pledges: list[Pledge]
    to_check: list[TaskItem]
    to_verify: list[Rectification]

    @property
    def anything(self) -> bool:
        return any(
            (self.tasks, self.rectifications, self.orders, self.pledges, self.to_check, self.to_verify)
        )


def _change_paths_q(user: Any, field: str) -> Q:
    from xianfeng.core.scoping import scope_q

    return scope_q(user, Action.CHANGE, field)


def mine(user: Any, today: dt.date) -> MyItems:
    """The user's own open items: key tasks and problems they are named on, work orders to answer for
    orgs they run, pledges to acknowledge, and what waits for their check as an issuer. Six queries."""
    person = getattr(user, "person", None)
    tasks: list[TaskItem] = []
    rects: list[Rectification] = []
    pledges: list[Pledge] = []
    if person is not None:
        tasks = list(
            TaskItem.objects.open()
            .filter(lead_person=person)
            .select_related("task_list", "lead_org")
            .order_by("deadline", "pk")[: rules.MAX_LIST]
        )
        rects = list(
            Rectification.objects.open()
            .filter(responsible_person=person)
            .select_related("batch", "responsible_org")
            .order_by("deadline", "pk")[: rules.MAX_LIST]
        )
        pledges = list(
            Pledge.objects.filter(signer=person, acknowledged_at__isnull=True)
            .select_related("org")
            .order_by("-year")
        )
    orders: list[WorkOrder] = []
    to_check: list[TaskItem] = []
    to_verify: list[Rectification] = []
    if can(user, Action.CHANGE, None):
        orders = list(
            WorkOrder.objects.open()
            .filter(_change_paths_q(user, "recipient_org__path"))
            .select_related("issuer_org", "recipient_org", "escalated")
            .order_by("deadline", "pk")[: rules.MAX_LIST]
        )
        to_check = list(
            TaskItem.objects.filter(status=ItemStatus.PENDING_CHECK)
            .filter(_change_paths_q(user, "task_list__org__path"))
            .exclude(Q(lead_person__user=user) | Q(submitted_by=user))
            .select_related("task_list", "lead_org")
            .order_by("submitted_on", "pk")[: rules.MAX_LIST]
        )
        to_verify = list(
            Rectification.objects.filter(status=RectificationStatus.SUBMITTED)
            .filter(_change_paths_q(user, "batch__org__path"))
            .exclude(Q(responsible_person__user=user) | Q(submitted_by=user))
            .select_related("batch", "responsible_org")
            .order_by("submitted_on", "pk")[: rules.MAX_LIST]
        )
    return MyItems(tasks, rects, orders, pledges, to_check, to_verify)


# --- Deadline scans (the compliance engine's coded rules) -----------------------------------------


def _in(scope_q: Q) -> Any:
    return Org.objects.filter(scope_q).values("pk")


def deadline_items(scope_q: Q, today: dt.date) -> list[TaskItem]:
    """Open key tasks due soon or overdue whose lead org or issuing org is in the scope (`scope_q`
    over orgs). One query."""
    horizon = today + dt.timedelta(days=rules.due_soon_days())
    return list(
        TaskItem.objects.open()
        .filter(
            Q(lead_org_id__in=_in(scope_q)) | Q(task_list__org_id__in=_in(scope_q)), deadline__lte=horizon
        )
        .select_related("task_list__org", "lead_person")
        .only(
            "pk",
            "code",
            "number",
            "title",
            "deadline",
            "status",
            "lead_org_id",
            "lead_person__name",
            "lead_person__code",
            "task_list__title",
            "task_list__org__id",
            "task_list__org__name",
        )
        .order_by("deadline", "pk")
    )


def deadline_rectifications(scope_q: Q, today: dt.date) -> list[Rectification]:
    """Problems being rectified that are due soon or overdue in the scope. One query."""
    horizon = today + dt.timedelta(days=rules.due_soon_days())
    return list(
        Rectification.objects.filter(
            Q(responsible_org_id__in=_in(scope_q)) | Q(batch__org_id__in=_in(scope_q)),
            status=RectificationStatus.OPEN,
            deadline__lte=horizon,
        )
        .select_related("batch__org", "responsible_person")
        .only(
            "pk",
            "code",
            "number",
            "problem",
            "deadline",
            "immediate",
            "responsible_org_id",
            "responsible_person__name",
            "responsible_person__code",
            "batch__title",
            "batch__org__id",
            "batch__org__name",
        )
        .order_by("deadline", "pk")
    )


def deadline_orders(scope_q: Q, today: dt.date) -> list[WorkOrder]:
    """Unanswered work orders due soon or overdue whose recipient is in the scope. One query."""
    horizon = today + dt.timedelta(days=rules.due_soon_days())
    return list(
        WorkOrder.objects.open()
        .filter(
            Q(recipient_org_id__in=_in(scope_q)) | Q(issuer_org_id__in=_in(scope_q)), deadline__lte=horizon
        )
        .only("pk", "code", "number", "kind", "deadline", "recipient_org_id", "issuer_org_id")
        .order_by("deadline", "pk")
    )


def with_states(rows: Any, today_: Any) -> list[Any]:
    """Attach `state` and `state_label` (as of today) to key tasks, rectifications or work orders."""
    from django.utils.translation import gettext_lazy as _

    order_labels = {
        "open": _("Awaiting response"),
        "overdue": _("Overdue"),
        "responded": _("Answered"),
        "escalated": _("Escalated"),
    }
    out: list[Any] = list(rows)
    for row in out:
        state = row.state_on(today_)
        if isinstance(row, TaskItem):
            label = ItemState(state).label
        elif isinstance(row, WorkOrder):
            label = order_labels[state]
        else:
            label = RECT_STATE_LABELS[state]
        # Template and serializer attributes, as of today (not stored).
        row.state, row.state_label = state, label
        row.days_late = max((today_ - row.deadline).days, 0) if state == "overdue" else 0
    return out
