"""Facts of publicity (上稿) and service teams: no module records them yet; declared so a template can
name them, unavailable (【待补充】) until one does."""

from __future__ import annotations

from collections.abc import Iterable

from xianfeng.reports.facts import Context, Fact, Spec, unavailable
from xianfeng.reports.facts._optional import model

SPECS: tuple[Spec, ...] = (
    Spec("publicity.pieces", "对外宣传上稿", "篇", "刊发日期在统计期间内、经审核的宣传稿件数。"),
)
AREA = "宣传与服务"


def specs() -> list[Spec]:
    return list(SPECS)


def collect(ctx: Context) -> Iterable[Fact]:
    if model("publicity.Piece") is None:
        return unavailable(SPECS, AREA, "宣传模块尚未安装，无法统计。")
    return unavailable(SPECS, AREA, "宣传模块的统计口径尚未接入总结。")
