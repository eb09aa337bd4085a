"""Recompute a year of "3+2" points for every party member of the benchmark dataset from their records.

    .venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset   # once
    .venv/bin/python bench/generate_activities.py                                 # last year's meetings
    .venv/bin/python bench/generate_dues.py                                       # two years of dues
    .venv/bin/python bench/run_scoring.py
    .venv/bin/python bench/run_scoring.py --database-url postgres://postgres@127.0.0.1:5432/xianfeng_bench

The script migrates the database (the scoring tables), then creates (or re-creates) one scheme from the
shipped "3+2" template on the root for last year (the year generate_activities.py fills) and puts it in
use. What is measured, each --repeat times, in-process (no HTTP):
- records → entries: `scoring.recompute.recompute_period()` of the year: delete the automatic entries,
  read attendance at organizational life (present and absent) and the regular dues paid late, and
  write one entry per member and item with the record ids as evidence (in one transaction);
- entries → results: `scoring.closing.period_compute(recompute_records=False)`: every member's total,
  the competition ranking, grades, the seed 004 §16 outcome lists, and the Result rows;
- total: the two together, which is what "compute" does for a year-long period. Target ≤ 10 s (median).
On PostgreSQL the scoring tables are vacuumed between runs (untimed), as autovacuum would between two
recomputations; without it each run also scans the dead rows of all the runs before it.
Wall-clock and CPU time of this process are shown (on SQLite the CPU time is a fair estimate of the
idle-machine time; on PostgreSQL it leaves out the server's share). Results also go to
bench/out/scoring-<vendor>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `xianfeng` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, add_database_arguments, resolve_target, start_django

TARGET_S = 10.0
OUT_DIR = REPO / "bench" / "out"
BENCH_NAME = "基准测试：党员积分"


def timed(fn: Any) -> tuple[float, float, Any, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, value, len(queries.captured_queries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs (default 3)")
    parser.add_argument("--year", type=int, default=0, help="Year to compute (default: last year)")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    target = resolve_target(args.database_url, args.sqlite_path, allow_dev=args.allow_dev_database)
    start_django(target, debug=False)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from xianfeng.activities.models import Attendance
    from xianfeng.dues.models import DuesPayment
    from xianfeng.orgs.models import Org
    from xianfeng.scoring import closing, recompute, services
    from xianfeng.scoring.models import Entry, Scheme

    call_command("migrate", verbosity=0)
    year = args.year or timezone.localdate().year - 1
    root = Org.objects.filter(depth=1).order_by("path").first()
    if root is None or not Attendance.objects.exists():
        raise SystemExit("No records: run bench/generate.py and bench/generate_activities.py first.")
    old = Scheme.objects.filter(name=BENCH_NAME)
    Entry.objects.filter(period__scheme__in=old).delete()  # entries protect their catalogue items
    old.delete()
    scheme = services.scheme_create(
        actor=None, org=root, year=year, template="member_points_3_2", data={"name": BENCH_NAME}
    )
    services.scheme_activate(actor=None, scheme=scheme)
    period = scheme.periods.get()
    print(f"Database: {target.describe()} ({connection.vendor})")
    print(
        f"Dataset: {Attendance.objects.count():,} attendance rows, {DuesPayment.objects.count():,} dues payments; "
        f"scheme “{scheme.name}” {year} on {root.name}"
    )

    def records_to_entries() -> int:
        with transaction.atomic():
            return recompute.recompute_period(period, today=dt.date(year + 1, 1, 15))

    def entries_to_results() -> int:
        period.state = "open"
        return closing.period_compute(actor=None, period=period, recompute_records=False)

    runs: dict[str, list[tuple[float, float, int]]] = {"entries": [], "results": [], "total": []}
    counts: dict[str, int] = {}
    for run in range(args.repeat):
        if connection.vendor == "postgresql":
            # Each run deletes and rewrites 150,000 entries and 90,000 results; between runs (untimed)
            # clear the dead rows as autovacuum does between two real recomputations, or every run
            # would scan all the previous runs' dead rows too.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE scoring_entry")
                cursor.execute("VACUUM ANALYZE scoring_result")
        w1, c1, entries, q1 = timed(records_to_entries)
        w2, c2, results, q2 = timed(entries_to_results)
        runs["entries"].append((w1, c1, q1))
        runs["results"].append((w2, c2, q2))
        runs["total"].append((w1 + w2, c1 + c2, q1 + q2))
        counts = {"entries": entries, "results": results}
        print(
            f"  run {run + 1}: records → entries {w1:.2f} s, entries → results {w2:.2f} s, total {w1 + w2:.2f} s"
        )
    labels = {"entries": "records → entries", "results": "entries → results", "total": "total (compute)"}
    print(f"\n{counts.get('entries', 0):,} automatic entries, {counts.get('results', 0):,} results ranked\n")
    print("| measure | queries | best | median (CPU) | target |\n|---|---|---|---|---|")
    summary: dict[str, Any] = {}
    for key, rows in runs.items():
        walls = [r[0] for r in rows]
        median = statistics.median(walls)
        cpu = statistics.median([r[1] for r in rows])
        verdict = ("PASS" if median <= TARGET_S else "FAIL") if key == "total" else ""
        target_text = f"≤ {TARGET_S:g} s {verdict}" if key == "total" else "–"
        print(
            f"| {labels[key]} | {rows[-1][2]} | {min(walls):.2f} s | {median:.2f} s ({cpu:.2f} s) | {target_text} |"
        )
        summary[key] = {"best": min(walls), "median": median, "cpu_median": cpu, "queries": rows[-1][2]}
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    out = OUT_DIR / f"scoring-{connection.vendor}-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(
        json.dumps(
            {
                "database": target.describe(),
                "python": platform.python_version(),
                "counts": counts,
                "runs": summary,
            },
            ensure_ascii=False,
            indent=2,
        ),
        encoding="utf-8",
    )
    print(f"\nWritten to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
