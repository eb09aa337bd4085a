"""Coded rules: what is not a count of activities (ARCHITECTURE.md: "code where they are fixed law").

Each rule returns findings as of `today`, with its citation, for the orgs of a scope, in a bounded
number of queries (no query per org or per member):

- term expiry (BR-04…BR-06, MISC-09): due soon from 6 months before `term_end`, overdue after it;
- secretary / party-group leader vacant (MISC-06, BR-22): due soon while vacant, overdue when vacant
  for more than 3 months, counted from the last holder's end date or the org's founding;
- branch size (BR-01): fewer than 3 full members (overdue), more than 50 party members (due soon —
  "generally" no more than 50);
- committee (BR-03): 7 or more full members and no committee (overdue);
- organizational life (DUES-13, MEM-09, 教育管理条例 art. 31): a party member not present at any
  organizational-life activity for 6 consecutive months (overdue; due soon from 3 months, the usual
  local warning), counted from the last attendance, the admission date, or the first
  organizational-life activity recorded in the member's org, whichever is latest (so the day the
  system goes live nobody is flagged for months nobody recorded);
- party dues (DUES-13): a member with dues unpaid for 3 consecutive months (due soon; the warning is
  a setting) or for 6 consecutive months none of them covered by a recorded reason (overdue), from
  the dues arrears scan (dues.selectors.arrears);
- member development (DEV-03, DEV-06, DEV-15, DEV-17, DEV-19): the talk with an applicant, the
  half-yearly review of an activist, the end of probation and the approvals of acceptance and
  conversion, each due soon before its limit and overdue after it (development.findings, read from
  the same next steps as the development board);
- supervision (督办): open key tasks and problems being rectified due within the due-soon window
  (XIANFENG_SUPERVISION_DUE_SOON_DAYS, 7) or past their deadline, for the lead / responsible org;
  once overdue (by more than XIANFENG_SUPERVISION_ESCALATE_DAYS) they are escalated to the issuing
  org as a finding of its own; unanswered work orders likewise for the recipient, and for the issuer
  once overdue (supervision.selectors, one query each).

Only open findings are returned (due soon or overdue): a coded rule that holds says nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Max, Min, Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xianfeng.activities.choices import ActivityStatus, AttendanceStatus, KindCategory
from xianfeng.activities.models import Activity, Attendance
from xianfeng.compliance.engine import (
    COMMITTEE_MEMBER_POSTS,
    HAS_COMMITTEE_FULL_MEMBERS,
    HAS_COMMITTEE_POSTS,
    Finding,
    OrgRow,
    Scope,
    Status,
    as_scope,
    load_orgs,
)
from xianfeng.orgs.choices import TERM_REMINDER_MONTHS, OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES, PoliticalStatus, Post
from xianfeng.people.models import Membership, PostHolding

BRANCH_TYPES = frozenset({OrgType.BRANCH, OrgType.JOINT_BRANCH, OrgType.TEMPORARY_BRANCH})
SECRETARY_TYPES = frozenset({OrgType.COMMITTEE, OrgType.GENERAL_BRANCH, *BRANCH_TYPES})
VACANCY_MONTHS = 3
MIN_FULL_MEMBERS = 3
MAX_MEMBERS = 50
ABSENCE_MONTHS = 6
ABSENCE_WARNING_MONTHS = 3

# rule code → (title, rule reference, citation)
RULES: dict[str, tuple[str | Promise, str, str]] = {
    "term_expiry": (
        gettext_lazy("Term of office ending: prepare the election"),
        "BR-04–BR-06",
        "《关于党的基层组织任期的意见》第一、二项；《中国共产党支部工作条例（试行）》第二十二条：任期届满按期换届，"
        "上级党组织一般提前6个月提醒；延期或提前换届须经批准，一般不超过1年（RULES.md BR-04–BR-06, MISC-09）。",
    ),
    "secretary_vacant": (
        gettext_lazy("Secretary post vacant"),
        "MISC-06",
        "《中国共产党支部工作条例（试行）》第二十三条：书记出缺应及时补选；地方软弱涣散认定标准："
        "书记长期缺职（超过3个月）（RULES.md MISC-06, BR-22）。",
    ),
    "group_leader_vacant": (
        gettext_lazy("Party group leader post vacant"),
        "MISC-06",
        "《中国共产党支部工作条例（试行）》第十三条：党小组设组长；组长出缺超过3个月参照软弱涣散标准处理"
        "（RULES.md MISC-06, BR-22）。",
    ),
    "too_few_members": (
        gettext_lazy("Fewer than 3 full members"),
        "BR-01",
        "《中国共产党支部工作条例（试行）》第五条：有正式党员3人以上的单位应当成立党支部；不足3人的"
        "可与邻近单位成立联合党支部（RULES.md BR-01）。",
    ),
    "too_many_members": (
        gettext_lazy("More than 50 members"),
        "BR-01",
        "《中国共产党支部工作条例（试行）》第六条：党支部党员人数一般不超过50人（RULES.md BR-01）。",
    ),
    "no_committee": (
        gettext_lazy("7 or more full members but no branch committee"),
        "BR-03",
        "《中国共产党支部工作条例（试行）》第二十一条：正式党员7人以上的党支部设立支部委员会（RULES.md BR-03）。",
    ),
    "absent_from_org_life": (
        gettext_lazy("No organizational life for 6 months (自行脱党 risk)"),
        "MEM-09",
        "《中国共产党党员教育管理工作条例》第三十一条、《党章》第九条：党员无正当理由连续6个月不参加党的"
        "组织生活，视为自行脱党（RULES.md DUES-13, MEM-09）。",
    ),
    "dues_arrears": (
        gettext_lazy("Party dues unpaid for 6 months (自行脱党 risk)"),
        "DUES-13",
        "《关于中国共产党党费收缴、使用和管理的规定》第十三条、《党章》第九条：党员无正当理由连续6个月不交纳"
        "党费，视为自行脱党，支部大会决定除名并报上级党组织批准；连续3个月未交纳即提醒（RULES.md DUES-13）。",
    ),
    "transfer_letter_overdue": (
        gettext_lazy("Transfer letter not received within its validity"),
        "MEM-03",
        "《中国共产党党员教育管理工作条例》第二十五条：党员组织关系转接，转出党组织在接收前仍负有管理责任；"
        "介绍信有效期由本单位规定（RULES.md MEM-03）。",
    ),
    "dev_talk": (
        gettext_lazy("Talk with the applicant within one month"),
        "DEV-03",
        "《中国共产党发展党员工作细则》第七条：党组织收到入党申请书后，应当在一个月内派人同入党申请人谈话，"
        "了解基本情况（RULES.md DEV-03）。",
    ),
    "dev_activist_review": (
        gettext_lazy("Half-yearly review of the activist"),
        "DEV-06",
        "《中国共产党发展党员工作细则》第十一条：党支部每半年对入党积极分子进行一次考察（RULES.md DEV-06）。",
    ),
    "dev_probation_end": (
        gettext_lazy("Probation ending: discuss the conversion"),
        "DEV-17/DEV-19",
        "《党章》第七条；《中国共产党发展党员工作细则》第三十二条、第三十三条：预备期为一年，从支部大会通过"
        "之日算起；预备党员预备期满，党支部应当及时讨论其能否转为正式党员（RULES.md DEV-17, DEV-19）。",
    ),
    "dev_approval": (
        gettext_lazy("Acceptance not approved within 3 months"),
        "DEV-15",
        "《中国共产党发展党员工作细则》第二十三条至第二十五条：基层党委对党支部上报的接收预备党员的决议，应当在"
        "三个月内审批；因特殊情况可适当延长审批时间，但最长不得超过六个月（RULES.md DEV-15）。",
    ),
    "dev_conversion_approval": (
        gettext_lazy("Conversion not approved within 3 months"),
        "DEV-19",
        "《中国共产党发展党员工作细则》第三十三条：预备党员预备期满，党支部应当及时讨论其能否转为正式党员；"
        "上级党委对党支部上报的预备党员转正的决议，应当在三个月内审批（RULES.md DEV-19）。",
    ),
    "key_task_deadline": (
        gettext_lazy("Key task due"),
        "SUP-01",
        "重点任务清单：牵头单位和责任人按期完成并反馈，做到事事有落实、件件有回音；逾期的由督办升级至任务下达单位"
        "（《中国共产党党内监督条例》第十一条；本单位重点任务督办制度）。",
    ),
    "key_task_escalated": (
        gettext_lazy("Key task overdue at a lower organization (督办)"),
        "SUP-01",
        "重点任务逾期未完成的，下达单位督办：催办、通报直至考核（本单位重点任务督办制度）。",
    ),
    "rectification_deadline": (
        gettext_lazy("Rectification due"),
        "SUP-02",
        "巡察、审计、自查和信访发现的问题，责任单位按整改通知单限期整改并报送佐证材料，立行立改问题即知即改"
        "（《中国共产党巡视工作条例》第三十五条至第三十七条；本单位整改台账制度）。",
    ),
    "rectification_escalated": (
        gettext_lazy("Rectification overdue at a lower organization"),
        "SUP-02",
        "整改逾期的，由下达整改通知单的党组织督促、验收，未经验收不得销号（《中国共产党巡视工作条例》第三十七条）。",
    ),
    "work_order_response": (
        gettext_lazy("Work order awaiting a response"),
        "SUP-03",
        "“提示、通报、考核”三张工单：接收单位在时限内反馈整改情况，逾期未反馈的逐级升级（本单位工单管理办法）。",
    ),
    "work_order_unanswered": (
        gettext_lazy("Work order unanswered: escalate"),
        "SUP-03",
        "工单逾期未反馈的，下达单位升级为下一级工单：提示→通报→考核（本单位工单管理办法）。",
    ),
}


def rule_title(code: str) -> str:
    return str(RULES[code][0])


def _finding(
    code: str,
    status: str,
    org: OrgRow,
    *,
    due: dt.date,
    anchor: str,
    detail: str,
    subject: str = "org",
    person: tuple[int, str, str] | None = None,
    required: int = 0,
    done: int = 0,
) -> Finding:
    title, ref, citation = RULES[code]
    return Finding(
        rule=f"rule/{code}",
        title=str(title),
        status=status,
        org_id=org.id,
        org_name=org.name,
        period_label="",
        period_start=None,
        period_end=None,
        due=due,
        required=required,
        done=done,
        evidence=(),
        citation=citation,
        rule_ref=ref,
        level="national",
        subject=subject,
        person_id=person[0] if person else None,
        person_name=person[1] if person else "",
        person_code=person[2] if person else "",
        anchor=anchor,
        detail=detail,
    )


def term_expiry(orgs: Iterable[OrgRow], today: dt.date) -> list[Finding]:
    """No query: the org rows carry term_end. Same window as the org pages (orgs.selectors)."""
    out = []
    remind_until = today + relativedelta(months=TERM_REMINDER_MONTHS)
    for org in orgs:
        if org.status != OrgStatus.ACTIVE or org.term_end is None or org.term_end > remind_until:
            continue
        status = Status.OVERDUE if today > org.term_end else Status.DUE_SOON
        detail = _("The term ends on %(date)s.") % {"date": org.term_end.isoformat()}
        out.append(
            _finding(
                "term_expiry", status, org, due=org.term_end, anchor=org.term_end.isoformat(), detail=detail
            )
        )
    return out


def vacancies(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """One query: per org and post, whether it is held today and when the last holding ended."""
    watched = {
        org.id: org
        for org in orgs
        if org.status == OrgStatus.ACTIVE
        and (org.org_type in SECRETARY_TYPES or org.org_type == OrgType.PARTY_GROUP)
    }
    if not watched:
        return []
    rows = (
        PostHolding.objects.filter(
            org_id__in=Org.objects.filter(scope.q).values("pk"), post__in=[Post.SECRETARY, Post.GROUP_LEADER]
        )
        .values("org_id", "post")
        .annotate(
            current=Count(
                "pk", filter=Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gt=today))
            ),
            last_end=Max("end_date", filter=Q(end_date__lte=today)),
        )
        .order_by()
    )
    state: dict[tuple[int, str], dict[str, Any]] = {(row["org_id"], row["post"]): dict(row) for row in rows}
    out = []
    for org in watched.values():
        post = Post.GROUP_LEADER if org.org_type == OrgType.PARTY_GROUP else Post.SECRETARY
        row = state.get((org.id, post))
        if row and row["current"]:
            continue
        since: dt.date = (row or {}).get("last_end") or org.founded or org.created
        if since > today:
            continue
        limit = since + relativedelta(months=VACANCY_MONTHS)
        status = Status.OVERDUE if today > limit else Status.DUE_SOON
        code = "group_leader_vacant" if post == Post.GROUP_LEADER else "secretary_vacant"
        detail = _("Vacant since %(date)s.") % {"date": since.isoformat()}
        out.append(_finding(code, status, org, due=limit, anchor=since.isoformat(), detail=detail))
    return out


def branch_size(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """Two queries: current members per org (full / all party members), committee posts per org."""
    branches = {
        org.id: org for org in orgs if org.status == OrgStatus.ACTIVE and org.org_type in BRANCH_TYPES
    }
    if not branches:
        return []
    in_scope = Org.objects.filter(scope.q).filter(org_type__in=BRANCH_TYPES).values("pk")
    members = {
        row["org_id"]: row
        for row in Membership.objects.filter(org_id__in=in_scope)
        .filter(Q(left_date__isnull=True) | Q(left_date__gt=today))
        .values("org_id")
        .annotate(
            full=Count("pk", filter=Q(status=PoliticalStatus.FULL, conversion_date__lte=today)),
            party=Count("pk", filter=Q(status__in=PARTY_MEMBER_STATUSES)),
        )
        .order_by()
    }
    committee = dict(
        PostHolding.objects.filter(
            org_id__in=in_scope, post__in=COMMITTEE_MEMBER_POSTS, start_date__lte=today
        )
        .filter(Q(end_date__isnull=True) | Q(end_date__gt=today))
        .values("org_id")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("org_id", "n")
    )
    out = []
    anchor = "size"
    for org in branches.values():
        row = members.get(org.id, {"full": 0, "party": 0})
        full, party = row["full"], row["party"]
        if full < MIN_FULL_MEMBERS:
            detail = _("%(n)s full members.") % {"n": full}
            out.append(
                _finding(
                    "too_few_members",
                    Status.OVERDUE,
                    org,
                    due=today,
                    anchor=anchor,
                    detail=detail,
                    required=MIN_FULL_MEMBERS,
                    done=full,
                )
            )
        if party > MAX_MEMBERS:
            detail = _("%(n)s party members.") % {"n": party}
            out.append(
                _finding(
                    "too_many_members",
                    Status.DUE_SOON,
                    org,
                    due=today,
                    anchor=anchor,
                    detail=detail,
                    required=MAX_MEMBERS,
                    done=party,
                )
            )
        if full >= HAS_COMMITTEE_FULL_MEMBERS and committee.get(org.id, 0) < HAS_COMMITTEE_POSTS:
            detail = _("%(n)s full members, %(posts)s committee members besides the secretaries.") % {
                "n": full,
                "posts": committee.get(org.id, 0),
            }
            out.append(_finding("no_committee", Status.OVERDUE, org, due=today, anchor=anchor, detail=detail))
    return out


def absent_members(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """Three queries: the party members in scope, each one's last organizational-life attendance
    (present), and the first organizational-life activity recorded in each org."""
    by_id = {org.id: org for org in orgs}
    by_path = {org.path: org for org in orgs}
    in_scope = Org.objects.filter(scope.q).values("pk")
    members = list(
        Membership.objects.filter(org_id__in=in_scope, status__in=PARTY_MEMBER_STATUSES)
        .filter(Q(left_date__isnull=True) | Q(left_date__gt=today))
        .values_list("person_id", "person__name", "person__code", "org_id", "admission_date")
    )
    if not members:
        return []
    org_life = Q(
        activity__status=ActivityStatus.HELD, activity__kind__category=KindCategory.ORGANIZATIONAL_LIFE
    )
    last_present = dict(
        Attendance.objects.filter(org_life, status=AttendanceStatus.PRESENT)
        .filter(person_id__in=Membership.objects.filter(org_id__in=in_scope).values("person_id"))
        .values("person_id")
        .annotate(last=Max("activity__held_start"))
        .order_by()
        .values_list("person_id", "last")
    )
    first_activity: dict[int, dt.datetime] = dict(
        Activity.objects.filter(
            org_id__in=in_scope, status=ActivityStatus.HELD, kind__category=KindCategory.ORGANIZATIONAL_LIFE
        )
        .values("org_id")
        .annotate(first=Min("held_start"))
        .order_by()
        .values_list("org_id", "first")
    )
    local = timezone.get_current_timezone()
    # Records start in an org with its own first activity or its party groups' (a group meeting counts).
    records_start: dict[int, dt.date] = {}
    for org_id, first in first_activity.items():
        org = by_id.get(org_id)
        if org is None:
            continue
        day = first.astimezone(local).date()
        for target in (org, by_path.get(org.path[: -Org.steplen])):
            if target is not None and (target.id not in records_start or day < records_start[target.id]):
                records_start[target.id] = day
    out = []
    for person_id, name, code, org_id, admitted in members:
        org = by_id.get(org_id)
        start = records_start.get(org_id)
        if org is None or org.status != OrgStatus.ACTIVE or start is None:
            continue  # nothing recorded in this org yet: nothing to judge by
        last = last_present.get(person_id)
        anchors = [start] + [d for d in (admitted, last.astimezone(local).date() if last else None) if d]
        since = max(anchors)
        if today >= since + relativedelta(months=ABSENCE_MONTHS):
            status = Status.OVERDUE
        elif today >= since + relativedelta(months=ABSENCE_WARNING_MONTHS):
            status = Status.DUE_SOON
        else:
            continue
        detail = (
            _("Last present at organizational life on %(date)s.") % {"date": since.isoformat()}
            if last and since == last.astimezone(local).date()
            else _("No attendance recorded since %(date)s.") % {"date": since.isoformat()}
        )
        out.append(
            _finding(
                "absent_from_org_life",
                status,
                org,
                due=since + relativedelta(months=ABSENCE_MONTHS),
                anchor=since.isoformat(),
                detail=detail,
                subject="member",
                person=(person_id, name, str(code)),
            )
        )
    return out


def dues_arrears(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """Members with unpaid dues (dues.selectors.arrears, four queries): due soon from the warning
    (3 consecutive months, a setting), overdue at 6 consecutive months without a recorded reason.
    The deadline is the day the sixth month of the run has ended."""
    from xianfeng.dues import rules as dues_rules
    from xianfeng.dues.selectors import arrears

    by_id = {org.id: org for org in orgs}
    out = []
    for row in arrears(scope_orgs_or_user=scope.q, as_of=today):
        org = by_id.get(row.membership.org_id)
        if org is None or not (row.warning or row.finding):
            continue
        run_start = row.unpaid_months[-row.consecutive_unpaid]
        due = dues_rules.month_from_index(
            dues_rules.month_index(run_start) + dues_rules.SELF_DEPARTURE_MONTHS
        )
        detail = _("Dues unpaid since %(month)s: %(n)d months in a row, %(m)d without a recorded reason.") % {
            "month": f"{run_start:%Y-%m}",
            "n": row.consecutive_unpaid,
            "m": row.unexcused_consecutive,
        }
        person = row.membership.person
        out.append(
            _finding(
                "dues_arrears",
                Status.OVERDUE if row.finding else Status.DUE_SOON,
                org,
                due=due,
                anchor=run_start.isoformat(),
                detail=detail,
                subject="member",
                person=(person.pk, person.name, str(person.code)),
            )
        )
    return out


def development_limits(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """People in development past or near a time limit (development.findings, two queries)."""
    from xianfeng.development.findings import open_limits

    by_id = {org.id: org for org in orgs}
    out = []
    for limit in open_limits(scope.q, today):
        org = by_id.get(limit.membership.org_id)
        if org is None:
            continue
        person = limit.membership.person
        out.append(
            _finding(
                limit.rule,
                limit.status,
                org,
                due=limit.due,
                anchor=limit.anchor,
                detail=limit.detail,
                subject="member",
                person=(person.pk, person.name, str(person.code)),
            )
        )
    return out


def transfer_letters(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """Transfer letters out not received by the end of their validity (lifecycle, one query): overdue
    for the sending org, which stays responsible for the member until the letter is received."""
    from xianfeng.lifecycle.selectors import overdue_letters

    by_id = {org.id: org for org in orgs}
    out = []
    for letter in overdue_letters(scope.q, today):
        org = by_id.get(letter.org_id)
        if org is None:
            continue
        person = letter.membership.person
        detail = _("Letter %(number)s to %(to)s, valid until %(day)s.") % {
            "number": letter.number,
            "to": letter.counterpart_name,
            "day": letter.valid_until.isoformat(),
        }
        out.append(
            _finding(
                "transfer_letter_overdue",
                Status.OVERDUE,
                org,
                due=letter.valid_until,
                anchor=letter.number,
                detail=detail,
                subject="member",
                person=(person.pk, person.name, str(person.code)),
            )
        )
    return out


# Supervision findings are about work, not about the org's health: a subject of their own keeps them
# out of the health score's penalty for overdue org findings (selectors.score), while reminders and
# "due for me" treat them like any org-level finding (they go to the org's administrators).
SUPERVISION_SUBJECT = "supervision"


def _deadline_status(deadline: dt.date, today: dt.date) -> str:
    return Status.OVERDUE if today > deadline else Status.DUE_SOON


def _escalated(deadline: dt.date, today: dt.date) -> bool:
    from xianfeng.supervision import rules as supervision_rules

    return (today - deadline).days > supervision_rules.escalate_days()


def _deadline_findings(
    by_id: dict[int, OrgRow],
    today: dt.date,
    codes: tuple[str, str],
    *,
    owner_id: int,
    issuer_id: int,
    escalate: bool,
    deadline: dt.date,
    anchor: str,
    detail: str,
    who: tuple[int, str, str] | None = None,
) -> list[Finding]:
    """One supervised item: due soon or overdue at the org that owns it (codes[0]), and overdue at
    the issuing org once `escalate` holds (codes[1]); each only if that org is in the scope."""
    out = []
    owner = by_id.get(owner_id)
    if owner is not None:
        status = _deadline_status(deadline, today)
        out.append(
            _finding(
                codes[0],
                status,
                owner,
                due=deadline,
                anchor=anchor,
                detail=detail,
                subject=SUPERVISION_SUBJECT,
                person=who,
            )
        )
    issuer = by_id.get(issuer_id)
    if issuer is not None and escalate:
        out.append(
            _finding(
                codes[1],
                Status.OVERDUE,
                issuer,
                due=deadline,
                anchor=anchor,
                detail=detail,
                subject=SUPERVISION_SUBJECT,
                person=who,
            )
        )
    return out


def _person(person: Any) -> tuple[int, str, str] | None:
    return (person.pk, person.name, str(person.code)) if person else None


def supervision_tasks(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """Key tasks due soon or overdue (lead org), escalated to the issuing org once overdue. One query."""
    from xianfeng.supervision.selectors import deadline_items

    by_id = {org.id: org for org in orgs}
    out = []
    for item in deadline_items(scope.q, today):
        detail = _("%(list)s no. %(n)s: %(title)s (deadline %(day)s).") % {
            "list": item.task_list.title,
            "n": item.number,
            "title": item.title[:80],
            "day": item.deadline.isoformat(),
        }
        issuer_id = item.task_list.org.id
        out += _deadline_findings(
            by_id,
            today,
            ("key_task_deadline", "key_task_escalated"),
            owner_id=item.lead_org_id,
            issuer_id=issuer_id,
            escalate=issuer_id != item.lead_org_id and _escalated(item.deadline, today),
            deadline=item.deadline,
            anchor=str(item.code),
            detail=detail,
            who=_person(item.lead_person),
        )
    return out


def supervision_rectifications(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """Problems being rectified due soon or overdue (responsible org), escalated to the issuing org
    once overdue. One query."""
    from xianfeng.supervision.selectors import deadline_rectifications

    by_id = {org.id: org for org in orgs}
    out = []
    for item in deadline_rectifications(scope.q, today):
        detail = _("%(batch)s no. %(n)s: %(problem)s (deadline %(day)s).") % {
            "batch": item.batch.title,
            "n": item.number,
            "problem": item.problem[:80],
            "day": item.deadline.isoformat(),
        }
        issuer_id = item.batch.org.id
        out += _deadline_findings(
            by_id,
            today,
            ("rectification_deadline", "rectification_escalated"),
            owner_id=item.responsible_org_id,
            issuer_id=issuer_id,
            escalate=issuer_id != item.responsible_org_id and _escalated(item.deadline, today),
            deadline=item.deadline,
            anchor=str(item.code),
            detail=detail,
            who=_person(item.responsible_person),
        )
    return out


def supervision_orders(orgs: list[OrgRow], scope: Scope, today: dt.date) -> list[Finding]:
    """Unanswered work orders due soon or overdue (recipient org), and for the issuer once overdue
    (it escalates: reminder → notice → assessment). One query."""
    from xianfeng.supervision.selectors import deadline_orders

    by_id = {org.id: org for org in orgs}
    out = []
    for order in deadline_orders(scope.q, today):
        detail = _("Work order %(number)s (%(kind)s), response due %(day)s.") % {
            "number": order.number,
            "kind": order.get_kind_display(),
            "day": order.deadline.isoformat(),
        }
        out += _deadline_findings(
            by_id,
            today,
            ("work_order_response", "work_order_unanswered"),
            owner_id=order.recipient_org_id,
            issuer_id=order.issuer_org_id,
            escalate=today > order.deadline,
            deadline=order.deadline,
            anchor=str(order.code),
            detail=detail,
        )
    return out


def coded_findings(
    *, scope: Any, today: dt.date, members: bool = True, orgs: dict[int, OrgRow] | None = None
) -> list[Finding]:
    """Every coded rule over the scope. `members=False` leaves out the per-member rules (attendance,
    dues, development; the org-level rules alone are cheap enough for thousands of branches)."""
    scope = as_scope(scope)
    rows = list((orgs if orgs is not None else load_orgs(scope)).values())
    out = term_expiry(rows, today)
    out += vacancies(rows, scope, today)
    out += branch_size(rows, scope, today)
    if members:
        out += absent_members(rows, scope, today)
        out += dues_arrears(rows, scope, today)
        out += development_limits(rows, scope, today)
        out += transfer_letters(rows, scope, today)
    out += supervision_tasks(rows, scope, today)
    out += supervision_rectifications(rows, scope, today)
    out += supervision_orders(rows, scope, today)
    return out
