"""Demo data for this module, built through its services after the members and activities exist.

From the seeds: the committee's key-task list "落实全面从严治党主体责任、履行监督责任重点任务5类" (seed 001)
with items led by the branches, some with progress, one reported done, one closed, one overdue; an
inspection batch (巡察, seeds 000/002) with problems some verified, one waiting for verification, some
overdue, one 立行立改; a branch's self-check batch (seed 003); the three work orders 提示 → 通报 (seed
001) and one answered reminder; responsibility lists and pledges (seeds 000/002), one acknowledged;
the monthly theme "党支部标准化建设月" and a weekly summary and monthly plan (seed 001).
Deterministic and fast (a few dozen service calls).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Post
from xianfeng.people.models import PostHolding
from xianfeng.supervision import services
from xianfeng.supervision.models import OrderKind, PlanKind, ResponsibilityKind

if TYPE_CHECKING:
    from xianfeng.demo import DemoResult

CATEGORIES = ("政治建设", "思想建设", "组织建设", "作风建设", "党风廉政建设")
TASKS = (
    # category, task, lead key, days from issue to deadline, acceptance
    (
        "政治建设",
        "落实“第一议题”制度，支委会传达学习上级重要会议精神",
        "chengdong",
        340,
        "支委会记录、学习材料",
    ),
    ("思想建设", "开展“学党史、悟思想、办实事、开新局”专题学习不少于4次", "chengxi", 200, "学习记录4份"),
    ("组织建设", "规范“三会一课”记录，推进党支部标准化建设", "chengnan", 150, "标准化建设自评表"),
    ("组织建设", "完成党小组组长选配，理顺党小组人员结构", "peidian", 60, "党小组组长名单"),
    (
        "作风建设",
        "开展“作风建设提升年”活动，制定“五要五不要”作风承诺",
        "yingxiao",
        120,
        "作风承诺卡、活动记录",
    ),
    ("党风廉政建设", "支委会专题研究党风廉政建设工作2次", "chengdong", 90, "会议记录2份"),
    ("党风廉政建设", "组织低职实权岗位人员廉洁教育专题培训", "wuzi", 250, "培训签到表、课件"),
    ("党风廉政建设", "开展重大节假日前集体提醒谈话", "chengxi", 30, "谈话记录"),
)
PROBLEMS = (
    # category, problem, key, days after issue for the deadline, immediate
    ("organizational", "个别党支部“三会一课”记录不规范，会议记录要素不全", "chengdong", 60, False),
    ("discipline", "婚丧喜庆事宜报备不及时，存在事后补报情况", "chengxi", 45, False),
    ("conduct", "部分党员在服务投诉预控中先锋作用发挥不够", "chengnan", 75, False),
    ("organizational", "党费收缴公示不及时", "peidian", 40, False),
    ("integration", "党建工作与供电服务重点工作融合不够，“一支部一项目”未落地", "yingxiao", 200, False),
    ("discipline", "办公场所违规张贴宣传材料，须立即清理", "chengnan", 0, True),
    ("political", "“第一议题”学习后研讨交流不够深入，联系实际不够", "chengdong", 120, False),
)


def _orgs(result: DemoResult) -> dict[str, Org]:
    branches = [o for key, o in result.orgs.items() if o.org_type == OrgType.BRANCH]
    out = {
        key: result.orgs.get(key) or branches[i % len(branches)]
        for i, key in enumerate(("chengdong", "chengxi", "chengnan", "peidian", "yingxiao", "wuzi"))
    }
    return out


def build_demo(result: DemoResult, *, today: dt.date) -> None:
    users = get_user_model().objects
    boss = users.filter(username="dangwei").first()
    secretary = users.filter(username="zhibu").first()
    member = users.filter(username="dangyuan").select_related("person").first()
    if boss is None or secretary is None:
        return
    root = result.root
    orgs = _orgs(result)
    leads: dict[int, Any] = {
        h.org_id: h.person
        for h in PostHolding.objects.filter(
            org__in=list(orgs.values()), post=Post.SECRETARY, end_date__isnull=True
        ).select_related("person")
    }
    issued = today - dt.timedelta(days=100)
    _key_tasks(root, orgs, leads, boss, secretary, issued, today)
    _rectifications(root, orgs, leads, boss, secretary, member, today)
    _work_orders(root, orgs, boss, secretary, today)
    _responsibility(root, orgs, leads, boss, secretary, member, today)
    _plans(root, orgs, boss, secretary, today)


def _key_tasks(
    root: Org,
    orgs: dict[str, Org],
    leads: dict[int, Any],
    boss: Any,
    secretary: Any,
    issued: dt.date,
    today: dt.date,
) -> None:
    task_list = services.task_list_create(
        actor=boss,
        org=root,
        year=issued.year,
        title=f"{issued.year}年落实全面从严治党主体责任、履行监督责任重点任务清单",
        issued_on=issued,
        categories=CATEGORIES,
        note="事事有落实、件件有回音",
    )
    items = []
    for category, title, key, days, acceptance in TASKS:
        org = orgs[key]
        items.append(
            services.item_add(
                actor=boss,
                task_list=task_list,
                data=services.ItemIn(
                    title=title,
                    lead_org=org,
                    lead_person=leads.get(org.pk),
                    deadline=issued + dt.timedelta(days=days),
                    category=category,
                    acceptance=acceptance,
                    milestones=[
                        services.MilestoneIn(title="完成方案", due=issued + dt.timedelta(days=min(20, days)))
                    ],
                ),
            )
        )
    # Progress on most; the first chengdong item is reported done; the second is closed; one overdue untouched.
    for index, item in enumerate(items):
        if index == 7:
            continue  # the reminder talks before the holiday: overdue, nothing reported
        services.progress_report(
            actor=boss,
            item=item,
            text="已制定工作方案，按计划推进",
            percent=30 + 10 * (index % 4),
            on=issued + dt.timedelta(days=15 + index),
        )
    services.progress_report(
        actor=secretary,
        item=items[5],
        text="已召开2次专题支委会",
        percent=100,
        on=today - dt.timedelta(days=20),
    )
    services.item_report_done(
        actor=secretary,
        item=items[5],
        response="6月、9月两次支委会专题研究党风廉政建设，会议记录已上传",
        on=today - dt.timedelta(days=19),
    )
    services.item_close(
        actor=boss, item=items[5], note="材料齐全，同意销号", on=today - dt.timedelta(days=15)
    )
    services.item_report_done(
        actor=secretary,
        item=items[0],
        response="每次支委会第一议题学习上级会议精神，记录齐全",
        on=today - dt.timedelta(days=2),
    )


def _rectifications(
    root: Org,
    orgs: dict[str, Org],
    leads: dict[int, Any],
    boss: Any,
    secretary: Any,
    member: Any,
    today: dt.date,
) -> None:
    issued = today - dt.timedelta(days=90)
    batch = services.batch_create(
        actor=boss,
        org=root,
        source="inspection",
        title=f"{issued.year}年公司党委第一巡察组巡察反馈问题",
        issued_on=issued,
    )
    rows = []
    for category, problem, key, days, immediate in PROBLEMS:
        org = orgs[key]
        rows.append(
            services.rectification_add(
                actor=boss,
                batch=batch,
                problem=problem,
                category=category,
                responsible_org=org,
                responsible_person=leads.get(org.pk),
                measures="制定整改方案，明确责任人和完成时限" if not immediate else "",
                deadline=None if immediate else issued + dt.timedelta(days=days),
                immediate=immediate,
            )
        )
    # Two verified (submitted by the branch, verified by the committee), one waiting for verification.
    for row, day in ((rows[0], 30), (rows[3], 35)):
        services.rectification_submit(
            actor=secretary if row.responsible_org == orgs["chengdong"] else boss,
            item=row,
            evidence="已整改，佐证材料：整改报告、会议记录",
            on=issued + dt.timedelta(days=day),
        )
    services.rectification_verify(
        actor=boss,
        item=rows[0],
        accept=True,
        note="经查验，整改到位，同意销号",
        on=issued + dt.timedelta(days=33),
    )
    admin = get_user_model().objects.filter(username="admin").first()
    services.rectification_verify(
        actor=admin, item=rows[3], accept=True, note="已按月公示，同意销号", on=issued + dt.timedelta(days=38)
    )
    services.rectification_submit(
        actor=boss,
        item=rows[5],
        evidence="已当日清理完毕，附整改前后照片说明",
        on=issued + dt.timedelta(days=1),
    )
    # rows[1] and rows[2] are overdue; rows[4] is still within its deadline.
    own = orgs["chengdong"]
    self_check = services.batch_create(
        actor=secretary,
        org=own,
        source="self_check",
        title="作风建设提升年自查问题清单",
        issued_on=today - dt.timedelta(days=30),
    )
    for category, problem in (
        ("ideological", "学习意识仍需加强，存在“重业务、轻理论”的情况"),
        ("conduct", "有“等靠”思想，贯彻上级部署照搬照抄"),
    ):
        services.rectification_add(
            actor=secretary,
            batch=self_check,
            problem=problem,
            category=category,
            responsible_org=own,
            responsible_person=member.person if member and hasattr(member, "person") else None,
            measures="依托读书会开展“三学习三增强”活动",
            deadline=today + dt.timedelta(days=60),
        )


def _work_orders(root: Org, orgs: dict[str, Org], boss: Any, secretary: Any, today: dt.date) -> None:
    answered = services.order_issue(
        actor=boss,
        issuer_org=root,
        recipient_org=orgs["chengdong"],
        kind=OrderKind.REMINDER,
        reason="本月上稿数量未达标准",
        deadline=today - dt.timedelta(days=40),
        issued_on=today - dt.timedelta(days=50),
    )
    services.order_respond(
        actor=secretary,
        order=answered,
        response="已补报新闻线索3条，2篇已刊发",
        on=today - dt.timedelta(days=42),
    )
    reminder = services.order_issue(
        actor=boss,
        issuer_org=root,
        recipient_org=orgs["chengnan"],
        kind=OrderKind.REMINDER,
        reason="巡察反馈问题整改逾期未报送佐证材料",
        deadline=today - dt.timedelta(days=25),
        issued_on=today - dt.timedelta(days=35),
    )
    notice = services.order_escalate(
        actor=boss,
        order=reminder,
        reason="提示工单逾期未反馈，予以通报",
        deadline=today - dt.timedelta(days=5),
        on=today - dt.timedelta(days=24),
    )
    services.order_escalate(
        actor=boss,
        order=notice,
        reason="通报后仍未完成整改，纳入党支部考核",
        deadline=today + dt.timedelta(days=10),
        on=today - dt.timedelta(days=4),
    )
    services.order_issue(
        actor=boss,
        issuer_org=root,
        recipient_org=orgs["chengxi"],
        kind=OrderKind.REMINDER,
        reason="节前集体提醒谈话尚未开展",
        deadline=today + dt.timedelta(days=5),
        issued_on=today,
    )
    services.order_issue(
        actor=boss,
        issuer_org=root,
        recipient_org=orgs["chengdong"],
        kind=OrderKind.REMINDER,
        reason="党支部标准化建设自评表尚未报送",
        deadline=today + dt.timedelta(days=7),
        issued_on=today,
    )


def _responsibility(
    root: Org,
    orgs: dict[str, Org],
    leads: dict[int, Any],
    boss: Any,
    secretary: Any,
    member: Any,
    today: dt.date,
) -> None:
    services.responsibility_list_create(
        actor=boss,
        org=root,
        year=today.year,
        kind=ResponsibilityKind.PRINCIPAL,
        post=Post.SECRETARY,
        content="履行全面从严治党第一责任人职责\n每年至少主持召开2次党委会专题研究党风廉政建设\n"
        "每年至少讲1次廉政党课\n督促班子成员落实“一岗双责”",
    )
    services.responsibility_list_create(
        actor=boss,
        org=root,
        year=today.year,
        kind=ResponsibilityKind.SUPERVISORY,
        post=Post.DISCIPLINE_MEMBER,
        content="协助党委落实全面从严治党主体责任\n开展重点领域监督检查\n对苗头性、倾向性问题及时提醒谈话",
    )
    own = orgs["chengdong"]
    for key in ("chengdong", "chengxi", "chengnan"):
        person = leads.get(orgs[key].pk)
        if person is None:
            continue
        pledge = services.pledge_issue(
            actor=boss,
            org=root,
            year=today.year,
            title=f"{today.year}年全面从严治党责任书",
            signer=person,
            content="严格落实党建工作责任制和“一岗双责”，抓好本支部党风廉政建设，按期完成重点任务和巡察整改。",
        )
        if orgs[key] == own and person.user_id == secretary.pk:
            services.pledge_acknowledge(actor=secretary, pledge=pledge)
    if member is not None and getattr(member, "person", None) is not None:
        services.pledge_issue(
            actor=secretary,
            org=own,
            year=today.year,
            title=f"{today.year}年党员廉洁从业承诺书",
            signer=member.person,
            content="遵守“五要五不要”作风承诺，廉洁从业，不靠企吃企。",
        )


def _plans(root: Org, orgs: dict[str, Org], boss: Any, secretary: Any, today: dt.date) -> None:
    month = today.replace(day=1)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    services.theme_set(
        actor=boss,
        org=root,
        month=previous,
        theme="党小组建设月",
        measures="各党小组完成组长选配\n党小组会每月至少1次",
    )
    services.theme_set(
        actor=boss,
        org=root,
        month=month,
        theme="党支部标准化建设月",
        measures="对照“五个基本”自查\n规范“三会一课”记录\n月底前报送自评表",
    )
    own = orgs["chengdong"]
    services.plan_save(
        actor=secretary,
        org=own,
        kind=PlanKind.MONTHLY_PLAN,
        period=month,
        content="1. 召开支委会，研究标准化建设自查\n2. 组织主题党日活动\n3. 报送巡察整改佐证材料",
    )
    services.plan_save(
        actor=secretary,
        org=own,
        kind=PlanKind.WEEKLY_SUMMARY,
        period=today - dt.timedelta(days=7),
        content="完成“三会一课”记录自查，补齐会议要素2处；开展安全用电宣传1次。",
    )
