"""Facts of member development (development app), counted as the development plan counts them
(development.selectors, DEV-21): *admitted* in the period of the Party committee's approval (step
"approval" passed), *converted* in the period of the approval of a conversion (step
"conversion_approval" passed after a conversion meeting that resolved to convert). One per person.

A person whose record has an admission (or conversion) date in the period but no such approval step
was recorded without the development steps (e.g. imported): listed as missing, not counted.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import OuterRef, Subquery

from xianfeng.development.models import DevelopmentStep
from xianfeng.development.steps import Decision
from xianfeng.people.models import Membership
from xianfeng.reports.facts import OK, PARTIAL, Context, Fact, Spec, fact_from

SPECS: tuple[Spec, ...] = (
    Spec(
        "development.admitted",
        "发展党员",
        "名",
        "上级党委审批接收为预备党员（发展步骤“上级党委审批”通过）的日期在统计期间内的人数，每人计一次。",
        "people.Membership",
    ),
    Spec(
        "development.converted",
        "预备党员按期转正",
        "名",
        "上级党委审批同意转正（支部大会决议为“转正”，非“延长预备期”）的日期在统计期间内的人数，每人计一次。",
        "people.Membership",
    ),
)


def specs() -> list[Spec]:
    return list(SPECS)


def collect(ctx: Context) -> Iterable[Fact]:
    start, end = ctx.period.start, ctx.period.end
    passed = (
        DevelopmentStep.objects.valid()
        .in_subtree(ctx.org)
        .filter(decision=Decision.PASSED, date__gte=start, date__lte=end)
    )
    meeting = (
        DevelopmentStep.objects.valid()
        .filter(membership=OuterRef("membership"), step="conversion_meeting", date__lte=OuterRef("date"))
        .order_by("-date", "-id")
        .values("decision")[:1]
    )
    admitted = set(passed.filter(step="approval").values_list("membership_id", flat=True))
    converted = set(
        passed.filter(step="conversion_approval")
        .annotate(meeting_decision=Subquery(meeting))
        .filter(meeting_decision=Decision.PASSED)
        .values_list("membership_id", flat=True)
    )
    people = Membership.objects.in_subtree(ctx.org)
    dated_admission = set(
        people.filter(admission_date__gte=start, admission_date__lte=end).values_list("pk", flat=True)
    )
    dated_conversion = set(
        people.filter(conversion_date__gte=start, conversion_date__lte=end).values_list("pk", flat=True)
    )
    for spec, counted, dated, what in (
        (SPECS[0], admitted, dated_admission, "入党日期"),
        (SPECS[1], converted, dated_conversion, "转正日期"),
    ):
        lacking = sorted(dated - counted)
        yield fact_from(
            spec,
            PARTIAL if lacking else OK,
            value=len(counted),
            ids=sorted(counted),
            missing=[
                f"{len(lacking)}人的{what}在统计期间内，但没有登记相应的审批步骤，未计入，请补录发展步骤。"
            ]
            if lacking
            else [],
            missing_ids=lacking,
        )
