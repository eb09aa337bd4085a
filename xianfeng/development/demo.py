"""Demo development records, recorded step by step through the services with dates relative to today,
so the board, the timelines and the reminders have something real to show in 城东供电所党支部:

- an applicant who handed in the application 20 days ago (the talk is due within the month, DEV-03);
- an activist seven months in, with the talk, the filing, two cultivation contacts, a half-yearly review
  and quarterly thought reports (MISC-05);
- a probationary member accepted almost a year ago after the whole pipeline (sponsors, political review,
  training, the branch general meeting's vote, the committee's approval), with thought reports and a
  probation review: the conversion meeting is due in about seven weeks (DEV-19).

New people, so the demo's other members keep the key dates they were given; built before the
activities, so the probationary member takes part in the branch's meetings like everyone else.
Deterministic.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from dateutil.relativedelta import relativedelta

from xianfeng.development import services
from xianfeng.development.checks import Proposed
from xianfeng.development.steps import Decision, Role
from xianfeng.people import idcard
from xianfeng.people import services as people_services
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership

if TYPE_CHECKING:
    from xianfeng.demo import DemoResult

BRANCH = "chengdong"


class _Pipeline:
    """One branch's helpers (full members) and the committee that approves."""

    def __init__(self, result: DemoResult, today: dt.date) -> None:
        self.today = today
        self.branch = result.orgs[BRANCH]
        self.committee = result.root
        groups = result.groups.get(BRANCH) or []
        self.group = groups[0] if groups else None
        helpers = list(
            Membership.objects.filter(org=self.branch, status=PoliticalStatus.FULL, left_date__isnull=True)
            .select_related("person")
            .order_by("conversion_date", "pk")[:3]
        )
        self.helpers = helpers
        self.voters = Membership.objects.filter(
            org=self.branch, status=PoliticalStatus.FULL, left_date__isnull=True
        ).count()

    def person(self, name: str, gender: str, birth: dt.date, applied: dt.date, sequence: int) -> Membership:
        id_number = idcard.generate(region="430102", birth_date=birth, gender=gender, sequence=sequence)
        return people_services.member_create(
            actor=None,
            org=self.branch,
            person_data={"name": name, "gender": gender, "birth_date": birth, "id_number": id_number},
            membership_data={
                "status": PoliticalStatus.APPLICANT,
                "application_date": applied,
                "party_group": self.group,
            },
        )

    def extras(self, code: str) -> dict[str, Any]:
        h = self.helpers
        votes = {
            "should_attend": self.voters,
            "present": self.voters,
            "written_opinions": 0,
            "votes_for": self.voters,
            "votes_against": 0,
            "abstentions": 0,
        }
        by_step: dict[str, dict[str, Any]] = {
            "talk": {"people": [(h[0], Role.TALKER)]},
            "contacts": {"people": [(h[0], Role.CONTACT), (h[1], Role.CONTACT)]},
            "sponsors": {"people": [(h[1], Role.SPONSOR), (h[2], Role.SPONSOR)]},
            "activist_review": {"conclusion": "学习认真，工作积极，继续培养"},
            "political_review": {"decision": Decision.PASSED, "conclusion": "政治审查合格"},
            "training": {"training_days": 3, "training_hours": 24},
            "pre_review": {"decision": Decision.PASSED},
            "acceptance_meeting": votes,
            "higher_talk": {"people": [(h[2], Role.HIGHER_TALKER)]},
            "approval": {"decision": Decision.PASSED, "approving_org": self.committee},
        }
        return by_step.get(code, {})

    def record(self, membership: Membership, steps: list[tuple[str, dt.date]]) -> None:
        for code, day in steps:
            services.step_record(
                actor=None, membership=membership, proposed=Proposed(code=code, date=day, **self.extras(code))
            )

    def reports(self, membership: Membership, start: dt.date, summaries: list[str]) -> None:
        for index, summary in enumerate(summaries, start=1):
            services.thought_report_record(
                actor=None,
                membership=Membership.objects.get(pk=membership.pk),
                received_on=start + relativedelta(months=3 * index) - dt.timedelta(days=3),
                summary=summary,
            )


def build_development(result: DemoResult, *, today: dt.date) -> None:
    p = _Pipeline(result, today)
    if len(p.helpers) < 3:  # a demo without the branch's full members: nothing to build on
        return
    day = dt.timedelta(days=1)

    applicant = p.person("韩晓东", "male", dt.date(2000, 4, 12), today - 20 * day, 801)
    p.record(applicant, [("application", today - 20 * day)])

    applied = today - relativedelta(months=8)
    activist_since = applied + relativedelta(months=1)
    activist = p.person("罗雨桐", "female", dt.date(1998, 9, 3), applied, 802)
    p.record(
        activist,
        [
            ("application", applied),
            ("talk", applied + 12 * day),
            ("activist", activist_since),
            ("activist_filed", activist_since + 5 * day),
            ("contacts", activist_since + 5 * day),
            ("activist_review", activist_since + relativedelta(months=6)),
        ],
    )
    p.reports(activist, activist_since, ["学习党章的体会", "参加抢修保电的思想收获"])

    meeting = today - relativedelta(months=12) + 50 * day  # probation ends in 50 days
    candidate = meeting - 40 * day
    since = candidate - relativedelta(months=12) - day
    applied = since - relativedelta(months=1)
    probationer = p.person("邓志远", "male", dt.date(1996, 2, 20), applied, 803)
    p.record(
        probationer,
        [
            ("application", applied),
            ("talk", applied + 10 * day),
            ("activist", since),
            ("activist_filed", since + 5 * day),
            ("contacts", since + 5 * day),
            ("activist_review", since + relativedelta(months=6)),
            ("candidate", candidate),
            ("candidate_filed", candidate + 5 * day),
            ("sponsors", candidate + 5 * day),
            ("political_review", candidate + 10 * day),
            ("training", candidate + 15 * day),
            ("committee_check", candidate + 20 * day),
            ("pre_review", candidate + 25 * day),
            ("volunteer_form", candidate + 30 * day),
            ("acceptance_meeting", meeting),
            ("higher_talk", meeting + 10 * day),
            ("approval", meeting + 20 * day),
            ("approval_filed", meeting + 25 * day),
            ("placement", meeting + 25 * day),
            ("oath", meeting + 25 * day),
            ("probation_review", meeting + relativedelta(months=6)),
        ],
    )
    p.reports(
        probationer, meeting, ["预备期第一季度思想汇报", "预备期第二季度思想汇报", "预备期第三季度思想汇报"]
    )
