"""Organizational life of the demo committee: about twelve months of meetings up to `today`.

Runs after the committee, its people and posts are built (xianfeng.demo.build_demo). Every activity,
agenda item, decision, leave, absence, guest, contact point and the demo's small enterprise profile
is written through the services (activities.services, compliance.services) with `actor=None`, so it
is validated and audited as the system. One step is written in bulk: marking the ordinary attendees of
a held meeting present. Through `attendance_set` that is about 9,000 calls at 4 ms each, more than the
whole demo may take; `_mark_present` writes the same rows and the same audit events
(`attendance.set`, before "expected", after "present") in two queries per meeting. The people it
marks are the rows the service itself created from the kind's audience on the meeting's date, so they
are eligible by construction.

What it builds (dates relative to `today`, a seeded random generator, so every run is the same):
- each branch: a monthly 主题党日 (with volunteer metrics on service days) and 支委会 (第一议题 first),
  a quarterly 支部党员大会 and 党课 (the branch secretary lectures once a year; the committee
  secretary lectures at his contact point), 换届选举 and 发展党员 meetings on the days they happened,
  a yearly 组织生活会 and 民主评议党员 in the fourth quarter, a few volunteer services and talks;
- each party group: a monthly 党小组会 hosted by its leader;
- the committee: a monthly 党委会 (三重一大 items with prior study), a quarterly 中心组学习 and a
  yearly 民主生活会; the general branches a quarterly committee meeting;
- two contact points (党委书记 → 城东供电所, 总经理 → 输电运检) with visits, and an enterprise profile
  that counts them;
- deliberate gaps: 城西供电所 skips two 主题党日, 物资供应 skips a 支委会, a 党小组会 and last
  quarter's 党课, one member of 营销服务中心 has attended nothing for seven months (自行脱党 risk);
  the current month is partly done (meetings planned for the coming days). 城东供电所 (the `zhibu`
  account) is green but for one item due soon, and has a 主题党日 planned in the next days (`dangyuan`).
Then the reminders run (compliance.notify.remind, no e-mail, no webhook) and a summary line is printed.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.utils import timezone

from xianfeng.activities import services as activity_services
from xianfeng.activities.choices import AttendanceStatus, MajorMatter, TopicTag
from xianfeng.activities.models import Activity, ActivityKind, Attendance
from xianfeng.compliance import engine
from xianfeng.compliance import services as compliance_services
from xianfeng.compliance.notify import remind
from xianfeng.compliance.periods import PeriodKind
from xianfeng.orgs.models import Org
from xianfeng.people.choices import MembershipEventKind, PoliticalStatus, Post
from xianfeng.people.models import Membership, MembershipEvent, Person, PostHolding
from xianfeng.people.selectors import memberships_on

if TYPE_CHECKING:
    from xianfeng.demo import DemoResult

T = TopicTag
M = MajorMatter
PRESENT, LEAVE, ABSENT, GUEST = (
    AttendanceStatus.PRESENT,
    AttendanceStatus.LEAVE,
    AttendanceStatus.ABSENT,
    AttendanceStatus.GUEST,
)
STUDY_HOURS = {
    "theme_day": Decimal("3.0"),
    "party_lecture": Decimal("2.0"),
    "central_group_study": Decimal("3.0"),
}
COMMITTEE_MEMBER_POSTS = (
    Post.DEPUTY_SECRETARY,
    Post.ORGANIZATION_MEMBER,
    Post.PUBLICITY_MEMBER,
    Post.DISCIPLINE_MEMBER,
    Post.YOUTH_MEMBER,
    Post.COMMITTEE_MEMBER,
)
WORK_LEAVE = ("出差", "病假", "值班", "事假", "抢修任务", "外出培训", "倒班休息", "保电任务", "年休假")
RETIRED_LEAVE = ("身体原因", "异地居住", "住院治疗", "照顾家人")
LEADER_LEAVE = ("出差", "参加上级会议", "外出学习")

# --- Places -----------------------------------------------------------------------------------------
PLACES = {
    "root": "公司本部十二楼第一会议室",
    "yunjian": "运维检修部会议室",
    "yingxiao_z": "营销部会议室",
    "jiguan1": "公司本部三楼党员活动室",
    "jiguan2": "公司本部五楼会议室",
    "tiaokong": "调控中心二楼会议室",
    "biandian": "变电运维中心党员活动室",
    "shudian": "输电运检中心会议室",
    "peidian": "配电运检中心党员活动室",
    "yingxiao": "营销服务中心党员之家",
    "chengdong": "城东供电所党员活动室",
    "chengxi": "城西供电所党员活动室",
    "chengnan": "城南供电所会议室",
    "wuzi": "物资供应中心会议室",
    "xintong": "信息通信分公司会议室",
    "lituixiu": "离退休职工活动中心",
}
OUTSIDE = ("临江革命纪念馆", "临江市红色教育基地", "城东社区党群服务中心", "江滨社区", "柳湾村党群服务中心")

# --- Titles and topics ------------------------------------------------------------------------------
# 主题党日 by month: (theme, a service day recording people served and problems solved).
THEMES: dict[int, tuple[tuple[str, bool], ...]] = {
    1: (("新春走访慰问老党员和困难党员", True), ("“迎新春 保供电”党员先锋行动", True),
        ("学习贯彻中央经济工作会议精神", False)),
    2: (("“春节保电”党员示范岗", False), ("学习贯彻全国能源工作会议精神", False),
        ("元宵节安全用电进社区", True)),
    3: (("学雷锋志愿服务：电靓万家", True), ("学习贯彻全国两会精神", False),
        ("“三八”巾帼建功 党员先行", False)),
    4: (("清明祭英烈 传承红色基因", False), ("春检预试 党员攻坚", False),
        ("学习《中国共产党纪律处分条例》", False)),
    5: (("“五四”青春心向党 建功新时代", False), ("学习贯彻党的二十大精神", False),
        ("“电靓红色基地”志愿服务", True)),
    6: (("“安全生产月”：安全生产我来说", False), ("“安全生产月”反违章警示教育", False),
        ("学习习近平总书记关于安全生产的重要论述", False)),
    7: (("庆祝建党{n}周年 重温入党誓词", False), ("“七一”党性教育：参观临江革命纪念馆", False),
        ("迎峰度夏 党员服务队在行动", True)),
    8: (("迎峰度夏保供电 党员服务进社区", True), ("“电靓红色基地”志愿服务", True), ("廉洁文化进班组", False)),
    9: (("“电靓红色基地”：红色教育基地用电安全检查", True), ("学习贯彻党的二十大精神", False),
        ("秋检保供 党员带头", False)),
    10: (("国庆保电 党员示范岗", False), ("“我为群众办实事”走访重点客户", True),
         ("学习《中国共产党章程》", False)),
    11: (("学习贯彻党的二十大精神", False), ("“11·9”消防安全进社区", True), ("党风廉政警示教育", False)),
    12: (("“12·4”国家宪法日：学习宣传宪法", False), ("冬季保供电 党员服务进社区", True),
         ("年终冲刺 党员争先", False)),
}  # fmt: skip
RETIRED_THEMES = (
    ("老党员讲传统", False), ("重温入党誓词", False), ("学习贯彻党的二十大精神", False),
    ("观看红色电影《柳堡的故事》", False), ("健康知识讲座", False), ("参观临江城市规划馆", False),
)  # fmt: skip
FIRST_ITEMS = (
    "学习习近平总书记关于安全生产的重要论述",
    "学习习近平总书记关于能源电力的重要讲话精神",
    "学习习近平总书记关于党的建设的重要思想",
    "学习习近平总书记关于全面从严治党的重要论述",
    "学习习近平总书记关于“我为群众办实事”的重要论述",
    "学习《习近平新时代中国特色社会主义思想专题摘编》有关篇目",
    "学习习近平总书记关于新型能源体系建设的重要论述",
    "学习《中国共产党纪律处分条例》",
)
# 支委会 items: (topic, tags, decision or "" — {owner} is filled in).
COMMITTEE_ITEMS: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("研究本月主题党日活动方案", (T.ORGANIZATION,), "按方案组织本月主题党日，由{owner}负责活动组织和记录"),
    ("分析党员思想动态，安排谈心谈话", (T.ORGANIZATION,), "{owner}负责与思想有波动的党员开展谈心谈话"),
    ("研究入党积极分子培养考察情况", (T.DEVELOPMENT,), "{owner}负责落实培养联系人，按季度报送考察情况"),
    ("核对本季度党费收缴情况", (T.ORGANIZATION,), "{owner}负责核对党费收缴台账并提醒补缴"),
    ("部署安全生产重点工作", (T.SAFETY, T.BUSINESS), "{owner}牵头开展党员身边无违章专项检查"),
    ("研究“党员责任区”“党员示范岗”设置", (T.ORGANIZATION, T.BUSINESS), ""),
    ("研究优质服务提升和投诉预控措施", (T.SERVICE, T.BUSINESS), "{owner}负责梳理近期客户诉求并逐项回访"),
    ("研究廉洁风险点排查工作", (T.INTEGRITY,), "{owner}牵头完成岗位廉洁风险点排查，形成清单"),
    ("研究支持工会、共青团开展工作", (T.MASS_ORGANIZATIONS,), ""),
    ("研究支部党建品牌创建工作", (T.CULTURE,), ""),
)
GENERAL_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("传达学习上级党委有关会议精神", (T.IDEOLOGY,)),
    ("通报支部上季度工作和本季度工作安排", (T.ORGANIZATION,)),
    ("通报党费收缴情况", (T.ORGANIZATION,)),
    ("通报党员发展工作情况", (T.DEVELOPMENT,)),
)
GROUP_ITEMS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("学习支部本月学习篇目", (T.IDEOLOGY,)),
    ("交流本月安全生产和工作情况", (T.SAFETY,)),
    ("开展党员积分评议", (T.ORGANIZATION,)),
    ("讨论落实支部本月工作安排", (T.ORGANIZATION,)),
    ("学习身边先进典型事迹", (T.CULTURE,)),
    ("讨论优质服务和客户诉求处理", (T.SERVICE,)),
)
LECTURE_TOPICS = (
    "牢记初心使命，争做新时代合格党员",
    "学习党的二十大精神，奋进新征程",
    "从党史中汲取奋进力量",
    "弘扬电力精神，当好电力先行官",
    "严守纪律规矩，筑牢廉洁防线",
    "安全生产，党员先行",
    "以高质量党建引领供电服务提升",
    "践行“人民电业为人民”企业宗旨",
    "深刻领悟“两个确立”的决定性意义",
    "学好用好《中国共产党纪律处分条例》",
)
LEADER_LECTURES = ("以高质量党建引领公司高质量发展", "坚定理想信念，勇担电力保供使命")
# 党委会 items: (topic, tags, 三重一大 kind or "", prior study, decision or "").
BOARD_ITEMS: tuple[tuple[str, tuple[str, ...], str, bool, str], ...] = (
    ("研究审议公司年度综合计划和预算安排", (T.BUSINESS,), M.DECISION, True, "同意提交董事会审议，由{owner}负责落实"),
    ("研究中层管理人员调整事项", (T.ORGANIZATION,), M.APPOINTMENT, True, "同意调整方案，由{owner}按程序办理"),
    ("研究城东110千伏变电站配套工程项目", (T.BUSINESS,), M.PROJECT, True, "同意项目实施，由{owner}负责推进"),
    ("研究迎峰度夏（冬）专项资金使用安排", (T.BUSINESS, T.SAFETY), M.FUND, True, "同意资金安排，由{owner}负责监督使用"),
    ("研究公司深化改革实施方案", (T.BUSINESS,), M.DECISION, True, ""),
    ("听取安全生产工作情况汇报", (T.SAFETY,), "", False, "{owner}牵头开展安全生产专项督查"),
    ("研究党风廉政建设和反腐败工作", (T.INTEGRITY,), "", False, "{owner}负责制定年度监督检查计划"),
    ("研究基层党支部标准化规范化建设工作", (T.ORGANIZATION,), "", False, ""),
    ("研究工会、共青团和统战工作", (T.MASS_ORGANIZATIONS, T.UNITED_FRONT), "", False, ""),
    ("研究意识形态和企业文化建设工作", (T.IDEOLOGY, T.CULTURE), "", False, ""),
    ("研究优化电力营商环境工作", (T.SERVICE, T.BUSINESS), "", False, ""),
)  # fmt: skip
STUDY_TOPICS = (
    ("深入学习习近平新时代中国特色社会主义思想", (T.IDEOLOGY,)),
    ("学习贯彻党的二十大精神", (T.IDEOLOGY,)),
    ("学习习近平总书记关于能源安全新战略的重要论述", (T.IDEOLOGY, T.BUSINESS)),
    ("学习《中国共产党纪律处分条例》", (T.INTEGRITY,)),
    ("学习习近平总书记关于安全生产的重要论述", (T.IDEOLOGY, T.SAFETY)),
    ("学习习近平文化思想", (T.IDEOLOGY, T.CULTURE)),
)
VOLUNTEER_THEMES = (
    "共产党员服务队“电靓红色基地”志愿服务",
    "安全用电进社区志愿服务",
    "“三进”（进社区、进企业、进农户）志愿服务",
    "迎峰度夏上门服务重点客户",
    "关爱留守老人 义务检修线路",
)


@dataclass
class ActivitySummary:
    activities: int = 0
    held: int = 0
    planned: int = 0
    attendance: int = 0
    findings: Counter[str] = field(default_factory=Counter)
    notifications: int = 0

    def line(self) -> str:
        f = self.findings
        return (
            f"Organizational life: {self.activities} activities ({self.held} held, {self.planned} planned), "
            f"{self.attendance} attendance rows; findings over the last 12 months: {f['met']} met, "
            f"{f['missed']} missed, {f['overdue']} overdue, {f['due_soon']} due soon; "
            f"{self.notifications} notifications."
        )


@dataclass
class Unit:
    """A branch (or general branch, or the committee) with the people its meetings need."""

    key: str
    org: Org
    groups: list[Org]
    secretary: Person
    committee: list[Person]  # members of the committee besides the secretary, by post
    term_start: dt.date | None
    retired: bool = False


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def quarter_of(day: dt.date) -> int:
    return (day.month - 1) // 3 + 1


class _Life:
    def __init__(self, result: DemoResult, today: dt.date) -> None:
        from xianfeng.demo import SEED  # demo imports this module

        self.today = today
        self.rng = random.Random(SEED + 1)
        self.orgs = result.orgs
        self.group_orgs = result.groups
        self.first = today.replace(day=1) - relativedelta(months=11)
        self.months = [self.first + relativedelta(months=i) for i in range(12)]
        self.kinds = {kind.code: kind for kind in ActivityKind.objects.all()}
        self.summary = ActivitySummary()
        holdings = list(PostHolding.objects.select_related("person").order_by("start_date", "pk"))
        self.holdings: dict[int, list[PostHolding]] = defaultdict(list)
        for holding in holdings:
            self.holdings[holding.org_id].append(holding)
        users = {u.username: u for u in get_user_model().objects.filter(username__in=("dangwei", "dangyuan"))}
        self.staff = Person.objects.get(user=users["dangwei"])  # 党委党建部主任: records the 党委会
        self.dangyuan = Person.objects.get(user=users["dangyuan"])
        self.members: dict[int, list[Membership]] = defaultdict(list)
        for membership in (
            Membership.objects.filter(left_date__isnull=True).select_related("person").order_by("pk")
        ):
            self.members[membership.org_id].append(membership)
        moved = set(
            MembershipEvent.objects.filter(
                kind=MembershipEventKind.TRANSFER, date__gte=self.first
            ).values_list("membership_id", flat=True)
        )
        self.settled = {m.pk for ms in self.members.values() for m in ms if m.pk not in moved}
        self.forced: dict[int, tuple[dt.date, str, str]] = {}  # person → (from, status, reason)
        self.reserved: set[int] = set()  # people kept out of talks, volunteering and lecturing
        root = self.orgs["root"]
        self.c_secretary = self.current(root, Post.SECRETARY)[0]
        deputies = self.current(root, Post.DEPUTY_SECRETARY)
        self.c_deputy = deputies[0]

    # -- people ------------------------------------------------------------------------------------
    def current(self, org: Org, post: str) -> list[Person]:
        return [h.person for h in self.holdings[org.pk] if h.post == post and h.end_date is None]

    def holder_on(self, org: Org, post: str, day: dt.date) -> Person | None:
        found = [
            h.person
            for h in self.holdings[org.pk]
            if h.post == post and h.start_date <= day and (h.end_date is None or h.end_date > day)
        ]
        return found[-1] if found else None

    def unit(self, key: str, *, retired: bool = False) -> Unit:
        org = self.orgs[key]
        secretary = self.current(org, Post.SECRETARY)[0]
        committee: list[Person] = []
        for post in COMMITTEE_MEMBER_POSTS:
            for h in self.holdings[org.pk]:
                if h.post == post and h.end_date is None and h.person not in (secretary, *committee):
                    committee.append(h.person)
        return Unit(key, org, self.group_orgs.get(key, []), secretary, committee, org.term_start, retired)

    def ordinary(self, unit: Unit, *, exclude: Iterable[int] = ()) -> list[Person]:
        """Current full members of the branch without posts, in the branch since before the window."""
        posted = {h.person_id for hs in self.holdings.values() for h in hs if h.end_date is None}
        skip = set(exclude) | posted | self.reserved
        return [
            m.person
            for m in self.members[unit.org.pk]
            if m.status == PoliticalStatus.FULL
            and m.pk in self.settled
            and m.person_id not in skip
            and m.conversion_date is not None
            and m.conversion_date < self.first
        ]

    # -- dates -------------------------------------------------------------------------------------
    def weekday(self, lo: dt.date, hi: dt.date) -> dt.date:
        """A random working day in [lo, hi] (lo's nearest working day if there is none)."""
        days = [lo + dt.timedelta(days=i) for i in range((hi - lo).days + 1)]
        working = [d for d in days if d.weekday() < 5]
        if working:
            return self.rng.choice(working)
        day = lo
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        return day

    def in_month(self, month: dt.date, lo: int, hi: int) -> dt.date:
        last = (month + relativedelta(months=1) - dt.timedelta(days=1)).day
        return self.weekday(month.replace(day=min(lo, last)), month.replace(day=min(hi, last)))

    def due(self, day: dt.date) -> bool:
        """Whether a meeting on `day` is recorded: held before today, planned up to three weeks ahead."""
        return day < self.today + dt.timedelta(days=21)

    # -- writing one activity ----------------------------------------------------------------------
    def meeting(
        self,
        org: Org,
        code: str,
        day: dt.date,
        *,
        title: str,
        hour: int = 9,
        minute: int = 0,
        length: int = 2,
        place: str = "",
        host: Person | None = None,
        recorder: Person | None = None,
        lecturer: Person | None = None,
        participants: Sequence[Person] = (),
        guests: Sequence[Person] = (),
        agenda: Sequence[tuple[str, Sequence[str], bool, str, bool]] = (),
        decisions: Sequence[tuple[str, Person | None, dt.date | None]] = (),
        metrics: dict[str, int] | None = None,
        summary: str = "",
        leave_rate: float = 0.03,
        leave_reasons: Sequence[str] = WORK_LEAVE,
        attendees: Sequence[Person] = (),
        hours: Decimal | None = None,
    ) -> Activity:
        """Plan an activity and, if its day has passed, record it as held with attendance, minutes and
        metrics. `agenda` rows are (topic, tags, first item, 三重一大 kind, prior study)."""
        kind = self.kinds[code]
        start = at(day, hour, minute)
        end = start + dt.timedelta(hours=length)
        activity = activity_services.activity_plan(
            actor=None,
            org=org,
            kind=kind,
            planned_start=start,
            planned_end=end,
            title=title,
            place=place,
            host=host,
            recorder=recorder,
            lecturer=lecturer,
            participants=participants,
        )
        self.summary.activities += 1
        for topic, tags, first, major, prior in agenda:
            activity_services.agenda_item_add(
                actor=None,
                activity=activity,
                topic=topic,
                tags=tags,
                first_item=first,
                major_matter=major,
                prior_study=prior,
            )
        held = day < self.today
        rows = list(
            Attendance.objects.filter(activity=activity).select_related("person").order_by("person_id")
        )
        for person in attendees:  # attended though not expected (a committee before it was recorded)
            if all(row.person_id != person.pk for row in rows):
                rows.append(
                    activity_services.attendance_set(
                        actor=None, activity=activity, person=person, status=AttendanceStatus.EXPECTED
                    )
                )
        if not held:
            self.summary.planned += 1
            self.summary.attendance += len(rows)
            if rows and self.rng.random() < 0.3:  # a leave asked for in advance
                row = self.rng.choice(rows)
                if row.person_id not in self.forced and row.person_id != self.dangyuan.pk:
                    activity_services.attendance_set(
                        actor=None,
                        activity=activity,
                        person=row.person,
                        status=LEAVE,
                        reason=self.rng.choice(leave_reasons),
                    )
            return activity
        leave: list[tuple[str, str]] = []
        absent: list[str] = []
        ordinary: list[Attendance] = []
        for row in rows:
            status: str = PRESENT
            reason = ""
            forced = self.forced.get(row.person_id)
            roll = self.rng.random()
            if forced is not None and day >= forced[0]:
                status, reason = forced[1], forced[2]
            elif kind.is_talk or row.person_id in {getattr(p, "pk", None) for p in (host, lecturer)}:
                status = PRESENT
            elif roll < leave_rate:
                status, reason = LEAVE, self.rng.choice(leave_reasons)
            elif roll < leave_rate + 0.004:
                status = ABSENT
            if status == PRESENT:
                ordinary.append(row)
                continue
            activity_services.attendance_set(
                actor=None, activity=activity, person=row.person, status=status, reason=reason
            )
            if status == LEAVE:
                leave.append((row.person.name, reason))
            else:
                absent.append(row.person.name)
        if not kind.is_talk:  # everyone not on leave or absent: still "expected", now present
            activity_services.attendance_mark_present(
                actor=None, activity=activity, hours=hours if hours is not None else STUDY_HOURS.get(code)
            )
        for guest in guests:
            activity_services.attendance_set(actor=None, activity=activity, person=guest, status=GUEST)
        self.summary.attendance += len(rows) + len(guests)
        minutes = self.minutes(kind, host, len(rows), len(ordinary), leave, absent, guests, summary)
        activity_services.activity_record_held(
            actor=None,
            activity=activity,
            held_start=start,
            held_end=end,
            host=host,
            recorder=recorder,
            lecturer=lecturer,
            minutes=minutes,
            metrics=metrics,
            place=place,
        )
        for text, owner, deadline in decisions:
            activity_services.decision_add(
                actor=None, activity=activity, text=text, owner=owner, deadline=deadline
            )
        self.summary.held += 1
        return activity

    def minutes(
        self,
        kind: ActivityKind,
        host: Person | None,
        expected: int,
        present: int,
        leave: list[tuple[str, str]],
        absent: list[str],
        guests: Sequence[Person],
        summary: str,
    ) -> str:
        parts = []
        if host is not None:
            parts.append(f"{kind.name}由{host.name}同志主持。")
        if expected and not kind.is_talk:
            line = f"应到{expected}人，实到{present}人"
            if leave:
                line += "，请假" + "、".join(f"{name}（{reason}）" for name, reason in leave)
            if absent:
                line += "，缺席" + "、".join(absent)
            if guests:
                line += "，列席" + "、".join(g.name for g in guests)
            parts.append(line + "。")
        if summary:
            parts.append(summary)
        return "".join(parts)

    # -- branches ----------------------------------------------------------------------------------
    def branch_year(self, unit: Unit) -> None:
        key = unit.key
        rng = self.rng
        place = PLACES[key]
        theme_day = rng.randint(10, 24)
        committee_day = rng.randint(2, 7)
        recorder = unit.committee[1] if len(unit.committee) > 1 else unit.secretary
        for index, month in enumerate(self.months):
            if month > self.today:
                break
            # 支委会
            if not (key == "wuzi" and index == 9):
                day = self.in_month(month, committee_day, committee_day + 3)
                if self.due(day):
                    self.committee_meeting(unit, day, recorder)
            # 主题党日
            if not (key == "chengxi" and index in (7, 10)):
                day = self.in_month(month, theme_day, theme_day + 4)
                if key == "chengdong" and month == self.months[-1]:  # planned for the next days
                    if self.soon().month == month.month:
                        day = self.soon()
                    elif day >= self.today:  # today is the month's last day: held earlier
                        day = self.in_month(month, 1, max(1, self.today.day - 1))
                if self.due(day):
                    self.theme_day(unit, day, place)
            # 党小组会
            for number, group in enumerate(unit.groups):
                if key == "wuzi" and index == 8:
                    continue
                day = self.in_month(month, 12 + 3 * number, 22 + 2 * number)
                if self.due(day):
                    self.group_meeting(unit, group, day)
        if key == "chengdong" and self.soon().month != self.today.month:  # next month's, in the next days
            self.theme_day(unit, self.soon(), place)
        self.quarterly(unit, place)
        self.yearly(unit, place)

    def soon(self) -> dt.date:
        """The day of the meeting planned for `dangyuan`: tomorrow, or today on a Sunday (this week)."""
        return self.today if self.today.weekday() == 6 else self.today + dt.timedelta(days=1)

    def committee_meeting(self, unit: Unit, day: dt.date, recorder: Person) -> None:
        rng = self.rng
        items = rng.sample(COMMITTEE_ITEMS, rng.choice((1, 2)))
        agenda: list[tuple[str, Sequence[str], bool, str, bool]] = [
            (rng.choice(FIRST_ITEMS), (T.IDEOLOGY,), True, "", False)
        ]
        agenda += [(topic, tags, False, "", False) for topic, tags, _decision in items]
        decisions = []
        for _topic, _tags, decision in items:
            if decision and rng.random() < 0.35 and unit.committee:
                owner = rng.choice(unit.committee)
                deadline = day + dt.timedelta(days=rng.randint(7, 30))
                decisions.append((decision.format(owner=owner.name), owner, deadline))
        before_term = unit.term_start is not None and day < unit.term_start
        self.meeting(
            unit.org,
            "committee_meeting",
            day,
            title=f"{day.month}月支部委员会会议",
            hour=rng.choice((8, 16)),
            minute=30,
            length=1,
            place=PLACES[unit.key],
            host=self.holder_on(unit.org, Post.SECRETARY, day) or unit.secretary,
            recorder=recorder,
            agenda=agenda,
            decisions=decisions,
            summary="会议首先学习第一议题，随后逐项研究议题，形成一致意见。",
            leave_rate=0.04,
            attendees=[unit.secretary, *unit.committee] if before_term else (),
        )

    def theme_day(self, unit: Unit, day: dt.date, place: str) -> None:
        rng = self.rng
        theme, service = rng.choice(RETIRED_THEMES if unit.retired else THEMES[day.month])
        theme = theme.format(n=day.year - 1921)
        metrics = None
        where = place
        if service:
            where = rng.choice(OUTSIDE)
        if service and day < self.today:
            metrics = {
                "people_served": rng.randint(20, 260),
                "problems_solved": rng.randint(2, 25),
                "volunteers": rng.randint(6, 18),
            }
        self.meeting(
            unit.org,
            "theme_day",
            day,
            title=f"{day.month}月主题党日：{theme}",
            hour=rng.choice((9, 14)),
            minute=rng.choice((0, 30)),
            length=3,
            place=where,
            host=self.holder_on(unit.org, Post.SECRETARY, day) or unit.secretary,
            recorder=unit.committee[0] if unit.committee else None,
            metrics=metrics,
            summary=f"围绕“{theme}”开展主题党日活动，党员交流心得体会。",
            leave_rate=0.07 if unit.retired else 0.04,
            leave_reasons=RETIRED_LEAVE if unit.retired else WORK_LEAVE,
        )

    def group_meeting(self, unit: Unit, group: Org, day: dt.date) -> None:
        rng = self.rng
        topic, tags = rng.choice(GROUP_ITEMS)
        leader = self.holder_on(group, Post.GROUP_LEADER, day) or self.current(group, Post.GROUP_LEADER)[0]
        self.meeting(
            group,
            "group_meeting",
            day,
            title=f"{day.month}月党小组会：{topic}",
            hour=rng.choice((12, 16)),
            minute=30,
            length=1,
            place=PLACES[unit.key] if rng.random() < 0.5 else f"{group.short_name or group.name}学习室",
            host=leader,
            agenda=[(topic, tags, False, "", False)] if rng.random() < 0.5 else (),
            summary=f"党小组围绕“{topic}”进行学习讨论。",
            leave_rate=0.06 if unit.retired else 0.03,
            leave_reasons=RETIRED_LEAVE if unit.retired else WORK_LEAVE,
        )

    def quarters(self, *, skip: Sequence[dt.date] = ()) -> list[tuple[dt.date, list[dt.date]]]:
        """(quarter start, its months within the window up to today), oldest first."""
        out: dict[dt.date, list[dt.date]] = {}
        for month in self.months:
            if month > self.today:
                break
            start = month.replace(month=(quarter_of(month) - 1) * 3 + 1)
            if start not in skip:
                out.setdefault(start, []).append(month)
        return list(out.items())

    def quarterly(self, unit: Unit, place: str) -> None:
        rng = self.rng
        key, org = unit.key, unit.org
        current_q = self.today.replace(day=1, month=(quarter_of(self.today) - 1) * 3 + 1)
        previous_q = current_q - relativedelta(months=3)
        # 支部党员大会
        for start, months in self.quarters():
            month = months[0] if key == "chengdong" else rng.choice(months)
            day = self.in_month(month, 8, 26)
            if key == "chengdong" and month == self.months[-1] and day >= self.today:
                day = self.in_month(month, 1, max(1, self.today.day - 1))
            if not self.due(day):
                continue
            items = [GENERAL_ITEMS[0], rng.choice(GENERAL_ITEMS[1:])]
            self.meeting(
                org,
                "general_meeting",
                day,
                title=f"{start.year}年第{quarter_of(start)}季度支部党员大会",
                hour=14,
                minute=30,
                place=place,
                host=self.holder_on(org, Post.SECRETARY, day) or unit.secretary,
                recorder=unit.committee[0] if unit.committee else None,
                agenda=[(topic, tags, False, "", False) for topic, tags in items],
                summary="会议传达学习上级精神，通报支部工作，与会党员进行了讨论。",
                leave_rate=0.06 if unit.retired else 0.03,
                leave_reasons=RETIRED_LEAVE if unit.retired else WORK_LEAVE,
            )
        # 党课: the branch secretary lectures once a year; some leaders lecture here too.
        skip = [previous_q] if key == "wuzi" else []
        quarters = self.quarters(skip=skip)
        by_year: dict[int, list[tuple[dt.date, list[dt.date]]]] = defaultdict(list)
        for start, months in quarters:
            by_year[start.year].append((start, months))
        for _year, year_quarters in sorted(by_year.items()):
            required = [unit.secretary]
            if key in ("biandian", "yingxiao"):
                general = self.orgs["yunjian" if key == "biandian" else "yingxiao_z"]
                required.append(self.current(general, Post.SECRETARY)[0])
            if key == "chengdong":
                required.append(self.c_secretary)
            if key == "shudian":
                required.append(self.c_deputy)
            order = list(range(len(year_quarters)))
            rng.shuffle(order)
            lecturers: dict[int, list[Person]] = defaultdict(list)
            for n, person in enumerate(required):
                lecturers[order[n % len(order)]].append(person)
            for position, (_start, months) in enumerate(year_quarters):
                people = lecturers.get(position) or [self.default_lecturer(unit)]
                for person in people:
                    month = months[0] if key == "chengdong" else rng.choice(months)
                    day = self.in_month(month, 9, 27)
                    if key == "chengdong" and month == self.months[-1] and day >= self.today:
                        day = self.in_month(month, 1, max(1, self.today.day - 1))
                    if self.due(day):
                        self.lecture(unit, day, person, place)

    def default_lecturer(self, unit: Unit) -> Person:
        pool = unit.committee + self.ordinary(unit)[:3]
        return self.rng.choice(pool) if pool else unit.secretary

    def lecture(self, unit: Unit, day: dt.date, lecturer: Person, place: str) -> None:
        rng = self.rng
        leader = lecturer.pk in (self.c_secretary.pk, self.c_deputy.pk)
        topic = rng.choice(LEADER_LECTURES if leader else LECTURE_TOPICS)
        who = {self.c_secretary.pk: "党委书记", self.c_deputy.pk: "党委副书记"}.get(lecturer.pk, "")
        if lecturer.pk == unit.secretary.pk:
            who = "支部书记"
        activists = [
            m.person
            for m in self.members[unit.org.pk]
            if m.status in (PoliticalStatus.ACTIVIST, PoliticalStatus.CANDIDATE)
            and m.activist_date is not None
            and m.activist_date < day
        ]
        org_member = getattr(getattr(lecturer, "membership", None), "org_id", None)
        guests = [lecturer] if org_member != unit.org.pk else []
        guests += activists[:1]
        # The same day may already have this branch's lecture (two lecturers in one quarter).
        while Activity.objects.filter(
            org=unit.org, kind=self.kinds["party_lecture"], planned_start__date=day
        ).exists():
            day += dt.timedelta(days=1)
        self.meeting(
            unit.org,
            "party_lecture",
            day,
            title=f"{who}讲党课：{topic}",
            hour=14,
            minute=30,
            place=place,
            host=self.holder_on(unit.org, Post.SECRETARY, day) or unit.secretary,
            lecturer=lecturer,
            recorder=unit.committee[0] if unit.committee else None,
            guests=guests if day < self.today else (),
            summary=f"{lecturer.name}同志以“{topic}”为题讲授党课，党员结合岗位实际交流学习体会。",
            leave_rate=0.06 if unit.retired else 0.03,
            leave_reasons=RETIRED_LEAVE if unit.retired else WORK_LEAVE,
        )

    def q4_days(self) -> list[tuple[int, dt.date, dt.date]]:
        """(year, first, last day) of each fourth quarter's part inside the window, up to today."""
        out = []
        for year in sorted({m.year for m in self.months}):
            lo = max(dt.date(year, 10, 1), self.first)
            hi = dt.date(year, 12, 28)
            if lo <= hi and lo <= self.today:
                out.append((year, lo, hi))
        return out

    def yearly(self, unit: Unit, place: str) -> None:
        rng = self.rng
        for year, lo, hi in self.q4_days():
            this_q4 = year == self.today.year
            day = (
                self.weekday(lo + dt.timedelta(days=10), hi) if (hi - lo).days > 20 else self.weekday(lo, hi)
            )
            if unit.key == "chengdong" and this_q4:
                day = self.weekday(lo, max(lo, self.today - dt.timedelta(days=3)))
            if self.due(day):
                self.meeting(
                    unit.org,
                    "org_life_meeting",
                    day,
                    title=f"{year}年度组织生活会",
                    hour=14,
                    minute=30,
                    length=3,
                    place=place,
                    host=unit.secretary,
                    recorder=unit.committee[0] if unit.committee else None,
                    agenda=[
                        ("通报上年度组织生活会整改落实情况", (T.ORGANIZATION,), False, "", False),
                        ("支部委员会对照检查", (T.ORGANIZATION,), False, "", False),
                        ("党员开展批评和自我批评", (T.ORGANIZATION,), False, "", False),
                    ],
                    decisions=[
                        (
                            "对照检查发现的问题建立整改清单，逐项整改销号",
                            unit.secretary,
                            day + dt.timedelta(days=60),
                        )
                    ],
                    summary="支部委员会报告对照检查情况，党员逐一开展批评和自我批评。",
                    leave_rate=0.08 if unit.retired else 0.03,
                    leave_reasons=RETIRED_LEAVE if unit.retired else WORK_LEAVE,
                )
            appraisal = day + dt.timedelta(days=rng.choice((0, 2, 7)))
            if unit.key == "chengdong" and this_q4:  # the one item still open in the demo branch
                appraisal = self.today + dt.timedelta(days=6)
            if self.due(appraisal):
                self.meeting(
                    unit.org,
                    "member_appraisal",
                    appraisal,
                    title=f"{year}年度民主评议党员",
                    hour=16 if appraisal == day else 14,
                    minute=30,
                    place=place,
                    host=unit.secretary,
                    summary="党员个人自评、党员互评和民主测评，支部委员会综合评定等次。",
                    leave_rate=0.08 if unit.retired else 0.03,
                    leave_reasons=RETIRED_LEAVE if unit.retired else WORK_LEAVE,
                )

    def elections_and_admissions(self, unit: Unit) -> None:
        org = unit.org
        start = unit.term_start
        if start is not None and self.first <= start < self.today:
            self.meeting(
                org,
                "election_meeting",
                start,
                title="换届选举党员大会",
                hour=14,
                minute=30,
                length=3,
                place=PLACES[unit.key],
                host=unit.secretary,
                agenda=[
                    ("审议支部委员会工作报告", (T.ORGANIZATION,), False, "", False),
                    ("选举产生新一届支部委员会", (T.ORGANIZATION,), False, "", False),
                ],
                summary="大会审议通过支部委员会工作报告，差额选举产生新一届支部委员会。",
                leave_rate=0.02,
            )
        admitted: dict[dt.date, list[Person]] = defaultdict(list)
        for m in self.members[org.pk]:
            day = m.admission_date
            if (
                m.status in (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL)
                and day is not None
                and self.first <= day < self.today
                and m.pk in self.settled
            ):
                admitted[day].append(m.person)
        for day, people in sorted(admitted.items()):
            names = "、".join(p.name for p in people)
            self.meeting(
                org,
                "admission_meeting",
                day,
                title=f"发展党员支部党员大会（接收{names}同志为预备党员）",
                hour=14,
                minute=30,
                place=PLACES[unit.key],
                host=unit.secretary,
                agenda=[(f"讨论接收{names}同志为预备党员", (T.DEVELOPMENT,), False, "", False)],
                summary="发展对象汇报对党的认识，入党介绍人介绍情况，经表决同意接收为预备党员，报党委审批。",
                leave_rate=0.02,
            )

    def volunteering_and_talks(self, unit: Unit) -> None:
        rng = self.rng
        org = unit.org
        for index in (2, 5, 8, 10):
            if rng.random() < 0.5:
                continue
            day = self.in_month(self.months[index], 5, 25)
            members = [
                m.membership.person
                for m in sorted(memberships_on(day=day, org=org), key=lambda m: m.membership.pk)
                if m.membership.person_id not in self.reserved
            ]
            if len(members) < 4:
                continue
            team = rng.sample(members, min(len(members), rng.randint(4, 8)))
            hours = rng.choice((2, 3, 4))
            self.meeting(
                org,
                "volunteer_service",
                day,
                title=rng.choice(VOLUNTEER_THEMES),
                hour=9,
                length=hours,
                place=rng.choice(OUTSIDE),
                host=unit.secretary,
                participants=team,
                metrics={
                    "people_served": rng.randint(30, 300),
                    "problems_solved": rng.randint(3, 30),
                    "volunteers": len(team),
                    "service_hours": len(team) * hours,
                },
                summary="共产党员服务队上门检查用电安全，宣传安全用电知识，现场解决群众用电问题。",
                leave_rate=0.0,
                hours=Decimal(hours),
            )
        # A talk between the secretary and a probationary member, in the last two months.
        for m in self.members[org.pk]:
            if m.status != PoliticalStatus.PROBATIONARY or m.admission_date is None:
                continue
            day = self.weekday(
                max(m.admission_date + dt.timedelta(days=7), self.today - dt.timedelta(days=60)),
                self.today - dt.timedelta(days=2),
            )
            if day >= self.today or m.person_id == unit.secretary.pk or m.pk not in self.settled:
                continue
            self.meeting(
                org,
                "talk",
                day,
                title=f"与预备党员{m.person.name}同志谈心谈话",
                hour=16,
                length=1,
                place=PLACES[unit.key],
                host=unit.secretary,
                participants=[unit.secretary, m.person],
                summary="了解预备期思想、工作情况，提出继续努力的方向。",
            )
            break

    # -- the committee and the general branches ----------------------------------------------------
    def committee(self) -> None:
        rng = self.rng
        root = self.orgs["root"]
        unit = self.unit("root")
        place = PLACES["root"]
        for month in self.months:
            day = self.in_month(month, 6, 12)
            if not self.due(day) or month > self.today:
                continue
            items = rng.sample(BOARD_ITEMS, 3)
            agenda: list[tuple[str, Sequence[str], bool, str, bool]] = [
                (rng.choice(FIRST_ITEMS), (T.IDEOLOGY,), True, "", False)
            ]
            decisions = []
            for topic, tags, major, prior, decision in items:
                agenda.append((topic, tags, False, major, prior))
                if decision and rng.random() < 0.6:
                    owner = rng.choice([*unit.committee, self.staff])
                    decisions.append(
                        (
                            decision.format(owner=owner.name),
                            owner,
                            day + dt.timedelta(days=rng.randint(10, 45)),
                        )
                    )
            self.meeting(
                root,
                "party_committee_meeting",
                day,
                title=f"党委会（{day.year}年第{day.month}次）",
                hour=9,
                length=3,
                place=place,
                host=unit.secretary,
                recorder=self.staff,
                guests=[self.staff],
                agenda=agenda,
                decisions=decisions,
                summary="会议首先学习第一议题；“三重一大”事项经党委前置研究讨论后，按程序提交董事会、经理层决策。",
                leave_rate=0.06,
                leave_reasons=LEADER_LEAVE,
            )
        for start, months in self.quarters():
            day = self.in_month(rng.choice(months), 14, 26)
            if not self.due(day):
                continue
            topic, tags = rng.choice(STUDY_TOPICS)
            n = quarter_of(start)
            self.meeting(
                root,
                "central_group_study",
                day,
                title=f"党委理论学习中心组{start.year}年第{n}次集体学习：{topic}",
                hour=14,
                minute=30,
                length=3,
                place=place,
                host=unit.secretary,
                recorder=self.staff,
                guests=[self.staff],
                agenda=[
                    (topic, tags, True, "", False),
                    ("中心组成员交流研讨发言", (T.IDEOLOGY,), False, "", False),
                ],
                summary="中心组成员围绕学习专题逐一交流研讨，党委书记作总结讲话。",
                leave_rate=0.06,
                leave_reasons=LEADER_LEAVE,
            )
        for year, lo, hi in self.q4_days():
            day = self.weekday(max(lo, dt.date(year, 12, 1)), hi) if hi >= dt.date(year, 12, 1) else lo
            if not self.due(day):
                continue
            self.meeting(
                root,
                "democratic_life_meeting",
                day,
                title=f"{year}年度领导班子民主生活会",
                hour=9,
                length=4,
                place=place,
                host=unit.secretary,
                recorder=self.staff,
                agenda=[
                    ("通报上年度民主生活会整改落实情况", (T.ORGANIZATION,), False, "", False),
                    ("班子成员对照检查，开展批评和自我批评", (T.ORGANIZATION, T.INTEGRITY), False, "", False),
                ],
                decisions=[
                    ("制定整改措施清单，明确责任人和完成时限", unit.secretary, day + dt.timedelta(days=90))
                ],
                summary="党委书记代表班子作对照检查，班子成员逐一发言，开展批评和自我批评。",
                leave_rate=0.0,
            )

    def general_branches(self) -> None:
        for key in ("yunjian", "yingxiao_z"):
            unit = self.unit(key)
            for start, months in self.quarters():
                day = self.in_month(self.rng.choice(months), 3, 10)
                if not self.due(day):
                    continue
                self.meeting(
                    unit.org,
                    "committee_meeting",
                    day,
                    title=f"{start.year}年第{quarter_of(start)}季度党总支委员会会议",
                    hour=16,
                    length=1,
                    place=PLACES[key],
                    host=unit.secretary,
                    recorder=unit.committee[0] if unit.committee else None,
                    agenda=[
                        (self.rng.choice(FIRST_ITEMS), (T.IDEOLOGY,), True, "", False),
                        ("听取所属党支部工作情况汇报", (T.ORGANIZATION,), False, "", False),
                    ],
                    summary="听取所属党支部“三会一课”落实情况汇报，部署下阶段工作。",
                    leave_rate=0.04,
                )

    # -- contact points ------------------------------------------------------------------------------
    def contact_points(self) -> None:
        start = dt.date(self.today.year if self.today.month >= 4 else self.today.year - 1, 1, 1)
        profile = compliance_services.profile_create(
            actor=None,
            code="ljgd",
            name="国网临江市供电公司党委党建工作责任制",
            description="党委班子成员党建工作联系点制度：每年到联系点调研不少于2次、讲党课不少于1次。",
        )
        for code, title, kind, count in (
            ("contact-point-visits", "班子成员每年到党建联系点调研不少于2次", "contact_point_visit", 2),
            ("contact-point-lecture", "班子成员每年到党建联系点讲党课不少于1次", "party_lecture", 1),
        ):
            compliance_services.obligation_create(
                actor=None,
                profile=profile,
                data={
                    "code": code,
                    "title": title,
                    "subject": "contact_point",
                    "given_by_subject": True,
                    "at_contact_point": True,
                    "min_count": count,
                    "period": PeriodKind.YEAR,
                    "due_soon_days": 30,
                    "citation": "《国网临江市供电公司党委班子成员党建工作联系点制度》第五条。",
                    "rule_ref": "LJGD-5",
                    "valid_from": dt.date(start.year, 1, 1),
                },
                kinds=[self.kinds[kind]],
            )
        compliance_services.profile_assign(actor=None, profile=profile, org=self.orgs["root"])
        for leader, key, per_year in ((self.c_secretary, "chengdong", 2), (self.c_deputy, "shudian", 1)):
            org = self.orgs[key]
            compliance_services.contact_point_create(actor=None, person=leader, org=org, start_date=start)
            secretary = self.current(org, Post.SECRETARY)[0]
            for year in range(start.year, self.today.year + 1):
                months = [m for m in self.months[:-1] if m.year == year and m >= start]
                wanted = per_year if year == self.today.year else 2
                for month in sorted(self.rng.sample(months, min(wanted, len(months)))):
                    day = self.in_month(month, 3, 25)
                    self.meeting(
                        org,
                        "contact_point_visit",
                        day,
                        title=f"{leader.name}到{org.short_name or org.name}调研党建工作",
                        hour=9,
                        minute=30,
                        length=2,
                        place=PLACES[key],
                        host=leader,
                        participants=[secretary],
                        guests=[leader],
                        summary="听取支部工作汇报，查阅“三会一课”记录，与党员群众座谈，对支部工作提出要求。",
                        leave_rate=0.0,
                    )

    # -- deliberate gaps in attendance ---------------------------------------------------------------
    def absences(self) -> None:
        """A member of 营销服务中心 absent for seven months; outside the fourth quarter a member of
        城东供电所 on sick leave for three and a half months (a warning, the demo branch's open item)."""
        yingxiao = self.unit("yingxiao")
        person = self.ordinary(yingxiao)[-1]
        self.forced[person.pk] = (self.today - relativedelta(months=7, days=5), ABSENT, "")
        self.reserved.add(person.pk)
        if quarter_of(self.today) != 4:
            chengdong = self.unit("chengdong")
            sick = self.ordinary(chengdong, exclude=[self.dangyuan.pk])[-1]
            self.forced[sick.pk] = (self.today - relativedelta(months=3, days=15), LEAVE, "病假")
            self.reserved.add(sick.pk)
        self.reserved.add(self.dangyuan.pk)

    # -- the whole year ------------------------------------------------------------------------------
    def build(self) -> None:
        from xianfeng.demo import BRANCHES

        self.absences()
        self.committee()
        self.general_branches()
        for spec in BRANCHES:
            unit = self.unit(spec.key, retired=spec.retired)
            self.elections_and_admissions(unit)
            self.branch_year(unit)
            if not spec.retired:
                self.volunteering_and_talks(unit)
        self.contact_points()


def _count_findings(root: Org, first: dt.date, today: dt.date) -> Counter[str]:
    found = engine.findings(scope=root, start=first, end=today, today=today, evidence=False)
    return Counter(f.status for f in found if f.period_start is not None and f.period_start <= today)


def build_activities(result: DemoResult, *, today: dt.date, stdout: TextIO | None = None) -> ActivitySummary:
    """Write the demo committee's last twelve months of organizational life, run the reminders and
    print a summary line (to `stdout`, standard output by default)."""
    life = _Life(result, today)
    life.build()
    summary = life.summary
    summary.findings = _count_findings(result.root, life.first, today)
    summary.notifications = remind(today=today, email=False, webhook=False).created
    (stdout or sys.stdout).write(summary.line() + "\n")
    return summary


def activity_rows(org_ids: Iterable[int] | None = None) -> list[tuple[str, str, str, str, str, str]]:
    """(org, kind, title, planned start, held start, status) of the activities, in a stable order."""
    qs = Activity.objects.select_related("org", "kind").order_by("planned_start", "org__path", "kind__code")
    if org_ids is not None:
        qs = qs.filter(org_id__in=list(org_ids))
    return [
        (a.org.name, a.kind.code, a.title, a.planned_start.isoformat(), str(a.held_start or ""), a.status)
        for a in qs
    ]
