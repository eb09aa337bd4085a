"""Facts of points and assessments (scoring app), read-only from its models.

Only what the scoring module has settled counts: approved point entries, and results of assessment
periods that ended inside the statistics period and are locked or published. Periods that ended in
the statistics period but are still open or only computed are listed as missing (not final yet).
Until the scoring module is installed, every fact here is unavailable (【待补充】).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from xianfeng.reports.facts import MISSING, OK, PARTIAL, Context, Fact, Spec, fact_from, unavailable
from xianfeng.reports.facts._optional import model

FINAL_STATES = ("locked", "published")
ENDED = "考核周期结束日期在统计期间内、结果已锁定或已公布的"
SPECS: tuple[Spec, ...] = (
    Spec(
        "scoring.member_points_entries",
        "党员积分记录",
        "条",
        "考核周期结束日期在统计期间内、经审核通过的党员积分加减分记录数。",
        "scoring.Entry",
    ),
    Spec(
        "scoring.assessed_orgs",
        "参加考核的党组织",
        "个",
        f"{ENDED}党组织考核结果中的党组织数。",
        "scoring.Result",
    ),
    Spec(
        "scoring.excellent_orgs",
        "考核优秀的党组织",
        "个",
        f"{ENDED}党组织考核结果中等次为“优秀”的党组织数。",
        "scoring.Result",
    ),
    Spec(
        "scoring.weak_dimensions",
        "考核薄弱维度",
        "条",
        f"{ENDED}党组织考核中，各加分、评分维度的平均得分率（得分 ÷ 满分），由低到高取前三个，用于“存在的问题”。",
    ),
)
AREA = "积分与考核"


def specs() -> list[Spec]:
    return list(SPECS)


def collect(ctx: Context) -> Iterable[Fact]:
    entry_model, result_model, period_model = (
        model("scoring.Entry"),
        model("scoring.Result"),
        model("scoring.Period"),
    )
    if entry_model is None or result_model is None or period_model is None:
        yield from unavailable(SPECS, AREA, "积分考核模块尚未安装，无法统计。")
        return
    spec = {s.name: s for s in SPECS}
    start, end = ctx.period.start, ctx.period.end
    periods = period_model.objects.filter(end__gte=start, end__lte=end)
    final = periods.filter(state__in=FINAL_STATES)
    pending = list(
        periods.exclude(state__in=FINAL_STATES)
        .filter(scheme__org__path__startswith=ctx.org.path)
        .values_list("pk", "scheme__name", "label")
    )
    note = (
        [
            f"{len(pending)}个考核周期已结束但结果尚未锁定或公布，未计入："
            + "、".join(f"{n}{lbl}" for _pk, n, lbl in pending[:5])
        ]
        if pending
        else []
    )
    entries = list(
        entry_model.objects.in_subtree(ctx.org)
        .filter(period__in=periods, membership__isnull=False, status="approved")
        .values_list("pk", flat=True)
    )
    yield fact_from(spec["scoring.member_points_entries"], OK, value=len(entries), ids=entries)
    results = list(
        result_model.objects.in_subtree(ctx.org)
        .filter(period__in=final, subject_org__isnull=False)
        .values_list("pk", "subject_org_id", "grade", "dimensions", "period__scheme_id")
    )
    if not results and not pending:
        for name in ("scoring.assessed_orgs", "scoring.excellent_orgs", "scoring.weak_dimensions"):
            yield fact_from(spec[name], MISSING, missing=["统计期间内没有已结束的党组织考核。"])
        return
    status = PARTIAL if pending else OK
    first: dict[int, int] = {}
    for pk, org_id, _grade, _dims, _scheme in results:
        first.setdefault(org_id, pk)  # one result per org (the first found) stands for it
    excellent: dict[int, int] = {}
    for pk, org_id, grade, _dims, _scheme in results:
        if "优秀" in (grade or ""):
            excellent.setdefault(org_id, pk)
    yield fact_from(
        spec["scoring.assessed_orgs"], status, value=len(first), ids=list(first.values()), missing=note
    )
    yield fact_from(
        spec["scoring.excellent_orgs"],
        status,
        value=len(excellent),
        ids=list(excellent.values()),
        missing=note,
    )
    yield fact_from(spec["scoring.weak_dimensions"], status, **_weak(results), missing=note)


def _weak(results: list[tuple[int, int, str, dict[str, object], int]]) -> dict[str, object]:
    dimension_model = model("scoring.Dimension")
    schemes = {r[4] for r in results}
    dims = (
        {
            (d.scheme_id, d.code): d
            for d in dimension_model.objects.filter(
                scheme__in=schemes, kind__in=("bonus", "scored"), maximum__gt=0
            )
        }
        if dimension_model is not None
        else {}
    )
    sums: dict[tuple[int, str], list[Decimal]] = defaultdict(list)
    for _pk, _org, _grade, by_code, scheme in results:
        for code, value in (by_code or {}).items():
            if (scheme, code) in dims:
                sums[(scheme, code)].append(Decimal(str(value)))
    rates = []
    for key, values in sums.items():
        d = dims[key]
        rate = (sum(values) / len(values) / d.maximum * 100).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        rates.append((rate, d.name, d.maximum))
    rates.sort()
    items = [f"“{name}”维度平均得分率{rate}%（满分{maximum:g}分）" for rate, name, maximum in rates[:3]]
    return {"value": len(items), "items": items}
