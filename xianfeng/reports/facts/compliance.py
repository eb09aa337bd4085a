"""Facts of compliance (compliance app): obligations of the period met and missed, from the same
engine as the compliance pages (compliance.engine.findings), for every org of the subtree and every
period of an obligation that ended inside the statistics period.

They seed 二、存在的问题: `compliance.problems` lists, per obligation, how many orgs missed it.
Findings are computed, not records: their provenance is the list itself (org, period, obligation).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from xianfeng.compliance.engine import Status, findings
from xianfeng.reports.facts import MISSING, OK, Context, Fact, Spec, fact_from

SPECS: tuple[Spec, ...] = (
    Spec(
        "compliance.checked",
        "制度落实检查项",
        "项",
        "统计期间内已结束的各考核周期中，本组织及所属党组织适用的制度性要求（如每月召开支委会）的检查项数。",
    ),
    Spec(
        "compliance.met",
        "按要求落实",
        "项",
        "上述检查项中按时按次数完成的项数。",
    ),
    Spec(
        "compliance.missed",
        "未按要求落实",
        "项",
        "上述检查项中周期结束仍未完成的项数（状态为“未完成”）。",
    ),
    Spec(
        "compliance.rate",
        "制度落实率",
        "%",
        "按要求落实项数 ÷ 检查项数 × 100，保留一位小数。",
    ),
    Spec(
        "compliance.problems",
        "存在的问题（制度落实）",
        "条",
        "按制度性要求汇总的未落实情况，每条写明要求名称、未落实的党组织数和周期数，按未落实次数从多到少。",
    ),
)


def specs() -> list[Spec]:
    return list(SPECS)


def collect(ctx: Context) -> Iterable[Fact]:
    from decimal import ROUND_HALF_UP, Decimal

    end = min(ctx.period.end, ctx.today)
    spec = {s.name: s for s in SPECS}
    if end < ctx.period.start:
        for s in SPECS:
            yield fact_from(s, MISSING, missing=["统计期间尚未开始，没有已结束的考核周期。"])
        return
    found = findings(scope=ctx.org, start=ctx.period.start, end=end, today=ctx.today, evidence=False)
    closed = [
        f
        for f in found
        if f.period_end is not None and f.period_end <= end and f.status in (Status.MET, Status.MISSED)
    ]
    met = [f for f in closed if f.status == Status.MET]
    missed = [f for f in closed if f.status == Status.MISSED]
    yield fact_from(spec["compliance.checked"], OK, value=len(closed))
    yield fact_from(spec["compliance.met"], OK, value=len(met))
    yield fact_from(
        spec["compliance.missed"],
        OK,
        value=len(missed),
        items=[
            f"{f.org_name} {f.period_label} {f.title}{'（' + f.person_name + '）' if f.person_name else ''}"
            for f in missed[:500]
        ],
    )
    if closed:
        rate = (Decimal(len(met)) * 100 / len(closed)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
        yield fact_from(spec["compliance.rate"], OK, value=rate)
    else:
        yield fact_from(spec["compliance.rate"], MISSING, missing=["统计期间没有适用的制度性要求检查项。"])
    by_title: dict[str, tuple[set[int], int]] = defaultdict(lambda: (set(), 0))
    for f in missed:
        orgs, times = by_title[f.title]
        orgs.add(f.org_id)
        by_title[f.title] = (orgs, times + 1)
    ranked = sorted(by_title.items(), key=lambda kv: (-kv[1][1], kv[0]))
    items = [f"{title}：{len(orgs)}个党组织共{times}个周期未按要求落实" for title, (orgs, times) in ranked]
    yield fact_from(spec["compliance.problems"], OK, value=len(items), items=items)
