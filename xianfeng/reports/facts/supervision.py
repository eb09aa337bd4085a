"""Facts of key tasks and rectifications (supervision app), read-only from its models.

Tasks count by their lead org, rectifications by their responsible org, in the subtree. Opened: the
list or batch was issued in the period; closed: closed (tasks, after the issuer's check) or verified
and closed (rectifications) in the period; overdue: past the deadline at the period's end (or today)
and not closed by then. `supervision.problems` lists the overdue ones for 存在的问题.
Until the supervision module is installed, every fact here is unavailable (【待补充】).
"""

from __future__ import annotations

from collections.abc import Iterable

from xianfeng.reports.facts import OK, Context, Fact, Spec, fact_from, unavailable
from xianfeng.reports.facts._optional import model

SPECS: tuple[Spec, ...] = (
    Spec(
        "supervision.tasks_opened",
        "部署重点任务",
        "项",
        "下达日期在统计期间内的重点任务清单中、由本组织及所属党组织牵头的任务数。",
        "supervision.TaskItem",
    ),
    Spec(
        "supervision.tasks_closed",
        "完成重点任务",
        "项",
        "经下达单位确认办结、办结日期在统计期间内的重点任务数。",
        "supervision.TaskItem",
    ),
    Spec(
        "supervision.tasks_overdue",
        "逾期未完成重点任务",
        "项",
        "统计期末（晚于今天时为今天）已过完成时限、仍未办结的重点任务数。",
        "supervision.TaskItem",
    ),
    Spec(
        "supervision.rectifications_opened",
        "发现问题（整改事项）",
        "项",
        "下发日期在统计期间内的整改批次中、由本组织及所属党组织负责整改的问题数。",
        "supervision.Rectification",
    ),
    Spec(
        "supervision.rectifications_closed",
        "完成整改",
        "项",
        "经验收销号、销号日期在统计期间内的整改事项数。",
        "supervision.Rectification",
    ),
    Spec(
        "supervision.rectifications_overdue",
        "逾期未完成整改",
        "项",
        "统计期末（晚于今天时为今天）已过整改时限、仍未验收销号的整改事项数。",
        "supervision.Rectification",
    ),
    Spec(
        "supervision.problems", "存在的问题（督办整改）", "条", "逾期未完成的重点任务和整改事项，每项一条。"
    ),
)
AREA = "重点任务与整改"


def specs() -> list[Spec]:
    return list(SPECS)


def collect(ctx: Context) -> Iterable[Fact]:
    task_model, rect_model = model("supervision.TaskItem"), model("supervision.Rectification")
    if task_model is None or rect_model is None:
        yield from unavailable(SPECS, AREA, "督办整改模块尚未安装，无法统计。")
        return
    spec = {s.name: s for s in SPECS}
    start, end = ctx.period.start, ctx.period.end
    at = min(end, ctx.today)
    tasks = list(
        task_model.objects.filter(lead_org__path__startswith=ctx.org.path)
        .filter(task_list__issued_on__lte=end)
        .values_list(
            "pk", "title", "task_list__issued_on", "status", "closed_on", "deadline", "lead_org__name"
        )
    )
    opened = [t[0] for t in tasks if t[2] >= start]
    closed = [t[0] for t in tasks if t[3] == "closed" and t[4] is not None and start <= t[4] <= end]
    late = [t for t in tasks if t[5] < at and not (t[3] == "closed" and t[4] is not None and t[4] <= at)]
    yield fact_from(spec["supervision.tasks_opened"], OK, value=len(opened), ids=opened)
    yield fact_from(spec["supervision.tasks_closed"], OK, value=len(closed), ids=closed)
    yield fact_from(spec["supervision.tasks_overdue"], OK, value=len(late), ids=[t[0] for t in late])
    rects = list(
        rect_model.objects.filter(responsible_org__path__startswith=ctx.org.path)
        .filter(batch__issued_on__lte=end)
        .values_list(
            "pk", "problem", "batch__issued_on", "status", "verified_on", "deadline", "responsible_org__name"
        )
    )
    r_opened = [r[0] for r in rects if r[2] >= start]
    r_closed = [r[0] for r in rects if r[3] == "closed" and r[4] is not None and start <= r[4] <= end]
    r_late = [r for r in rects if r[5] < at and not (r[3] == "closed" and r[4] is not None and r[4] <= at)]
    yield fact_from(spec["supervision.rectifications_opened"], OK, value=len(r_opened), ids=r_opened)
    yield fact_from(spec["supervision.rectifications_closed"], OK, value=len(r_closed), ids=r_closed)
    yield fact_from(
        spec["supervision.rectifications_overdue"], OK, value=len(r_late), ids=[r[0] for r in r_late]
    )
    items = [f"{r[6]}负责的整改事项“{_short(r[1])}”逾期未完成整改" for r in r_late[:20]]
    items += [f"{t[6]}牵头的重点任务“{_short(t[1])}”逾期未办结" for t in late[:20]]
    yield fact_from(spec["supervision.problems"], OK, value=len(items), items=items)


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
