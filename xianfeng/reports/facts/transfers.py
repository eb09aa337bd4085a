"""Facts of membership transfers (lifecycle app): letters of introduction out of and into the system.

Only letters whose transfer is complete count (status "received"); letters issued in the period and
still awaiting receipt are listed as missing (the transfer is not finished), returned letters are not
transfers at all.
"""

from __future__ import annotations

from collections.abc import Iterable

from xianfeng.lifecycle.choices import LetterDirection, LetterStatus
from xianfeng.lifecycle.models import TransferLetter
from xianfeng.reports.facts import OK, PARTIAL, Context, Fact, Spec, fact_from

SPECS: tuple[Spec, ...] = (
    Spec(
        "transfers.out",
        "组织关系转出",
        "名",
        "开具日期在统计期间内、对方已回执（状态为已接收）的组织关系介绍信（转出系统）数。",
        "lifecycle.TransferLetter",
    ),
    Spec(
        "transfers.in",
        "组织关系转入",
        "名",
        "开具日期在统计期间内、本组织已接收的组织关系介绍信（转入系统）数。",
        "lifecycle.TransferLetter",
    ),
)


def specs() -> list[Spec]:
    return list(SPECS)


def collect(ctx: Context) -> Iterable[Fact]:
    letters = list(
        TransferLetter.objects.in_subtree(ctx.org)
        .filter(issue_date__gte=ctx.period.start, issue_date__lte=ctx.period.end)
        .order_by()
        .values_list("pk", "direction", "status")
    )
    for spec, direction in ((SPECS[0], LetterDirection.OUT), (SPECS[1], LetterDirection.IN)):
        done = [pk for pk, d, s in letters if d == direction and s == LetterStatus.RECEIVED]
        open_ = [pk for pk, d, s in letters if d == direction and s == LetterStatus.ISSUED]
        yield fact_from(
            spec,
            PARTIAL if open_ else OK,
            value=len(done),
            ids=done,
            missing=[f"{len(open_)}封介绍信尚未回执，转接未完成，未计入。"] if open_ else [],
            missing_ids=open_,
        )
