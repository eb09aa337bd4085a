"""A year of organizational life for the benchmark dataset of bench/generate.py, with bulk inserts.

    .venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset   # first, once
    .venv/bin/python bench/generate_activities.py                                 # var/bench.sqlite3
    .venv/bin/python bench/generate_activities.py \
        --database-url postgres://postgres@127.0.0.1:5432/xianfeng_bench

For every branch: a theme day and a committee meeting each month, a general meeting and a party
lecture (by the secretary) each quarter, the organizational-life meeting in Q4 and the member
appraisal; for every party group a group meeting each month; for every committee the central-group
study each quarter and the democratic life meeting. Each planned meeting is skipped with probability
--skip (default 12 %), so the compliance matrix has misses to find. Attendance rows (present 85 %,
leave 10 %, absent 5 %) for theme days, general meetings, organizational-life meetings and group
meetings (the party members of the branch or group) and committee meetings (the post holders).
About 150,000 activities and 2 million attendance rows for 3,000 branches.

Activities go in with bulk_create; attendance with COPY on PostgreSQL and executemany on SQLite.
No audit rows per activity (one `bench.generate_activities` event). --replace deletes the year's
activities first, so the script can be re-run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `xianfeng` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import add_database_arguments, prepare, resolve_target, start_django

ATTENDANCE_WEIGHTS = (("present", 85), ("leave", 10), ("absent", 5))
LEAVE_REASONS = ("出差", "值班", "病假", "培训")
COLUMNS = ("activity_id", "person_id", "status", "reason", "source", "created", "updated")


def _day(rng: random.Random, year: int, month: int) -> dt.date:
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, rng.randint(1, last))


class Writer:
    """Collects activities with their attendance lists and flushes them in batches."""

    def __init__(self, rng: random.Random, batch: int, log: Callable[[str], None]) -> None:
        from django.utils import timezone

        from xianfeng.activities.models import ActivityKind

        self.rng, self.batch, self.log = rng, batch, log
        self.kinds = dict(ActivityKind.objects.values_list("code", "pk"))
        self.tz = timezone.get_current_timezone()
        self.now = timezone.now()
        self.pending: list[tuple[Any, list[int]]] = []
        self.activities = 0
        self.attendance = 0
        statuses, weights = zip(*ATTENDANCE_WEIGHTS, strict=True)
        self.statuses, self.weights = list(statuses), list(weights)

    def add(
        self,
        kind: str,
        org_id: int,
        day: dt.date,
        title: str,
        attendees: list[int],
        host: int | None,
        lecturer: int | None = None,
    ) -> None:
        from xianfeng.activities.models import Activity

        start = dt.datetime.combine(day, dt.time(self.rng.choice((9, 14, 15, 19)), 30), tzinfo=self.tz)
        activity = Activity(
            code=uuid.uuid4(),
            kind_id=self.kinds[kind],
            org_id=org_id,
            title=title,
            status="held",
            planned_start=start,
            held_start=start,
            held_end=start + dt.timedelta(hours=2),
            host_id=host,
            recorder_id=host,
            lecturer_id=lecturer,
            place="党员活动室",
            minutes="（会议记录）",
            checkin_token=uuid.uuid4().hex[:22],
        )
        self.pending.append((activity, attendees))
        if len(self.pending) >= self.batch:
            self.flush()

    def _rows(self, created: list[tuple[Any, list[int]]]) -> Iterator[tuple[Any, ...]]:
        rng, now = self.rng, self.now
        for activity, attendees in created:
            for person in attendees:
                status = rng.choices(self.statuses, self.weights)[0]
                reason = rng.choice(LEAVE_REASONS) if status == "leave" else ""
                yield (activity.pk, person, status, reason, "manual", now, now)

    def flush(self) -> None:
        from django.db import connection

        from xianfeng.activities.models import Activity

        if not self.pending:
            return
        Activity.objects.bulk_create([a for a, _ in self.pending], batch_size=self.batch)
        rows = list(self._rows(self.pending))
        table = "activities_attendance"
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                raw = cursor.cursor
                with raw.copy(f"COPY {table} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(COLUMNS))
                cursor.executemany(f"INSERT INTO {table} ({', '.join(COLUMNS)}) VALUES ({marks})", rows)
        self.activities += len(self.pending)
        self.attendance += len(rows)
        self.pending = []
        self.log(f"  {self.activities:>8,} activities, {self.attendance:>10,} attendance rows")


def build_year(
    *, year: int, seed: int = 1, skip: float = 0.12, batch: int = 5000, log: Callable[[str], None] = print
) -> tuple[int, int, float]:
    """Write the year's activities and attendance; returns (activities, attendance rows, seconds)."""
    from django.db import transaction
    from django.db.models import Q

    from xianfeng.core.models import AuditEvent
    from xianfeng.orgs.models import Org
    from xianfeng.people.models import Membership, PostHolding

    started = time.perf_counter()
    rng = random.Random(seed)
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    orgs = list(Org.objects.filter(status="active").values_list("pk", "path", "org_type").order_by("path"))
    members: dict[int, list[int]] = defaultdict(list)
    groups: dict[int, list[int]] = defaultdict(list)
    for person, org_id, group_id in (
        Membership.objects.filter(status__in=("full", "probationary"), admission_date__lte=last)
        .filter(Q(left_date__isnull=True) | Q(left_date__gt=first))
        .values_list("person_id", "org_id", "party_group_id")
    ):
        members[org_id].append(person)
        if group_id:
            groups[group_id].append(person)
    posts: dict[int, dict[str, int]] = defaultdict(dict)
    for person, org_id, post in PostHolding.objects.filter(end_date__isnull=True).values_list(
        "person_id", "org_id", "post"
    ):
        posts[org_id][post] = person
    writer = Writer(rng, batch, log)

    def maybe() -> bool:
        return rng.random() >= skip

    with transaction.atomic():
        for org_id, _path, org_type in orgs:
            held_by = posts[org_id]
            secretary = held_by.get("secretary") or held_by.get("group_leader")
            if org_type == "branch":
                people = members[org_id]
                committee = list(held_by.values())
                for month in range(1, 13):
                    if maybe():
                        writer.add(
                            "theme_day",
                            org_id,
                            _day(rng, year, month),
                            f"{month}月主题党日",
                            people,
                            secretary,
                        )
                    if maybe():
                        writer.add(
                            "committee_meeting",
                            org_id,
                            _day(rng, year, month),
                            f"{month}月支委会",
                            committee,
                            secretary,
                        )
                for quarter in range(4):
                    if maybe():
                        day = _day(rng, year, quarter * 3 + rng.randint(1, 3))
                        writer.add(
                            "general_meeting", org_id, day, f"第{quarter + 1}季度党员大会", people, secretary
                        )
                    if maybe():
                        day = _day(rng, year, quarter * 3 + rng.randint(1, 3))
                        writer.add(
                            "party_lecture", org_id, day, f"第{quarter + 1}季度党课", [], secretary, secretary
                        )
                if maybe():
                    writer.add(
                        "org_life_meeting",
                        org_id,
                        _day(rng, year, rng.randint(10, 12)),
                        "组织生活会",
                        people,
                        secretary,
                    )
                if maybe():
                    writer.add(
                        "member_appraisal",
                        org_id,
                        _day(rng, year, rng.randint(10, 12)),
                        "民主评议党员",
                        [],
                        secretary,
                    )
            elif org_type == "party_group":
                people = groups[org_id]
                for month in range(1, 13):
                    if maybe():
                        writer.add(
                            "group_meeting",
                            org_id,
                            _day(rng, year, month),
                            f"{month}月党小组会",
                            people,
                            secretary,
                        )
            elif org_type == "committee":
                for quarter in range(4):
                    if maybe():
                        day = _day(rng, year, quarter * 3 + rng.randint(1, 3))
                        writer.add(
                            "central_group_study",
                            org_id,
                            day,
                            f"第{quarter + 1}季度中心组学习",
                            [],
                            secretary,
                        )
                if maybe():
                    day = _day(rng, year, rng.randint(10, 12))
                    writer.add("democratic_life_meeting", org_id, day, "领导班子民主生活会", [], secretary)
                if maybe():
                    day = _day(rng, year, rng.randint(3, 11))
                    writer.add("party_lecture", org_id, day, "书记讲党课", [], secretary, secretary)
        writer.flush()
        AuditEvent.objects.create(
            actor_name="bench",
            source="command",
            action="bench.generate_activities",
            message=f"year={year} seed={seed} activities={writer.activities} attendance={writer.attendance}",
        )
    return writer.activities, writer.attendance, time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--year", type=int, help="Calendar year to fill (default: last year, so it is all in the past)"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", type=float, default=0.12, help="Share of meetings not held (default 0.12)")
    parser.add_argument("--batch", type=int, default=5000, help="Activities per bulk insert")
    parser.add_argument("--replace", action="store_true", help="Delete the year's activities first")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    target = resolve_target(args.database_url, args.sqlite_path, allow_dev=args.allow_dev_database)
    prepare(target)
    start_django(target)
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from xianfeng.activities.models import Activity
    from xianfeng.compliance.engine import local_midnight
    from xianfeng.orgs.models import Org

    year = args.year or timezone.localdate().year - 1
    print(f"Database: {target.describe()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.1f} s")
    if not Org.objects.exists():
        raise SystemExit("No organizations: run bench/generate.py first.")
    in_year = Activity.objects.filter(
        planned_start__gte=local_midnight(dt.date(year, 1, 1)),
        planned_start__lt=local_midnight(dt.date(year + 1, 1, 1)),
    )
    if in_year.exists():
        if not args.replace:
            raise SystemExit(
                f"The database already has activities in {year}; pass --replace to generate them again."
            )
        started = time.perf_counter()
        deleted, _by_model = in_year.delete()  # the ORM's cascade: attendance, agenda items, decisions…
        print(f"  deleted {deleted:,} rows in {time.perf_counter() - started:.1f} s")
    activities, attendance, seconds = build_year(year=year, seed=args.seed, skip=args.skip, batch=args.batch)
    with connection.cursor() as cursor:  # the statistics autovacuum (or PRAGMA optimize) would gather
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE activities_activity")
            cursor.execute("ANALYZE activities_attendance")
        else:  # without them SQLite reads a page of 40 branches through the kind index: 0.17 s, not 3 ms
            cursor.execute("ANALYZE")
    print(
        f"Generated {activities:,} activities and {attendance:,} attendance rows for {year} in {seconds:.1f} s."
    )


if __name__ == "__main__":
    main()
