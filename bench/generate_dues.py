"""Party dues for the benchmark dataset of bench/generate.py: two years of bases and payments, in bulk.

    .venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset   # first, once
    .venv/bin/python bench/generate_dues.py                                       # var/bench.sqlite3
    .venv/bin/python bench/generate_dues.py \
        --database-url postgres://postgres@127.0.0.1:5432/xianfeng_bench

For every party member (probationary or full, including those who left, for the months they were
members): a base for last year and this year (employed: after-tax pay 4,000–15,000 yuan with a raise
in January; members of the 离退休 branches: a pension of 3,000–9,000 yuan), the amount from the
built-in rate schedule in force on 1 January; regular payments for every month owed from January of
last year (or the acceptance month, DUES-10) to last month, and for this month for about half of the
members; a few reductions and exemptions approved by the branch's parent (DUES-09) and voluntary extra
payments. About 5 % of the members are in arrears at the end: a trailing run of 1–12 unpaid months
(so some have the 3-month warning and some the 6-month DUES-13 finding), a third of the long runs
with a recorded reason; 2 % more miss one month in the middle. The top committee remits 5 % upward and
the city committees 10 %, with last year's remittance recorded. About 1.9 million payments for
100,000 members.

Rows are written in bulk, not through dues.services: a payment through the service takes a row lock,
checks the duplicate and the expected amount, validates, re-checks the scope and writes an audit
event (about six queries), so 1.9 million of them would take hours. The values follow the same rules
(rates.amount_from_brackets, the acceptance month, exempt months are not paid) and the one regular
payment per month constraint holds. Bases go in with bulk_create; payments with COPY on PostgreSQL and
executemany on SQLite. No audit rows per record: one `bench.generate_dues` event. --replace deletes
every dues row first, so the script can be re-run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `xianfeng` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import add_database_arguments, prepare, resolve_target, start_django

ARREARS_SHARE = 0.05
GAP_SHARE = 0.02  # one unpaid month in the middle
ARREARS_LENGTHS = {1: 20, 2: 15, 3: 15, 4: 10, 5: 8, 6: 8, 7: 7, 8: 6, 9: 4, 10: 3, 12: 4}
REASON_SHARE = 0.33  # of runs of 6 months or more
REASONS = ("外派援疆，组织关系未转接", "长期病休", "出国（境）学习", "失联查找中，已报告党委")
ADVANCE_SHARE = 0.5  # this month already paid
EXTRA_SHARE = 0.01
REDUCTION_SHARE = 0.003
EXEMPTION_SHARE = 0.001
METHODS = (("payroll_deduction_authorized", 60), ("online", 25), ("transfer", 10), ("cash", 5))
PAYMENT_COLUMNS = (
    "membership_id",
    "month_owed",
    "amount",
    "paid_on",
    "method",
    "collector_id",
    "paid_by_proxy",
    "kind",
    "to_centre",
    "note",
    "created",
    "updated",
)


def month_index(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


def from_index(index: int) -> dt.date:
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Counts:
    members: int = 0
    bases: int = 0
    payments: int = 0
    extras: int = 0
    in_arrears: int = 0
    warnings: int = 0
    findings: int = 0
    reasons: int = 0
    hardships: int = 0
    by_year: dict[int, Decimal] = field(default_factory=dict)  # collected per year (root's subtree)


class PaymentWriter:
    """Collects payment rows and flushes them in batches (COPY on PostgreSQL, executemany on SQLite)."""

    def __init__(self, batch: int, log: Callable[[str], None]) -> None:
        from django.db import connection
        from django.utils import timezone

        self.batch, self.log = batch, log
        self.postgres = connection.vendor == "postgresql"
        now = timezone.now()
        self.now = now if self.postgres else connection.ops.adapt_datetimefield_value(now)
        self.pending: list[tuple[Any, ...]] = []
        self.written = 0

    def add(
        self, member: int, month: dt.date, amount: Decimal, paid_on: dt.date, method: str, kind: str
    ) -> None:
        if self.postgres:
            row: tuple[Any, ...] = (member, month, amount, paid_on, method, None, "", kind, False, "")
        else:
            row = (member, month.isoformat(), str(amount), paid_on.isoformat(), method, None, "", kind, 0, "")
        self.pending.append((*row, self.now, self.now))
        if len(self.pending) >= self.batch:
            self.flush()

    def flush(self) -> None:
        from django.db import connection

        if not self.pending:
            return
        table = "dues_duespayment"
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {table} ({', '.join(PAYMENT_COLUMNS)}) FROM STDIN") as copy:
                    for row in self.pending:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(PAYMENT_COLUMNS))
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(PAYMENT_COLUMNS)}) VALUES ({marks})", self.pending
                )
        self.written += len(self.pending)
        self.pending = []
        if self.written % (self.batch * 40) < self.batch:
            self.log(f"  {self.written:>10,} payments")


class _Schedules:
    """The built-in brackets in force on 1 January of each year (DUES-04), read once."""

    def __init__(self, years: tuple[int, ...]) -> None:
        from xianfeng.dues import rates

        self.by_year: dict[int, tuple[int, list[Any]]] = {}
        for year in years:
            schedule = rates.schedule_on(dt.date(year, 1, 1))
            brackets = [
                rates.Bracket(b.scheme, b.upper_bound, b.rate, b.fixed_min, b.fixed_max)
                for b in schedule.brackets.all()
            ]
            self.by_year[year] = (schedule.pk, brackets)

    def quote(self, year: int, category: str, base: Decimal) -> tuple[int, Decimal, bool, bool]:
        from xianfeng.dues import rates

        schedule, brackets = self.by_year[year]
        raw = rates.amount_from_brackets(brackets, category=category, base=base)
        amount, above, capped = rates.apply_ceiling(raw)
        return schedule, amount, above, capped


def _weighted(rng: random.Random, table: dict[int, int] | tuple[tuple[str, int], ...]) -> Any:
    items = list(table.items()) if isinstance(table, dict) else list(table)
    return rng.choices([k for k, _ in items], weights=[w for _, w in items])[0]


class _Dues:
    def __init__(self, rng: random.Random, today: dt.date, batch: int, log: Callable[[str], None]) -> None:
        from xianfeng.orgs.models import Org

        self.rng, self.today, self.batch, self.log = rng, today, batch, log
        self.year = today.year
        self.first = month_index(dt.date(today.year - 1, 1, 1))
        self.last = month_index(today) - 1  # the last ended month
        self.schedules = _Schedules((today.year - 1, today.year))
        orgs = list(Org.objects.values_list("pk", "path", "name"))
        by_path = {path: pk for pk, path, _name in orgs}
        self.parent = {pk: by_path.get(path[: -Org.steplen]) for pk, path, _name in orgs}
        self.retired_orgs = {pk for pk, _path, name in orgs if "离退休" in name}
        self.bases: list[Any] = []
        self.reasons: list[Any] = []
        self.payments = PaymentWriter(batch, log)
        self.counts = Counts()

    def member(self, pk: int, org_id: int, start: dt.date, left: dt.date | None) -> None:
        from xianfeng.dues.choices import DuesCategory, Hardship, PaymentKind
        from xianfeng.dues.models import ArrearsReason, DuesBase

        rng = self.rng
        first = max(self.first, month_index(start))
        end = min(self.last, month_index(left)) if left else self.last
        years = [
            y
            for y in (self.year - 1, self.year)
            if month_index(dt.date(y, 12, 1)) >= first and (left is None or left.year >= y)
        ]
        if not years:
            return
        self.counts.members += 1
        retired = org_id in self.retired_orgs
        category = DuesCategory.RETIRED if retired else DuesCategory.EMPLOYED
        base = Decimal(round(rng.uniform(3000, 9000) if retired else rng.triangular(4000, 15000, 7000), -1))
        amounts: dict[int, Decimal] = {}
        exempt: set[int] = set()
        reduced: dict[int, Decimal] = {}
        for year in years:
            if year == self.year:
                base = (base * Decimal(1 + rng.uniform(0, 0.05))).quantize(Decimal("10"))
            schedule, amount, above, capped = self.schedules.quote(year, category, base)
            row = DuesBase(
                membership_id=pk,
                year=year,
                category=category,
                base=base,
                monthly_amount=amount,
                above_soft_ceiling=above,
                capped=capped,
                schedule_id=schedule,
            )
            amounts[year] = amount
            if year == self.year and rng.random() < REDUCTION_SHARE + EXEMPTION_SHARE:
                exemption = rng.random() < EXEMPTION_SHARE / (REDUCTION_SHARE + EXEMPTION_SHARE)
                row.hardship = Hardship.EXEMPTION if exemption else Hardship.REDUCTION
                row.hardship_amount = None if exemption else (amount / 2).quantize(Decimal("0.01"))
                row.hardship_reason = "家庭遭遇重大变故，经支部研究、党委批准"
                row.hardship_approved_by_id = self.parent[org_id]
                row.hardship_from, row.hardship_to = dt.date(self.year, 3, 1), dt.date(self.year, 12, 1)
                covered = range(month_index(row.hardship_from), month_index(row.hardship_to) + 1)
                if exemption:
                    exempt.update(covered)
                else:
                    reduced.update({i: row.hardship_amount for i in covered if row.hardship_amount})
                self.counts.hardships += 1
            self.bases.append(row)
        owed = [i for i in range(first, end + 1) if i not in exempt and from_index(i).year in amounts]
        unpaid: set[int] = set()
        draw = rng.random()
        if draw < ARREARS_SHARE and owed:
            length = min(_weighted(rng, ARREARS_LENGTHS), len(owed))
            run = owed[-length:]
            unpaid.update(run)
            self.counts.in_arrears += 1
            self.counts.warnings += length >= 3
            if length >= 6 and rng.random() < REASON_SHARE:
                self.reasons.append(
                    ArrearsReason(
                        membership_id=pk,
                        from_month=from_index(run[0]),
                        to_month=from_index(run[-1]),
                        reason=rng.choice(REASONS),
                    )
                )
                self.counts.reasons += 1
            elif length >= 6:
                self.counts.findings += 1
        elif draw < ARREARS_SHARE + GAP_SHARE and len(owed) > 2:
            unpaid.add(rng.choice(owed[:-1]))
        method = _weighted(rng, METHODS)
        paid = [i for i in owed if i not in unpaid]
        this_month = month_index(self.today)
        if not unpaid and left is None and this_month not in exempt and rng.random() < ADVANCE_SHARE:
            paid.append(this_month)
        for index in paid:
            month = from_index(index)
            amount = reduced.get(index, amounts[month.year])
            paid_on = min(month + dt.timedelta(days=rng.randint(3, 25)), self.today)
            self.payments.add(pk, month, amount, paid_on, method, PaymentKind.REGULAR)
            self.counts.by_year[month.year] = self.counts.by_year.get(month.year, Decimal(0)) + amount
        if paid and rng.random() < EXTRA_SHARE:
            month = from_index(rng.choice(paid))
            paid_on = min(month + dt.timedelta(days=rng.randint(3, 25)), self.today)
            extra = Decimal(rng.choice((100, 200, 300, 500)))
            self.payments.add(pk, month, extra, paid_on, "transfer", PaymentKind.VOLUNTARY_EXTRA)
            self.counts.extras += 1
        if len(self.bases) >= self.batch:
            self.flush()

    def flush(self) -> None:
        from xianfeng.dues.models import ArrearsReason, DuesBase

        DuesBase.objects.bulk_create(self.bases, batch_size=self.batch)
        ArrearsReason.objects.bulk_create(self.reasons, batch_size=self.batch)
        self.counts.bases += len(self.bases)
        self.bases, self.reasons = [], []
        self.payments.flush()


def _members() -> Iterator[tuple[int, int, dt.date, dt.date | None]]:
    from xianfeng.people.choices import PARTY_MEMBER_STATUSES
    from xianfeng.people.models import Membership

    rows = (
        Membership.objects.filter(status__in=PARTY_MEMBER_STATUSES)
        .values_list("pk", "org_id", "admission_date", "conversion_date", "left_date")
        .order_by("pk")
    )
    for pk, org_id, admission, conversion, left in rows.iterator(chunk_size=10_000):
        start = admission or conversion
        if start is not None:
            yield pk, org_id, start.replace(day=1), left


def _remittances(today: dt.date, collected: dict[int, Decimal]) -> None:
    from xianfeng.dues.models import Remittance, RemittanceRatio
    from xianfeng.orgs.models import Org

    root = Org.objects.filter(depth=1).order_by("path").first()
    assert root is not None
    first = dt.date(today.year - 1, 1, 1)
    ratios = [RemittanceRatio(org=root, valid_from=first, ratio=Decimal("0.05"), note="省公司党委（bench）")]
    for city in Org.objects.filter(depth=2, org_type="committee"):
        ratios.append(
            RemittanceRatio(org=city, valid_from=first, ratio=Decimal("0.10"), note="上级党委决定（bench）")
        )
    RemittanceRatio.objects.bulk_create(ratios)
    last_year = collected.get(today.year - 1, Decimal(0))
    Remittance.objects.create(
        org=root,
        period_start=first,
        period_end=dt.date(today.year - 1, 12, 1),
        amount=(last_year * Decimal("0.05")).quantize(Decimal("0.01")),
        remitted_on=dt.date(today.year, 4, 20),
        reference="bench",
    )


def build_dues(
    *, seed: int = 1, batch: int = 5000, today: dt.date | None = None, log: Callable[[str], None] = print
) -> tuple[Counts, float]:
    """Write two years of dues for the dataset's party members; returns the counts and seconds."""
    from django.db import transaction
    from django.utils import timezone

    from xianfeng.core.models import AuditEvent

    started = time.perf_counter()
    today = today or timezone.localdate()
    with transaction.atomic():
        dues = _Dues(random.Random(seed), today, batch, log)
        for pk, org_id, start, left in _members():
            dues.member(pk, org_id, start, left)
        dues.flush()
        _remittances(today, dues.counts.by_year)
        counts = dues.counts
        counts.payments = dues.payments.written
        AuditEvent.objects.create(
            actor_name="bench",
            source="command",
            action="bench.generate_dues",
            message=f"seed={seed} members={counts.members} bases={counts.bases} payments={counts.payments}",
        )
    return counts, time.perf_counter() - started


def delete_dues() -> int:
    """Every dues row, children first (payments and adjustments have no dependants: one DELETE each)."""
    from xianfeng.dues.models import (
        ArrearsReason,
        DuesBase,
        DuesBaseAdjustment,
        DuesPayment,
        Remittance,
        RemittanceRatio,
    )

    total = 0
    for model in (DuesPayment, DuesBaseAdjustment, DuesBase, ArrearsReason, Remittance, RemittanceRatio):
        deleted, _by_model = model.objects.all().delete()
        total += deleted
    return total


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--batch", type=int, default=5000, help="Rows per bulk insert")
    parser.add_argument("--replace", action="store_true", help="Delete every dues row first")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    target = resolve_target(args.database_url, args.sqlite_path, allow_dev=args.allow_dev_database)
    prepare(target)
    start_django(target)
    from django.core.management import call_command
    from django.db import connection

    from xianfeng.dues.models import DuesBase
    from xianfeng.orgs.models import Org

    print(f"Database: {target.describe()}")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"  migrated in {time.perf_counter() - started:.1f} s")
    if not Org.objects.exists():
        raise SystemExit("No organizations: run bench/generate.py first.")
    if DuesBase.objects.exists():
        if not args.replace:
            raise SystemExit("The database already has dues; pass --replace to generate them again.")
        started = time.perf_counter()
        print(f"  deleted {delete_dues():,} rows in {time.perf_counter() - started:.1f} s")
    counts, seconds = build_dues(seed=args.seed, batch=args.batch)
    with connection.cursor() as cursor:  # the statistics autovacuum (or PRAGMA optimize) would gather
        if connection.vendor == "postgresql":
            for table in ("dues_duesbase", "dues_duespayment", "dues_arrearsreason"):
                cursor.execute(f"ANALYZE {table}")
        else:
            cursor.execute("ANALYZE")
    print(
        f"Generated dues for {counts.members:,} members in {seconds:.1f} s: {counts.bases:,} bases "
        f"({counts.hardships:,} reductions or exemptions), {counts.payments:,} payments "
        f"({counts.extras:,} voluntary extra); {counts.in_arrears:,} members in arrears at the end "
        f"({counts.warnings:,} of 3+ months, {counts.findings:,} of 6+ months without a reason, "
        f"{counts.reasons:,} with a reason)."
    )


if __name__ == "__main__":
    main()
