"""A large synthetic dataset for the benchmarks, built fast with bulk inserts.

    .venv/bin/python bench/generate.py --members 100000 --branches 3000
    .venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset \
        --database-url postgres://postgres@127.0.0.1:5432/xianfeng_bench

The tree (a provincial committee → city committees → general branches → branches → party groups)
is written with bulk_create and materialized paths, depths and child counts computed here, not with
3,000 treebeard add_child calls. People go through the model fields, so ID numbers and phones are
encrypted as usual, with their look-up hashes from core.crypto. The records follow people.rules
(the same date generators as the demo). No audit rows per record: one `bench.generate` event.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `xianfeng` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import add_database_arguments, prepare, resolve_target, start_django

ROOT_NAME = "国网临江省电力有限公司党委"
CITIES = (
    "临江", "江北", "青州", "云城", "石门", "白河", "望海", "松阳", "平川", "清源",
    "东陵", "西岭", "南浦", "北塘", "安宁", "长丰", "永安", "兴隆", "宁远", "秀水",
)  # fmt: skip
UNITS = (
    "机关第一", "机关第二", "调控中心", "变电运维中心", "变电检修中心", "输电运检中心", "配电运检中心",
    "营销服务中心", "客户服务中心", "计量中心", "物资供应中心", "信息通信分公司", "供电服务指挥中心",
    "经济技术研究所", "综合服务中心", "城东供电所", "城西供电所", "城南供电所", "城北供电所", "离退休",
)  # fmt: skip
TOWNS = (
    "河口", "石桥", "青山", "柳林", "桃源", "新集", "马坊", "高庄", "白沙", "龙泉", "东湖", "西湾",
    "南岭", "北镇", "长岗", "杨家", "双河", "平原", "三里", "金山", "黄土", "大营", "小店", "古城",
)  # fmt: skip
JOBS = ("运维工", "检修工", "台区经理", "客户经理", "调度员", "专责", "班长", "营业员", "安全员", "技术员")
GROUP_NAMES = ("第一党小组", "第二党小组", "第三党小组")
STATUS_WEIGHTS = {"full": 85, "probationary": 4, "candidate": 3, "activist": 4, "applicant": 4}
LEFT_SHARE = 0.02
BENCH_USERS = ("bench_committee", "bench_branch")


@dataclass
class Node:
    path: str
    org_type: str
    name: str
    short_name: str = ""
    business_unit: str = ""
    term_years: int | None = None
    term_start: dt.date | None = None
    children: list[Node] = field(default_factory=list)
    pk: int | None = None

    def add(self, child_type: str, name: str, *args: Any) -> Node:
        from xianfeng.orgs.models import Org

        key = Org._int2str(len(self.children) + 1)
        child = Node(f"{self.path}{key:0>{Org.steplen}}", child_type, name, *args)
        self.children.append(child)
        return child


@dataclass
class BenchResult:
    orgs: int
    branches: int
    members: int
    posts: int
    root_pk: int
    branch_pk: int
    users: tuple[str, ...]
    seconds: float


def _unit_names(count: int) -> list[str]:
    names = [f"{unit}党支部" for unit in UNITS[:count]]
    extra = count - len(names)
    for index in range(extra):
        town = TOWNS[index % len(TOWNS)]
        round_ = index // len(TOWNS)
        names.append(f"{town}供电所{'' if round_ == 0 else f'第{round_ + 1}'}党支部")
    return names


def plan_tree(rng: random.Random, branches: int, today: dt.date) -> tuple[Node, list[Node]]:
    """The org tree: ~200 branches per city committee, general branches of ~8, 1–3 groups each."""
    from dateutil.relativedelta import relativedelta

    from xianfeng.orgs.choices import OrgType

    def term(years: int) -> dt.date:
        return today - relativedelta(months=rng.randint(1, years * 12 + 2))

    root = Node("0001", OrgType.COMMITTEE, ROOT_NAME, "省公司党委", "国网临江省电力有限公司", 5, term(5))
    cities = max(1, round(branches / 200))
    per_city = [branches // cities + (1 if i < branches % cities else 0) for i in range(cities)]
    leaves: list[Node] = []
    for index, count in enumerate(per_city):
        city = CITIES[index % len(CITIES)] + ("" if index < len(CITIES) else str(index // len(CITIES) + 1))
        unit = f"国网{city}供电公司"
        committee = root.add(OrgType.COMMITTEE, f"{unit}党委", f"{city}公司党委", unit, 5, term(5))
        direct = max(1, count // 4)
        generals = [
            committee.add(OrgType.GENERAL_BRANCH, f"{unit}第{n + 1}党总支", "", unit, 3, term(3))
            for n in range(math.ceil((count - direct) / 8))
        ]
        for number, name in enumerate(_unit_names(count)):
            parent = committee if number < direct or not generals else generals[(number - direct) // 8]
            branch = parent.add(OrgType.BRANCH, f"{unit}{name}", name, unit, 3, term(3))
            for group in GROUP_NAMES[: rng.randint(1, 3)]:
                branch.add(OrgType.PARTY_GROUP, f"{branch.name}{group}", group, unit)
            leaves.append(branch)
    return root, leaves


def _walk(node: Node) -> list[Node]:
    out, stack = [], [node]
    while stack:
        current = stack.pop()
        out.append(current)
        stack.extend(reversed(current.children))
    return out


def insert_tree(root: Node, batch: int) -> int:
    from dateutil.relativedelta import relativedelta

    from xianfeng.orgs.models import Org

    nodes = _walk(root)
    rows = [
        Org(
            path=node.path,
            depth=len(node.path) // Org.steplen,
            numchild=len(node.children),
            name=node.name[:100],
            short_name=node.short_name[:40],
            code=f"BX{index:06d}",
            org_type=node.org_type,
            business_unit=node.business_unit,
            founded_date=dt.date(2000, 7, 1),
            term_start=node.term_start,
            term_years=node.term_years,
            term_end=node.term_start + relativedelta(years=node.term_years)
            if node.term_start and node.term_years
            else None,
        )
        for index, node in enumerate(nodes, start=1)
    ]
    Org.objects.bulk_create(rows, batch_size=batch)
    pks = dict(Org.objects.values_list("path", "pk"))
    for node in nodes:
        node.pk = pks[node.path]
    return len(nodes)


class _People:
    """Generates people branch by branch and flushes them in chunks of bulk inserts."""

    def __init__(self, rng: random.Random, today: dt.date, batch: int, log: Callable[[str], None]) -> None:
        from xianfeng.demo import IdNumbers

        self.rng, self.today, self.batch, self.log = rng, today, batch, log
        self.ids = IdNumbers()
        self.pending: list[tuple[Any, Any]] = []  # (Person, Membership) not yet inserted
        self.seq = 0
        self.created = 0
        self.veterans: dict[int, list[Any]] = {}  # branch pk → its veterans' Person rows, for posts

    def person(self, branch: Node, group_pk: int, status: str, *, veteran: bool) -> None:
        from dateutil.relativedelta import relativedelta

        from xianfeng import demo
        from xianfeng.core import crypto
        from xianfeng.people.models import Membership, Person

        rng, today = self.rng, self.today
        gender = "female" if rng.random() < 0.3 else "male"
        age = (
            rng.randint(38, 55)
            if veteran
            else rng.randint(24 if status in ("full", "probationary") else 22, 59)
        )
        birth = today - relativedelta(years=age) - dt.timedelta(days=rng.randint(1, 360))
        education = demo.random_education(rng, age)
        id_number = self.ids.make(rng, birth, gender)
        phone = demo.random_phone(rng)
        self.seq += 1
        person = Person(
            name=demo.random_name(rng, gender),
            gender=gender,
            ethnicity=demo.random_ethnicity(rng),
            birth_date=birth,
            id_number=id_number,
            id_number_hash=crypto.lookup_hash(id_number),
            phone=phone,
            phone_hash=crypto.lookup_hash(phone),
            education=education,
            employee_no=f"E{self.seq:07d}",
            business_unit=branch.business_unit,
            department=branch.short_name.removesuffix("党支部"),
            job_post=rng.choice(JOBS),
            hire_date=demo.random_hire_date(rng, birth, education, today),
        )
        dates = demo.party_dates(rng, today, birth, status, veteran=veteran)
        membership = Membership(org_id=branch.pk, party_group_id=group_pk, status=status, **dates)
        if not veteran and rng.random() < LEFT_SHARE:
            membership.left_date = today - dt.timedelta(days=rng.randint(1, 700))
            membership.left_reason = rng.choice(("transfer_out", "transfer_out", "death"))
        self.pending.append((person, membership))
        if veteran:
            self.veterans.setdefault(branch.pk or 0, []).append((person, dates["conversion_date"]))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        from xianfeng.people.choices import MembershipEventKind
        from xianfeng.people.models import Membership, MembershipEvent, Person

        if not self.pending:
            return
        people = Person.objects.bulk_create([person for person, _ in self.pending], batch_size=self.batch)
        memberships = []
        for person, membership in self.pending:
            membership.person = person
            memberships.append(membership)
        Membership.objects.bulk_create(memberships, batch_size=self.batch)
        events = [
            MembershipEvent(
                membership=m,
                kind=MembershipEventKind.JOINED,
                date=self.today,
                to_status=m.status,
                to_org_id=m.org_id,
                actor_name="bench",
            )
            for m in memberships
        ]
        events += [
            MembershipEvent(
                membership=m,
                kind=MembershipEventKind.LEFT,
                date=m.left_date,
                from_status=m.status,
                from_org_id=m.org_id,
                reason=m.left_reason,
                actor_name="bench",
            )
            for m in memberships
            if m.left_date
        ]
        MembershipEvent.objects.bulk_create(events, batch_size=self.batch)
        self.created += len(people)
        self.pending = []
        self.log(f"  {self.created:>8,} people")


def _posts(root: Node, leaves: list[Node], veterans: dict[int, list[Any]]) -> list[Any]:
    from xianfeng.people.choices import Post
    from xianfeng.people.models import PostHolding

    def holding(person: Any, conversion: dt.date, org: Node, post: str) -> PostHolding:
        start = max(org.term_start or conversion, conversion)
        return PostHolding(person=person, org_id=org.pk, post=post, start_date=start)

    committee_posts = (
        Post.SECRETARY,
        Post.ORGANIZATION_MEMBER,
        Post.PUBLICITY_MEMBER,
        Post.DISCIPLINE_MEMBER,
    )
    rows = []
    for branch in leaves:
        people = veterans[branch.pk or 0]
        for (person, conversion), post in zip(people, committee_posts, strict=False):
            rows.append(holding(person, conversion, branch, post))
        for (person, conversion), group in zip(people[len(committee_posts) :], branch.children, strict=False):
            rows.append(holding(person, conversion, group, Post.GROUP_LEADER))
    # Committees and general branches: secretary and deputy from the first branch below them.
    first_leaf = {leaf.path: leaf for leaf in leaves}
    for node in _walk(root):
        if node.org_type not in ("committee", "general_branch"):
            continue
        leaf = next(first_leaf[path] for path in sorted(first_leaf) if path.startswith(node.path))
        (secretary, c1), (deputy, c2) = veterans[leaf.pk or 0][1:3]
        rows.append(holding(secretary, c1, node, Post.SECRETARY))
        rows.append(holding(deputy, c2, node, Post.DEPUTY_SECRETARY))
    return rows


def build_dataset(
    *,
    members: int,
    branches: int,
    seed: int = 1,
    batch: int = 5000,
    today: dt.date | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> BenchResult:
    """Write the synthetic dataset into the current (empty) database and create the bench users."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from xianfeng.core.models import AuditEvent, RoleGrant
    from xianfeng.core.roles import Role
    from xianfeng.people.models import PostHolding
    from xianfeng.testing import DEMO_PASSWORD

    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    with transaction.atomic():
        root, leaves = plan_tree(rng, branches, today)
        orgs = insert_tree(root, batch)
        log(f"  {orgs:>8,} organizations ({len(leaves):,} branches)")
        generator = _People(rng, today, batch, log)
        sizes = _branch_sizes(rng, members, len(leaves))
        statuses, weights = list(STATUS_WEIGHTS), list(STATUS_WEIGHTS.values())
        for branch, size in zip(leaves, sizes, strict=True):
            groups = [group.pk for group in branch.children]
            veterans = min(size, 4 + len(groups))
            for index in range(size):
                veteran = index < veterans
                status = "full" if veteran else rng.choices(statuses, weights)[0]
                generator.person(branch, groups[index % len(groups)], status, veteran=veteran)
        generator.flush()
        posts = PostHolding.objects.bulk_create(_posts(root, leaves, generator.veterans), batch_size=batch)
        log(f"  {len(posts):>8,} posts")
        password = make_password(DEMO_PASSWORD)
        user_model = get_user_model()
        sample = leaves[len(leaves) // 2]
        for username, role, org_pk in (
            (BENCH_USERS[0], Role.COMMITTEE_ADMIN, root.pk),
            (BENCH_USERS[1], Role.BRANCH_ADMIN, sample.pk),
        ):
            user = user_model.objects.create(username=username, password=password)
            RoleGrant.objects.create(user=user, org_id=org_pk, role=role)
        AuditEvent.objects.create(
            actor_name="bench",
            source="command",
            action="bench.generate",
            message=f"members={members} branches={branches} seed={seed}",
        )
    if connection.vendor == "postgresql":  # the statistics autovacuum would gather after a bulk load
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return BenchResult(
        orgs=orgs,
        branches=len(leaves),
        members=generator.created,
        posts=len(posts),
        root_pk=root.pk or 0,
        branch_pk=sample.pk or 0,
        users=BENCH_USERS,
        seconds=time.perf_counter() - started,
    )


def _branch_sizes(rng: random.Random, members: int, branches: int) -> list[int]:
    """Sizes around the mean (half to one and a half times), summing to `members`; at least 8 each."""
    mean = members / branches
    raw = [rng.uniform(0.5, 1.5) * mean for _ in range(branches)]
    scale = members / sum(raw)
    sizes = [max(8, int(value * scale)) for value in raw]
    diff = members - sum(sizes)
    index = 0
    while diff != 0:
        step = 1 if diff > 0 else -1
        if sizes[index % branches] + step >= 8:
            sizes[index % branches] += step
            diff -= step
        index += 1
    return sizes


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=100_000)
    parser.add_argument("--branches", type=int, default=3_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=5000, help="rows per bulk insert")
    parser.add_argument("--reset", action="store_true", help="drop the benchmark database and start afresh")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    if args.members < args.branches * 8:
        parser.error(
            "--members must be at least 8 per branch (each branch has its committee and group leaders)"
        )
    target = resolve_target(args.database_url, args.sqlite_path, allow_dev=args.allow_dev_database)
    prepare(target, reset=args.reset)
    start_django(target)
    from django.core.management import call_command

    from xianfeng.orgs.models import Org

    print(f"Database: {target.describe()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.1f} s")
    if Org.objects.exists():
        raise SystemExit("The benchmark database already has data; pass --reset to start afresh.")
    result = build_dataset(
        members=args.members, branches=args.branches, seed=args.seed, batch=args.batch, log=print
    )
    print(
        f"Generated {result.members:,} members in {result.branches:,} branches ({result.orgs:,} organizations, "
        f"{result.posts:,} posts) in {result.seconds:.1f} s."
    )
    print(
        f"Users (password Demo@2026): {result.users[0]} (committee admin on the root), "
        f"{result.users[1]} (branch admin of org {result.branch_pk})"
    )


if __name__ == "__main__":
    main()
