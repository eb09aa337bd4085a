"""Reads of the reports module: the documents and jobs a user may see, and the records behind a
figure (its provenance), through the scoped querysets of the modules that own the records."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.roles import Action
from xianfeng.reports.facts import Fact
from xianfeng.reports.models import ReportJob, SummaryDocument

PAGE_SIZE = 50


def documents_for(user: Any, org: Any | None = None) -> QuerySet[SummaryDocument]:
    qs = SummaryDocument.objects.restrict(user, Action.VIEW).select_related("org", "created_by")
    if org is not None:
        qs = qs.filter(org=org)
    return qs.defer("docx", "facts", "template_text")


def jobs_for(user: Any, org: Any | None = None) -> QuerySet[ReportJob]:
    qs = ReportJob.objects.restrict(user, Action.VIEW).select_related("org", "document")
    if org is not None:
        qs = qs.filter(org=org)
    return qs.defer("document__docx", "document__facts", "document__template_text")


@dataclass
class Row:
    id: int
    cells: list[str]
    url: str = ""


@dataclass
class Records:
    """One page of the records behind a fact (or of the incomplete ones left out of it)."""

    fact: Fact
    headers: list[str]
    rows: list[Row]
    total: int
    page: int
    pages: int
    hidden: int = 0  # ids on this page the user may no longer see (moved out of scope since)
    items: list[str] = field(default_factory=list)


def _day(value: Any) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo") and value.tzinfo is not None:
        value = timezone.localtime(value)
    return f"{value:%Y-%m-%d}"


def _activities(user: Any, ids: Sequence[int]) -> tuple[list[str], dict[int, Row]]:
    from xianfeng.activities.models import Activity

    rows = Activity.objects.restrict(user, Action.VIEW).filter(pk__in=ids)
    out = {
        a.pk: Row(
            a.pk,
            [_day(a.held_start or a.planned_start), a.kind.name, a.title, a.org.name, a.get_status_display()],
            reverse("activities:detail", args=[a.code]),
        )
        for a in rows.select_related("kind", "org").only(
            "pk", "code", "title", "held_start", "planned_start", "status", "kind__name", "org__name"
        )
    }
    return ["日期", "类型", "名称", "党组织", "状态"], out


def _agenda(user: Any, ids: Sequence[int]) -> tuple[list[str], dict[int, Row]]:
    from xianfeng.activities.models import Activity, AgendaItem

    visible = Activity.objects.restrict(user, Action.VIEW)
    rows = AgendaItem.objects.filter(pk__in=ids, activity__in=visible).select_related(
        "activity", "activity__org", "activity__kind"
    )
    out = {}
    for item in rows:
        flags = "、".join(
            t
            for t, on in (
                ("第一议题", item.first_item),
                (f"三重一大：{item.get_major_matter_display()}", bool(item.major_matter)),
                ("前置研究", item.prior_study),
            )
            if on
        )
        a = item.activity
        out[item.pk] = Row(
            item.pk,
            [_day(a.held_start), a.org.name, a.title, item.topic, flags],
            reverse("activities:detail", args=[a.code]),
        )
    return ["会议日期", "党组织", "会议", "议题", "标记"], out


def _attendance(user: Any, ids: Sequence[int]) -> tuple[list[str], dict[int, Row]]:
    from xianfeng.activities.models import Attendance

    rows = (
        Attendance.objects.restrict(user, Action.VIEW)
        .filter(pk__in=ids)
        .select_related("activity", "activity__org", "person")
        .only(
            "pk",
            "hours",
            "person__name",
            "activity__title",
            "activity__code",
            "activity__held_start",
            "activity__org__name",
        )
    )
    out = {
        r.pk: Row(
            r.pk,
            [
                _day(r.activity.held_start),
                r.activity.org.name,
                r.activity.title,
                r.person.name,
                str(r.hours or ""),
            ],
            reverse("activities:detail", args=[r.activity.code]),
        )
        for r in rows
    }
    return ["日期", "党组织", "活动", "姓名", "学时"], out


def _memberships(user: Any, ids: Sequence[int]) -> tuple[list[str], dict[int, Row]]:
    from xianfeng.people.models import Membership

    rows = Membership.objects.restrict(user, Action.VIEW).filter(pk__in=ids).with_people("org")
    out = {
        m.pk: Row(
            m.pk,
            [
                m.person.name,
                m.org.name,
                m.get_status_display(),
                _day(m.admission_date),
                _day(m.conversion_date),
                _day(m.left_date),
            ],
            reverse("people:detail", args=[m.code]),
        )
        for m in rows
    }
    return ["姓名", "党组织", "当前身份", "入党日期", "转正日期", "离开日期"], out


def _letters(user: Any, ids: Sequence[int]) -> tuple[list[str], dict[int, Row]]:
    from xianfeng.lifecycle.models import TransferLetter

    rows = (
        TransferLetter.objects.restrict(user, Action.VIEW)
        .filter(pk__in=ids)
        .select_related("org", "membership__person")
        .defer("membership__person__id_number", "membership__person__phone")
    )
    out = {
        r.pk: Row(
            r.pk,
            [
                r.number,
                r.membership.person.name,
                r.get_direction_display(),
                r.org.name,
                r.counterpart_name,
                _day(r.issue_date),
                r.get_status_display(),
            ],
        )
        for r in rows
    }
    return ["介绍信编号", "姓名", "方向", "党组织", "对方", "开具日期", "状态"], out


def _payments(user: Any, ids: Sequence[int]) -> tuple[list[str], dict[int, Row]]:
    from xianfeng.dues.models import DuesPayment

    rows = (
        DuesPayment.objects.restrict(user, Action.VIEW)
        .filter(pk__in=ids)
        .select_related("membership__person", "membership__org")
        .defer("membership__person__id_number", "membership__person__phone")
    )
    out = {
        p.pk: Row(
            p.pk,
            [
                p.membership.person.name,
                p.membership.org.name,
                f"{p.month_owed:%Y-%m}",
                str(p.amount),
                p.get_kind_display(),
            ],
        )
        for p in rows
    }
    return ["姓名", "党组织", "所属月份", "金额（元）", "类别"], out


READERS: dict[str, Callable[[Any, Sequence[int]], tuple[list[str], dict[int, Row]]]] = {
    "activities.Activity": _activities,
    "activities.AgendaItem": _agenda,
    "activities.Attendance": _attendance,
    "people.Membership": _memberships,
    "lifecycle.TransferLetter": _letters,
    "dues.DuesPayment": _payments,
}


def _generic(label: str) -> Callable[[Any, Sequence[int]], tuple[list[str], dict[int, Row]]]:
    """Records of a module without a dedicated reader (scoring, supervision): their text, through the
    model's scoped queryset; a model that cannot be scoped shows nothing rather than everything."""

    def read(user: Any, ids: Sequence[int]) -> tuple[list[str], dict[int, Row]]:
        from django.apps import apps

        try:
            model = apps.get_model(label)
        except (LookupError, ValueError):
            return ["记录"], {}
        queryset = model._default_manager.filter(pk__in=ids)
        if not hasattr(queryset, "restrict"):
            return ["记录"], {}
        return ["记录"], {o.pk: Row(o.pk, [str(o)]) for o in queryset.restrict(user, Action.VIEW)}

    return read


def records(user: Any, fact: Fact, *, page: int = 1, missing: bool = False) -> Records:
    """One page of the records behind `fact` (or, with `missing`, of the incomplete records left
    out), each re-read through the owning module's scoped queryset: a record the user can no longer
    see is counted in `hidden`, not shown."""
    ids = fact.missing_ids if missing else fact.ids
    total = len(ids)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, page), pages)
    chunk = ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    reader = READERS.get(fact.source) or (_generic(fact.source) if fact.source else None)
    if reader is None or not chunk:
        return Records(fact, [], [], total, page, pages, items=fact.items if not missing else [])
    if missing and fact.source in ("activities.AgendaItem", "activities.Attendance"):
        reader = _activities  # the incomplete records of these facts are the activities themselves
    headers, found = reader(user, chunk)
    rows = [found[pk] for pk in chunk if pk in found]
    return Records(fact, headers, rows, total, page, pages, hidden=len(chunk) - len(rows))
