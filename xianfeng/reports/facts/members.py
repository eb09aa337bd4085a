"""Facts of the membership (people app): members by status at the end of the period, and leavers.

Status at a date comes from the key dates on the record (application, activist, candidate, admission,
conversion, left), not from today's status, so last year's summary reads last year's numbers. People
count under their current org (a member who moved inside the system counts where they are now).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership
from xianfeng.reports.facts import MISSING, OK, PARTIAL, Context, Fact, Spec, fact_from

AT_END = "统计期末（期末晚于今天时为今天）"
SPECS: tuple[Spec, ...] = (
    Spec(
        "members.party_members",
        "党员总数",
        "名",
        f"{AT_END}已被接收为预备党员（入党日期不晚于期末）且未离开组织的人数，含预备党员。",
        "people.Membership",
    ),
    Spec(
        "members.full",
        "正式党员",
        "名",
        f"{AT_END}已转为正式党员（转正日期不晚于期末）且未离开组织的人数。",
        "people.Membership",
    ),
    Spec(
        "members.probationary",
        "预备党员",
        "名",
        f"{AT_END}已接收为预备党员、尚未转正且未离开组织的人数。",
        "people.Membership",
    ),
    Spec(
        "members.candidates",
        "发展对象",
        "名",
        f"{AT_END}已确定为发展对象、尚未接收为预备党员且未离开组织的人数。",
        "people.Membership",
    ),
    Spec(
        "members.activists",
        "入党积极分子",
        "名",
        f"{AT_END}已确定为入党积极分子、尚未确定为发展对象且未离开组织的人数。",
        "people.Membership",
    ),
    Spec(
        "members.applicants",
        "入党申请人",
        "名",
        f"{AT_END}已递交入党申请、尚未确定为入党积极分子且未离开组织的人数。",
        "people.Membership",
    ),
    Spec(
        "members.left",
        "减少党员和其他人员",
        "名",
        "离开组织日期（转出系统、去世、除名等）在统计期间内的人数。",
        "people.Membership",
    ),
)


def specs() -> list[Spec]:
    return list(SPECS)


def _before(day: dt.date | None, at: dt.date) -> bool:
    return day is not None and day <= at


def collect(ctx: Context) -> Iterable[Fact]:
    at = min(ctx.period.end, ctx.today)
    rows = list(
        Membership.objects.in_subtree(ctx.org)
        .order_by()
        .values_list(
            "pk",
            "status",
            "application_date",
            "activist_date",
            "candidate_date",
            "admission_date",
            "conversion_date",
            "left_date",
        )
    )
    spec = {s.name: s for s in SPECS}
    if not rows:
        note = f"{ctx.org.name}及所属党组织没有党员和入党积极分子等人员记录。"
        for s in SPECS:
            yield fact_from(s, MISSING, missing=[note])
        return
    groups: dict[str, list[int]] = {s.name: [] for s in SPECS}
    undated: list[int] = []
    for pk, status, application, activist, candidate, admission, conversion, left in rows:
        if ctx.period.start <= (left or dt.date.max) <= ctx.period.end:
            groups["members.left"].append(pk)
        if left is not None and left <= at:
            continue
        if status in PARTY_MEMBER_STATUSES and admission is None:
            undated.append(pk)  # a party member without an admission date cannot be placed in time
            continue
        if _before(conversion, at):
            groups["members.full"].append(pk)
            groups["members.party_members"].append(pk)
        elif _before(admission, at):
            groups["members.probationary"].append(pk)
            groups["members.party_members"].append(pk)
        elif _before(candidate, at):
            groups["members.candidates"].append(pk)
        elif _before(activist, at):
            groups["members.activists"].append(pk)
        elif _before(application, at):
            groups["members.applicants"].append(pk)
    notes = [f"{len(undated)}名党员没有入党日期，无法确定期末身份，未计入，请补全。"] if undated else []
    for s in SPECS:
        partial = bool(undated) and s.name in (
            "members.party_members",
            "members.full",
            "members.probationary",
        )
        yield fact_from(
            spec[s.name],
            PARTIAL if partial else OK,
            value=len(groups[s.name]),
            ids=groups[s.name],
            missing=notes if partial else [],
            missing_ids=undated if partial else [],
        )
