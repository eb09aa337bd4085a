"""The demo committee: 国网临江市供电公司党委, a fictional city power-supply company.

Everything is written through the services (orgs.services, people.services), so every row is
validated and audited as the system (actor None). A seeded random generator makes the names, the
shape and the history the same on every run; dates are placed relative to `today`, so terms due for
re-election, probation periods and recent admissions stay meaningful whenever the demo is loaded.

The name, phone and date helpers are shared with the benchmark generator (bench/generate.py).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from xianfeng.core.management.commands.demo_dues import build_dues
from xianfeng.core.roles import Role
from xianfeng.core.services import role_grant
from xianfeng.demo_activities import build_activities
from xianfeng.development.demo import build_development
from xianfeng.orgs import services as org_services
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import idcard
from xianfeng.people import services as people_services
from xianfeng.people.choices import STATUS_DATE_FIELD, LeaveReason, PoliticalStatus, Post
from xianfeng.people.models import Membership
from xianfeng.reports.demo import build_demo as build_reports_demo
from xianfeng.scoring.demo import build_demo as build_scoring_demo
from xianfeng.supervision.demo import build_demo as build_supervision_demo
from xianfeng.testing import DEMO_PASSWORD

SEED = 2026
COMPANY = "国网临江市供电公司"
DEMO_USERNAMES = ("admin", "dangwei", "zhibu", "dangyuan", "jijian")
S = PoliticalStatus

# --- Names, phones, ID numbers (also used by bench/generate.py) -------------------------------------
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SURNAME_WEIGHTS = [1 / (i + 4) for i in range(len(SURNAMES))]
MALE_CHARS = "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健俊帆宇浩凯东林峰亮阳晨博文志建国海兵成龙庆新春荣德永光金正振卫宏昊然睿哲轩嘉毅诚"
FEMALE_CHARS = "芳娜敏静丽艳娟霞燕玲婷雪琳慧颖洁梅红萍英兰秀华桂凤玉倩璐欣怡佳悦晓丹蕾彤楠薇雯婧琪瑶茜"
PHONE_PREFIXES = (
    *("130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152"),
    *("153", "155", "156", "158", "159", "180", "182", "186", "187", "188", "189", "199"),
)
# Address codes of the fictional 临江 area and a few neighbours (province 42 is valid per GB/T 2260).
REGIONS = ("421002", "421003", "421022", "421081", "421083", "420106", "420111", "421102", "422801")
ETHNIC_MINORITIES = ("03", "11", "02", "15", "08", "06")  # 回族, 满族, 蒙古族, 土家族, 壮族, 苗族


def random_name(rng: random.Random, gender: str) -> str:
    chars = MALE_CHARS if gender == "male" else FEMALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0] + given


def random_phone(rng: random.Random) -> str:
    return rng.choice(PHONE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def random_ethnicity(rng: random.Random) -> str:
    return "01" if rng.random() < 0.93 else rng.choice(ETHNIC_MINORITIES)


def between(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    """A uniformly random day in [lo, hi] (lo if the range is empty)."""
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def random_education(rng: random.Random, age: int) -> str:
    if age < 35:
        options = {"bachelor": 55, "master": 20, "college": 20, "secondary_vocational": 4, "doctorate": 1}
    elif age < 50:
        options = {"bachelor": 45, "college": 30, "master": 10, "secondary_vocational": 10, "high_school": 5}
    else:
        options = {"college": 30, "secondary_vocational": 25, "high_school": 20, "bachelor": 20}
        options["junior_or_below"] = 5
    if age < 25:
        options.pop("master", None)
    if age < 30:
        options.pop("doctorate", None)
    return rng.choices(list(options), weights=list(options.values()))[0]


_START_AGE = {"doctorate": 28, "master": 25, "bachelor": 22, "college": 21, "secondary_vocational": 19}


def random_hire_date(rng: random.Random, birth: dt.date, education: str, today: dt.date) -> dt.date:
    start = birth + relativedelta(years=_START_AGE.get(education, 18) + rng.randint(0, 2))
    return min(start + dt.timedelta(days=rng.randint(0, 200)), today - dt.timedelta(days=rng.randint(10, 90)))


def party_dates(
    rng: random.Random,
    today: dt.date,
    birth: dt.date,
    status: str,
    *,
    veteran: bool = False,
    admission: dt.date | None = None,
) -> dict[str, dt.date]:
    """Key dates consistent with people.rules: ≥ 18 at application, ≥ 1 year probation, none in the future.

    `veteran` places the admission at least eight years back, so the person may hold any post of the
    current or the previous term; `admission` fixes the admission date of a full or probationary member.
    """
    if admission is None and status == S.FULL:
        lo = birth + relativedelta(years=21, months=6)
        hi = min(today - relativedelta(months=13), birth + relativedelta(years=45))
        if veteran:
            hi = max(lo, min(hi, today - relativedelta(years=8)))
        admission = between(rng, lo, hi)
    elif admission is None and status == S.PROBATIONARY:
        admission = today - dt.timedelta(days=rng.randint(15, 330))
    dates: dict[str, dt.date] = {}
    candidate = activist = None
    if status in (S.FULL, S.PROBATIONARY) and admission is not None:
        dates["admission_date"] = admission
        if status == S.FULL:
            dates["conversion_date"] = admission + relativedelta(years=1)
        candidate = admission - relativedelta(months=rng.randint(6, 11))
    elif status == S.CANDIDATE:
        candidate = today - dt.timedelta(days=rng.randint(15, 300))
    if candidate is not None:
        dates["candidate_date"] = candidate
        activist = candidate - relativedelta(months=rng.randint(12, 20))
    elif status == S.ACTIVIST:
        activist = today - dt.timedelta(days=rng.randint(15, 540))
    if activist is not None:
        dates["activist_date"] = activist
        dates["application_date"] = activist - relativedelta(months=rng.randint(1, 6))
    else:
        dates["application_date"] = today - dt.timedelta(days=rng.randint(7, 200))
    return dates


class IdNumbers:
    """Unique, valid ID numbers (GB 11643) for generated people."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def make(self, rng: random.Random, birth: dt.date, gender: str) -> str:
        region, sequence = rng.choice(REGIONS), rng.randrange(500)
        while True:
            number = idcard.generate(region=region, birth_date=birth, gender=gender, sequence=sequence)
            if number not in self.used:
                self.used.add(number)
                return number
            sequence = (sequence + 1) % 500
            if sequence == 0:
                region = rng.choice(REGIONS)


# --- The committee --------------------------------------------------------------------------------
@dataclass(frozen=True)
class BranchSpec:
    key: str
    name: str
    parent: str  # "" for the committee, else the key of a general branch
    size: int
    departments: tuple[str, ...]
    jobs: tuple[str, ...]
    secretary_job: str
    groups: tuple[str, ...]
    term_months_ago: int  # the current term began this many months ago (3-year terms)
    founded: int
    female_ratio: float = 0.3
    retired: bool = False
    specials: tuple[tuple[str, str], ...] = ()  # (tag, job post) of people the committee's posts need


# fmt: off
GENERAL_BRANCHES = (
    ("yunjian", "运维检修党总支", 17, 2005),
    ("yingxiao_z", "营销服务党总支", 31, 2006),  # the term ends in 5 months
)
BRANCHES = (
    BranchSpec(
        "jiguan1", "机关第一党支部", "", 32, ("办公室", "党委党建部", "人力资源部", "发展策划部"),
        ("综合管理专责", "党建专责", "人事专责", "文秘", "规划专责", "宣传专责"), "办公室主任",
        ("办公室党小组", "党建人资党小组", "发展策划党小组"), 14, 1988, 0.45,
        specials=(
            ("c_secretary", "党委书记、董事长"), ("c_deputy1", "党委副书记、总经理"),
            ("c_deputy2", "党委副书记、工会主席"), ("c_discipline", "纪委书记"),
            ("c_member1", "副总经理"), ("c_member2", "副总经理、安全总监"),
            ("c_former", "党委委员、原党委书记"), ("dangwei", "党委党建部主任"),
        ),
    ),
    BranchSpec(
        "jiguan2", "机关第二党支部", "", 20, ("财务资产部", "安全监察部", "审计部", "建设部"),
        ("会计", "出纳", "安全专责", "审计专责", "工程管理专责"), "财务资产部主任",
        ("财务审计党小组", "安监建设党小组"), 20, 1988, 0.45,
    ),
    BranchSpec(
        "tiaokong", "调控中心党支部", "", 21, ("电力调度控制中心",),
        ("调度员", "值班长", "监控员", "自动化专责", "方式计划专责"), "调控中心主任",
        ("调度党小组", "自动化党小组"), 34, 1996, 0.25,  # ends in 2 months
    ),
    BranchSpec(
        "biandian", "变电运维党支部", "yunjian", 26, ("变电运维中心",),
        ("变电运维工", "值班长", "站长", "技术专责"), "变电运维中心主任",
        ("运维一班党小组", "运维二班党小组", "运维三班党小组"), 9, 1998, 0.2,
        specials=(("g_yunjian", "运维检修部主任"),),
    ),
    BranchSpec(
        "shudian", "输电运检党支部", "yunjian", 21, ("输电运检中心",),
        ("输电线路工", "带电作业工", "班长", "技术专责"), "输电运检中心主任",
        ("线路一班党小组", "带电作业党小组"), 22, 1998, 0.1,
    ),
    BranchSpec(
        "peidian", "配电运检党支部", "yunjian", 23, ("配电运检中心",),
        ("配电运检工", "电缆运检工", "班长", "抢修值班员"), "配电运检中心主任",
        ("配电运检党小组", "电缆党小组"), 5, 2001, 0.15,
    ),
    BranchSpec(
        "yingxiao", "营销服务中心党支部", "yingxiao_z", 25, ("营销服务中心",),
        ("客户经理", "计量专责", "电费核算员", "营业厅班长", "用电检查员"), "营销服务中心主任",
        ("客户服务党小组", "计量党小组", "电费党小组"), 12, 2006, 0.5,
        specials=(("g_yingxiao", "营销部主任"),),
    ),
    BranchSpec(
        "chengdong", "城东供电所党支部", "yingxiao_z", 22, ("城东供电所",),
        ("台区经理", "营业员", "配电运维工", "安全员", "综合班长"), "所长",
        ("城东第一党小组", "城东第二党小组"), 11, 2008, 0.3,
    ),
    BranchSpec(
        "chengxi", "城西供电所党支部", "yingxiao_z", 20, ("城西供电所",),
        ("台区经理", "营业员", "配电运维工", "安全员"), "所长",
        ("城西第一党小组", "城西第二党小组"), 32, 2008, 0.3,  # ends in 4 months
    ),
    BranchSpec(
        "chengnan", "城南供电所党支部", "yingxiao_z", 20, ("城南供电所",),
        ("台区经理", "营业员", "配电运维工", "安全员"), "所长",
        ("城南第一党小组", "城南第二党小组"), 26, 2010, 0.3,
    ),
    BranchSpec(
        "wuzi", "物资供应党支部", "", 15, ("物资供应中心",),
        ("仓储管理员", "物资采购专责", "配送员", "质检专责"), "物资供应中心主任",
        ("物资党小组",), 38, 2003, 0.35,  # expired 2 months ago
    ),
    BranchSpec(
        "xintong", "信息通信党支部", "", 17, ("信息通信分公司",),
        ("信息运维专责", "网络安全专责", "通信运维工", "软件开发专责"), "信息通信分公司经理",
        ("信息党小组",), 7, 2012, 0.3,
    ),
    BranchSpec(
        "lituixiu", "离退休党支部", "", 38, ("离退休人员",), ("退休职工",), "退休职工",
        ("城区党小组", "城东片区党小组", "城西片区党小组"), 19, 1995, 0.35, retired=True,
    ),
)
# fmt: on


# Job posts of the departments of the branches that hold several departments.
DEPARTMENT_JOBS = {
    "办公室": ("综合管理专责", "文秘", "档案管理专责", "后勤管理专责"),
    "党委党建部": ("党建专责", "宣传专责", "组织专责", "团青专责"),
    "人力资源部": ("人事专责", "薪酬专责", "培训专责"),
    "发展策划部": ("规划专责", "统计专责", "计划专责"),
    "财务资产部": ("会计", "出纳", "资产管理专责"),
    "安全监察部": ("安全专责", "安全督查专责"),
    "审计部": ("审计专责",),
    "建设部": ("工程管理专责", "项目管理专责"),
}


@dataclass
class Plan:
    spec: BranchSpec
    status: str
    veteran: bool = False
    tag: str = ""
    job: str = ""
    group: int = 0
    recent: bool = False  # created one stage earlier, then advanced through membership_update
    membership: Membership | None = None
    dates: dict[str, dt.date] = field(default_factory=dict)

    @property
    def member(self) -> Membership:
        assert self.membership is not None, "not created yet"
        return self.membership


@dataclass
class DemoResult:
    root: Org
    orgs: dict[str, Org]
    groups: dict[str, list[Org]]
    memberships: list[Membership]
    accounts: list[tuple[str, str, str, str]]  # username, role, organization, linked person


_AGES: dict[str, tuple[int, int]] = {S.FULL: (24, 58), S.PROBATIONARY: (23, 38), S.CANDIDATE: (22, 35)}
_ADVANCE_REASON = {
    S.ACTIVIST: "经支委会研究，确定为入党积极分子",
    S.CANDIDATE: "经支委会研究并报党委备案，列为发展对象",
    S.PROBATIONARY: "经支部党员大会讨论、党委审批，接收为预备党员",
    S.FULL: "经支部党员大会讨论、党委审批，按期转为正式党员",
}


class _Builder:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.rng = random.Random(SEED)
        self.ids = IdNumbers()
        self.names: set[str] = set()
        self.employee_seq = 0
        self.orgs: dict[str, Org] = {}
        self.groups: dict[str, list[Org]] = {}
        self.plans: list[Plan] = []
        self.busy: set[int] = set()  # people who already hold a post of a branch committee

    def ago(self, *, months: int = 0, years: int = 0, days: int = 0) -> dt.date:
        return self.today - relativedelta(years=years, months=months, days=days)

    # -- organizations --
    def build_orgs(self) -> None:
        root = org_services.org_create(
            actor=None,
            parent=None,
            org_type=OrgType.COMMITTEE,
            name=f"{COMPANY}党委",
            short_name="公司党委",
            code="LJGD",
            business_unit=COMPANY,
            founded_date=dt.date(1988, 7, 1),
            term_start=self.ago(years=2, months=3),
        )
        self.orgs["root"] = root
        for index, (key, name, months_ago, founded) in enumerate(GENERAL_BRANCHES, start=1):
            self.orgs[key] = org_services.org_create(
                actor=None,
                parent=root,
                org_type=OrgType.GENERAL_BRANCH,
                name=name,
                code=f"LJGD-Z{index}",
                business_unit=COMPANY,
                founded_date=dt.date(founded, 7, 1),
                term_start=self.ago(months=months_ago),
            )
        for index, spec in enumerate(BRANCHES, start=1):
            branch = org_services.org_create(
                actor=None,
                parent=self.orgs[spec.parent or "root"],
                org_type=OrgType.BRANCH,
                name=spec.name,
                code=f"LJGD-B{index:02d}",
                business_unit=COMPANY,
                founded_date=dt.date(spec.founded, 7, 1),
                term_start=self.ago(months=spec.term_months_ago, days=3),
            )
            self.orgs[spec.key] = branch
            self.groups[spec.key] = [
                org_services.org_create(
                    actor=None,
                    parent=branch,
                    org_type=OrgType.PARTY_GROUP,
                    name=f"{spec.name}{group}",
                    short_name=group,
                    code=f"LJGD-B{index:02d}-{number}",
                    business_unit=COMPANY,
                )
                for number, group in enumerate(spec.groups, start=1)
            ]

    # -- people --
    def plan_people(self) -> None:
        rng = self.rng
        for spec in BRANCHES:
            plans = [Plan(spec, S.FULL, veteran=True, tag=tag, job=job) for tag, job in spec.specials]
            plans.append(Plan(spec, S.FULL, veteran=True, tag="secretary", job=spec.secretary_job))
            plans += [Plan(spec, S.FULL, veteran=True) for _ in range(4)]
            if not spec.retired:
                counts = {S.PROBATIONARY: rng.randint(1, 2), S.CANDIDATE: rng.randint(0, 2)}
                counts |= {S.ACTIVIST: rng.randint(1, 2), S.APPLICANT: rng.randint(1, 2)}
                plans.append(Plan(spec, S.FULL, recent=True))
                for status, count in counts.items():
                    plans += [Plan(spec, status, recent=rng.random() < 0.5) for _ in range(count)]
            plans += [Plan(spec, S.FULL) for _ in range(spec.size - len(plans))]
            groups = len(spec.groups)
            for index, plan in enumerate(plans):
                plan.group = index % groups if not plan.veteran else (index + 1) % groups
            self.plans += plans

    def person_data(self, plan: Plan) -> dict[str, Any]:
        rng, spec = self.rng, plan.spec
        gender = "female" if rng.random() < spec.female_ratio else "male"
        if spec.retired or plan.tag == "c_former":
            age = rng.randint(61, 62) if plan.tag else rng.randint(56 if gender == "female" else 61, 75)
        elif plan.veteran:
            age = rng.randint(45, 56) if plan.tag else rng.randint(38, 55)
        else:
            low, high = _AGES.get(plan.status, (22, 32))
            age = rng.randint(low, high)
        birth = self.today - relativedelta(years=age) - dt.timedelta(days=rng.randint(1, 360))
        education = random_education(rng, age)
        name = random_name(rng, gender)
        while name in self.names:
            name = random_name(rng, gender)
        self.names.add(name)
        hire = random_hire_date(rng, birth, education, self.today)
        self.employee_seq += 1
        admission = None
        if plan.recent and plan.status == S.FULL:  # converted in the last few months
            admission = self.today - relativedelta(years=1) - dt.timedelta(days=rng.randint(5, 200))
        plan.dates = party_dates(
            rng, self.today, birth, plan.status, veteran=plan.veteran, admission=admission
        )
        department = spec.departments[0]
        if plan.tag.startswith("c_"):
            department = "公司领导"
        elif plan.tag == "dangwei":
            department = "党委党建部"
        elif len(spec.departments) > 1:
            department = spec.departments[plan.group % len(spec.departments)]
        return {
            "name": name,
            "gender": gender,
            "ethnicity": random_ethnicity(rng),
            "birth_date": birth,
            "id_number": self.ids.make(rng, birth, gender),
            "phone": random_phone(rng),
            "education": education,
            "employee_no": f"LJ{hire.year % 100:02d}{self.employee_seq:04d}",
            "business_unit": COMPANY,
            "department": department,
            "job_post": plan.job or rng.choice(DEPARTMENT_JOBS.get(department, spec.jobs)),
            "hire_date": hire,
        }

    def create_people(self) -> None:
        for plan in self.plans:
            person_data = self.person_data(plan)
            status = plan.status
            if plan.recent and status != S.APPLICANT:
                status = S.values[S.values.index(status) - 1]
            data: dict[str, Any] = {k: v for k, v in plan.dates.items() if k in _fields_up_to(status)}
            data |= {"status": status, "party_group": self.groups[plan.spec.key][plan.group]}
            plan.membership = people_services.member_create(
                actor=None, org=self.orgs[plan.spec.key], person_data=person_data, membership_data=data
            )
            if status != plan.status:
                field_name = STATUS_DATE_FIELD[S(plan.status)]
                plan.membership = people_services.membership_update(
                    actor=None,
                    membership=plan.member,
                    data={"status": plan.status, field_name: plan.dates[field_name]},
                    reason=_ADVANCE_REASON[S(plan.status)],
                )

    # -- posts --
    def tagged(self, tag: str) -> Plan:
        return next(plan for plan in self.plans if plan.tag == tag)

    def assign(self, plan: Plan, org: Org, post: str, start: dt.date) -> None:
        people_services.post_assign(
            actor=None, person=plan.member.person, org=org, post=post, start_date=start
        )

    def build_posts(self) -> None:
        root = self.orgs["root"]
        start = root.term_start or self.today
        former = self.tagged("c_former")
        self.assign(former, root, Post.SECRETARY, start - relativedelta(years=5))
        holding = former.member.person.posts.get(end_date__isnull=True)
        people_services.post_end(actor=None, holding=holding, end_date=start - dt.timedelta(days=1))
        for tag, post in (
            ("c_secretary", Post.SECRETARY),
            ("c_deputy1", Post.DEPUTY_SECRETARY),
            ("c_deputy2", Post.DEPUTY_SECRETARY),
            ("c_deputy2", Post.ORGANIZATION_MEMBER),
            ("c_discipline", Post.DISCIPLINE_MEMBER),
            ("c_member1", Post.PUBLICITY_MEMBER),
            ("c_member2", Post.COMMITTEE_MEMBER),
        ):
            self.assign(self.tagged(tag), root, post, start)
        for spec in BRANCHES:
            self.branch_posts(spec)
        for key, tag, children in (
            ("yunjian", "g_yunjian", ("biandian", "shudian", "peidian")),
            ("yingxiao_z", "g_yingxiao", ("yingxiao", "chengdong", "chengxi")),
        ):
            org = self.orgs[key]
            self.assign(self.tagged(tag), org, Post.SECRETARY, org.term_start or self.today)
            for child, post in zip(
                children,
                (Post.ORGANIZATION_MEMBER, Post.PUBLICITY_MEMBER, Post.DISCIPLINE_MEMBER),
                strict=True,
            ):
                plan = next(p for p in self.plans if p.spec.key == child and p.veteran and not p.tag)
                self.assign(plan, org, post, org.term_start or self.today)

    def branch_posts(self, spec: BranchSpec) -> None:
        org = self.orgs[spec.key]
        start = org.term_start or self.today
        plans = [plan for plan in self.plans if plan.spec is spec]
        veterans = [plan for plan in plans if plan.veteran and not plan.tag]
        secretary = next(plan for plan in plans if plan.tag == "secretary")
        if spec.key in ("biandian", "chengnan"):  # the previous term's secretary, now a committee member
            self.assign(veterans[0], org, Post.SECRETARY, start - relativedelta(years=3))
            holding = veterans[0].member.person.posts.get(org=org, end_date__isnull=True)
            people_services.post_end(actor=None, holding=holding, end_date=start - dt.timedelta(days=1))
        self.assign(secretary, org, Post.SECRETARY, start)
        committee = [Post.ORGANIZATION_MEMBER, Post.PUBLICITY_MEMBER]
        if not spec.retired:
            committee.append(Post.DISCIPLINE_MEMBER)
        if spec.size >= 24:
            committee.insert(0, Post.DEPUTY_SECRETARY)
        for plan, post in zip(veterans, committee, strict=False):
            self.assign(plan, org, post, start)
            self.busy.add(id(plan))
        self.busy.add(id(secretary))
        for number, group in enumerate(self.groups[spec.key]):
            self.assign(self.group_leader(plans, number, start), group, Post.GROUP_LEADER, start)

    def group_leader(self, plans: list[Plan], group: int, start: dt.date) -> Plan:
        eligible = [
            plan
            for plan in plans
            if plan.group == group
            and plan.status == S.FULL
            and not plan.tag
            and plan.dates["conversion_date"] <= start
        ]
        free = sorted((plan for plan in eligible if id(plan) not in self.busy), key=lambda plan: plan.veteran)
        chosen = (free or eligible)[0]
        self.busy.add(id(chosen))
        return chosen

    # -- history: transfers, people who left --
    def build_history(self) -> None:
        former = self.tagged("c_former")
        retire = (self.orgs["root"].term_start or self.today) + dt.timedelta(days=20)
        people_services.person_update(
            actor=None,
            person=former.member.person,
            data={"department": "离退休人员", "job_post": "退休职工"},
        )
        people_services.member_transfer(
            actor=None,
            membership=former.member,
            to_org=self.orgs["lituixiu"],
            date=retire,
            reason="退休，组织关系转入离退休党支部",
            party_group=self.groups["lituixiu"][0],
        )
        moves = (
            ("peidian", "chengdong", 3, "岗位调整，调入城东供电所"),
            ("yingxiao", "chengnan", 5, "交流任职，调入城南供电所"),
            ("tiaokong", "xintong", 1, "岗位调整，调入信息通信分公司"),
        )
        for source, target, months, reason in moves:
            plan = self.ordinary(source, group_leader=source == "peidian")
            people_services.member_transfer(
                actor=None,
                membership=plan.member,
                to_org=self.orgs[target],
                date=self.ago(months=months),
                reason=reason,
                party_group=self.groups[target][0],
            )
            if source == "peidian":  # the group they led needs a new leader
                group = self.groups[source][plan.group]
                successor = self.ordinary(source, group=plan.group)
                self.assign(successor, group, Post.GROUP_LEADER, self.ago(months=3))
        retirees = [
            p
            for p in self.plans
            if p.spec.key == "lituixiu" and not p.veteran and not p.tag and id(p) not in self.busy
        ]
        retirees.sort(key=lambda p: p.member.person.birth_date)
        leaves = (
            (retirees[0], LeaveReason.DEATH, 5, "因病逝世"),
            (retirees[1], LeaveReason.DEATH, 1, "因病逝世"),
            (self.ordinary("yingxiao"), LeaveReason.TRANSFER_OUT, 2, "组织关系转至国网江北市供电公司党委"),
            (
                self.ordinary("jiguan2"),
                LeaveReason.TRANSFER_OUT,
                8,
                "调出系统，组织关系转至临江市发展和改革委员会机关党委",
            ),
        )
        for plan, reason, months, note in leaves:
            people_services.member_leave(
                actor=None, membership=plan.member, reason=reason, date=self.ago(months=months), note=note
            )
            self.busy.add(id(plan))
        # A party group change: a member moves to the first group of their branch.
        plan = next(
            p for p in self.plans if p.spec.key == "jiguan2" and p.group == 1 and id(p) not in self.busy
        )
        people_services.membership_update(
            actor=None,
            membership=plan.member,
            data={"party_group": self.groups["jiguan2"][0]},
            reason="工作调整，党小组随之调整",
        )

    def ordinary(self, key: str, *, group: int | None = None, group_leader: bool = False) -> Plan:
        """A current full member of the branch who holds no post (or, if asked, leads a group)."""
        for plan in self.plans:
            if plan.spec.key != key or plan.status != S.FULL or plan.veteran or plan.tag or plan.recent:
                continue
            if plan.dates["conversion_date"] > self.ago(months=6):
                continue
            if group is not None and plan.group != group:
                continue
            membership = Membership.objects.get(pk=plan.member.pk)
            if membership.org_id != self.orgs[key].pk or membership.left_date is not None:
                continue
            leads = plan.member.person.posts.filter(end_date__isnull=True).exists()
            if leads == group_leader and (group_leader or id(plan) not in self.busy):
                self.busy.add(id(plan))
                return plan
        raise LookupError(f"no suitable member in {key}")

    # -- accounts --
    def build_accounts(self) -> list[tuple[str, str, str, str]]:
        user_model = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: the demo accounts share it
        root, branch = self.orgs["root"], self.orgs["chengdong"]
        secretary = next(p for p in self.plans if p.spec.key == "chengdong" and p.tag == "secretary")
        member = self.ordinary("chengdong")
        accounts = (
            ("admin", "系统管理员", Role.SYSTEM_ADMIN, root, None, True),
            ("dangwei", "", Role.COMMITTEE_ADMIN, root, self.tagged("dangwei"), False),
            ("zhibu", "", Role.BRANCH_ADMIN, branch, secretary, False),
            ("dangyuan", "", Role.MEMBER, branch, member, False),
            ("jijian", "", Role.DISCIPLINE_OFFICER, root, self.tagged("c_discipline"), False),
        )
        rows = []
        for username, label, role, org, plan, superuser in accounts:
            person = plan.membership.person if plan is not None and plan.membership is not None else None
            user = user_model.objects.create(
                username=username,
                password=password,
                first_name=person.name if person else label,
                is_staff=superuser,
                is_superuser=superuser,
            )
            role_grant(actor=None, user=user, org=org, role=role)
            if person is not None:
                people_services.person_link_user(actor=None, person=person, user=user)
            rows.append((username, str(Role(role).label), org.name, person.name if person else ""))
        return rows


def _fields_up_to(status: str) -> set[str]:
    order = list(S.values)
    return {STATUS_DATE_FIELD[S(s)] for s in order[: order.index(status) + 1]}


@transaction.atomic
def build_demo(*, today: dt.date | None = None) -> DemoResult:
    """Build the whole demo committee in one transaction. The database must have no organizations."""
    builder = _Builder(today or timezone.localdate())
    builder.build_orgs()
    builder.plan_people()
    builder.create_people()
    builder.build_posts()
    builder.build_history()
    accounts = builder.build_accounts()
    result = DemoResult(
        root=builder.orgs["root"],
        orgs=builder.orgs,
        groups=builder.groups,
        memberships=[plan.membership for plan in builder.plans if plan.membership is not None],
        accounts=accounts,
    )
    build_development(result, today=builder.today)
    build_activities(result, today=builder.today)
    build_dues(today=builder.today)
    build_scoring_demo(result, today=builder.today)
    build_supervision_demo(result, today=builder.today)
    build_reports_demo(result, today=builder.today)
    return result
