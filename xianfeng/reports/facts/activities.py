"""Facts of organizational life and party-building activities (activities app).

Rules shared by every fact here: only activities recorded as *held* (status held) count, by the date
they were held (held_start in the period, Asia/Shanghai), in the org's whole subtree. Planned
activities whose planned date has passed without being recorded as held or cancelled are incomplete
records: they are listed as missing, never counted.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from xianfeng.activities.choices import ActivityStatus, AttendanceStatus, KindCategory, Metric
from xianfeng.activities.models import Activity, ActivityKind, AgendaItem, Attendance
from xianfeng.reports.facts import MISSING, OK, PARTIAL, Context, Fact, Period, Spec, fact_from

HELD = "已召开（状态为已召开）、召开日期在统计期间内的"
COMMITTEE_KIND = "party_committee_meeting"
METRIC_UNITS: dict[str, str] = {
    Metric.PEOPLE_SERVED: "人次",
    Metric.PROBLEMS_SOLVED: "项",
    Metric.VOLUNTEERS: "人次",
    Metric.SERVICE_HOURS: "小时",
    Metric.PARTICIPANTS_OUTSIDE: "人次",
}
METRIC_LABELS: dict[str, str] = {
    Metric.PEOPLE_SERVED: "服务群众",
    Metric.PROBLEMS_SOLVED: "解决实际问题",
    Metric.VOLUNTEERS: "参加志愿服务",
    Metric.SERVICE_HOURS: "志愿服务时长",
    Metric.PARTICIPANTS_OUTSIDE: "外单位参加",
}
KIND_UNITS = {"talk": "人次"}

FIXED: tuple[Spec, ...] = (
    Spec(
        "activities.held",
        "各类组织生活和党建活动",
        "次",
        f"{HELD}各类活动（会议、党课、主题党日、谈话、培训、志愿服务等）的次数。",
        "activities.Activity",
    ),
    Spec(
        "activities.committee_agenda_items",
        "党委会研究议题",
        "项",
        f"{HELD}党委会上记录的议题数。",
        "activities.AgendaItem",
    ),
    Spec(
        "activities.first_agenda_items",
        "“第一议题”学习",
        "项",
        f"{HELD}各类会议上标记为“第一议题”的议题数。",
        "activities.AgendaItem",
    ),
    Spec(
        "activities.major_matters",
        "“三重一大”事项",
        "项",
        f"{HELD}党委会上标记为“三重一大”（重大决策、重要干部任免、重大项目安排、大额资金使用）的议题数。",
        "activities.AgendaItem",
    ),
    Spec(
        "activities.prior_study_items",
        "前置研究讨论重大经营管理事项",
        "项",
        f"{HELD}党委会上标记为“前置研究”的议题数。",
        "activities.AgendaItem",
    ),
    Spec(
        "activities.training_attendance",
        "学习培训参加",
        "人次",
        f"{HELD}学习培训类活动（理论学习中心组学习、培训等）的实到人次（出勤状态为到会）。",
        "activities.Attendance",
    ),
    Spec(
        "activities.training_hours",
        "学习培训学时",
        "学时",
        f"{HELD}学习培训类活动到会人员登记的学时之和；到会但未登记学时的记录列为缺失，不计入。",
        "activities.Attendance",
    ),
)


def _kinds() -> list[ActivityKind]:
    return list(ActivityKind.objects.order_by("order", "code"))


def _kind_spec(kind: ActivityKind) -> Spec:
    return Spec(
        f"activities.kind.{kind.code}",
        kind.name,
        KIND_UNITS.get(kind.code, "次"),
        f"{HELD}“{kind.name}”的次数。",
        "activities.Activity",
    )


def _metric_spec(metric: str) -> Spec:
    label = METRIC_LABELS.get(metric, metric)
    return Spec(
        f"activities.metric.{metric}",
        label,
        METRIC_UNITS.get(metric, ""),
        f"{HELD}、其活动类型登记“{label}”的活动所填数字之和；应填未填的活动列为缺失，不计入。",
        "activities.Activity",
    )


def specs() -> list[Spec]:
    return [*FIXED, *(_kind_spec(k) for k in _kinds()), *(_metric_spec(m) for m in Metric)]


def _metric_value(raw: Any) -> Decimal | None:
    if raw is None or raw == "" or isinstance(raw, bool):
        return None
    try:
        return Decimal(str(raw))
    except ArithmeticError:
        return None


def collect(ctx: Context) -> Iterable[Fact]:
    kinds = _kinds()
    spec = {s.name: s for s in FIXED}
    in_tree = Activity.objects.in_subtree(ctx.org)
    held = in_tree.filter(
        status=ActivityStatus.HELD, held_start__gte=ctx.period.start_at, held_start__lt=ctx.period.end_before
    )
    rows = list(held.order_by().values_list("pk", "kind_id"))
    by_kind: dict[int, list[int]] = defaultdict(list)
    for pk, kind_id in rows:
        by_kind[kind_id].append(pk)
    # planned, the planned date passed (before today and in the period), neither held nor cancelled
    upto = min(ctx.period.end_before, Period(ctx.today, ctx.today).start_at)
    stale: dict[int, list[int]] = defaultdict(list)
    for pk, kind_id in (
        in_tree.filter(
            status=ActivityStatus.PLANNED, planned_start__gte=ctx.period.start_at, planned_start__lt=upto
        )
        .order_by()
        .values_list("pk", "kind_id")
    ):
        stale[kind_id].append(pk)

    if not rows:
        note = f"{ctx.period.label()}{ctx.org.name}及所属党组织没有记录任何已召开的活动。"
        specs_all = [*FIXED, *(_kind_spec(k) for k in kinds), *(_metric_spec(m) for m in Metric)]
        for s in specs_all:
            yield fact_from(s, MISSING, missing=[note])
        return

    all_stale = [pk for ids in stale.values() for pk in ids]
    yield _counted(spec["activities.held"], [pk for pk, _k in rows], all_stale)
    for kind in kinds:
        yield _counted(_kind_spec(kind), by_kind.get(kind.pk, []), stale.get(kind.pk, []))

    # agenda items: one query over the held activities' items
    committee_ids = {k.pk for k in kinds if k.code == COMMITTEE_KIND}
    items = list(
        AgendaItem.objects.filter(activity__in=held)
        .order_by()
        .values_list("pk", "activity__kind_id", "first_item", "major_matter", "prior_study")
    )
    committee_stale = [pk for kid in committee_ids for pk in stale.get(kid, [])]
    on_committee = [i for i in items if i[1] in committee_ids]
    yield _counted(
        spec["activities.committee_agenda_items"], [i[0] for i in on_committee], committee_stale, "议题"
    )
    yield _counted(spec["activities.first_agenda_items"], [i[0] for i in items if i[2]], all_stale, "议题")
    yield _counted(
        spec["activities.major_matters"], [i[0] for i in on_committee if i[3]], committee_stale, "议题"
    )
    yield _counted(
        spec["activities.prior_study_items"], [i[0] for i in on_committee if i[4]], committee_stale, "议题"
    )

    # study and training: present attendance at held activities of the study category
    study = [k.pk for k in kinds if k.category == KindCategory.STUDY]
    present = list(
        Attendance.objects.filter(activity__in=held.filter(kind__in=study), status=AttendanceStatus.PRESENT)
        .order_by()
        .values_list("pk", "hours")
    )
    yield _counted(spec["activities.training_attendance"], [pk for pk, _h in present], [])
    with_hours = [(pk, h) for pk, h in present if h is not None]
    without = [pk for pk, h in present if h is None]
    yield fact_from(
        spec["activities.training_hours"],
        PARTIAL if without else OK,
        value=sum((Decimal(h) for _pk, h in with_hours), Decimal(0)),
        ids=[pk for pk, _h in with_hours],
        missing=[f"{len(without)}条到会记录未登记学时，未计入。"] if without else [],
        missing_ids=without,
    )

    # metrics, from the activities whose kind records them
    wanted = {k.pk: set(k.metrics or []) for k in kinds if k.metrics}
    metric_rows = list(held.filter(kind__in=list(wanted)).order_by().values_list("pk", "kind_id", "metrics"))
    for metric in Metric:
        s = _metric_spec(metric)
        relevant = [(pk, m) for pk, kid, m in metric_rows if metric in wanted.get(kid, set())]
        values = [(pk, _metric_value((m or {}).get(metric))) for pk, m in relevant]
        got = [(pk, v) for pk, v in values if v is not None]
        lacking = [pk for pk, v in values if v is None]
        total = sum((v for _pk, v in got), Decimal(0))
        value: int | Decimal = int(total) if total == total.to_integral_value() else total
        yield fact_from(
            s,
            PARTIAL if lacking else OK,
            value=value,
            ids=[pk for pk, _v in got],
            missing=[f"{len(lacking)}次活动未填写“{s.label}”，未计入。"] if lacking else [],
            missing_ids=lacking,
        )


def _counted(spec: Spec, ids: list[int], stale: list[int], noun: str = "") -> Fact:
    """A count; planned activities left unrecorded make it partial (listed, not counted)."""
    missing = []
    if stale:
        missing.append(
            f"{len(stale)}次计划活动已过计划日期，但既未登记召开也未登记取消，"
            f"其{noun or '次数'}未计入，请补录。"
        )
    return fact_from(
        spec,
        PARTIAL if stale else OK,
        value=len(ids),
        ids=ids,
        missing=missing,
        missing_ids=[] if noun else stale,
    )
