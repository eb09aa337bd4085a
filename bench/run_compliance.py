"""The compliance matrix on the benchmark dataset: 3,000 branches × 12 months, against a hand-written SQL
aggregate over the same activity rows.

    .venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset   # once
    .venv/bin/python bench/generate_activities.py                                 # a year of activities
    .venv/bin/python bench/run_compliance.py
    .venv/bin/python bench/run_compliance.py --database-url postgres://postgres@127.0.0.1:5432/xianfeng_bench

What is measured (in-process, no HTTP), each --repeat times, alternating so that both see the same
machine load; the table shows the best and the median run:
- matrix: `compliance.selectors.matrix()` for the whole tree and the generated year, as the
  committee pages compute it: every obligation × subject × period (about 176,000 findings), rolled
  up into branch × month cells with a score per branch; its query count;
- engine only: `compliance.engine.findings()` (evidence=False) alone;
- engine with TruncMonth: the same with grouping="trunc", the alternative the engine does not use;
- SQL aggregate: one hand-written `GROUP BY org, kind, month` over the year's held activities
  (fetched), the floor any engine must read;
- pages: the matrix page (40 branches per page) and the classification page (all branches) through
  Django's test client as the committee administrator.
Targets: matrix ≤ 2 s, matrix ÷ SQL aggregate ≤ 3. Results are also written to
bench/out/compliance-<vendor>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import shlex
import statistics
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `xianfeng` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, add_database_arguments, resolve_target, start_django

MATRIX_TARGET_S = 2.0
RATIO_TARGET = 3.0
OUT_DIR = REPO / "bench" / "out"


def sql_aggregate(year: int) -> int:
    """The hand-written floor: held activities of the year per org, kind and local month."""
    from django.db import connection

    from xianfeng.compliance.engine import local_midnight

    start, end = local_midnight(dt.date(year, 1, 1)), local_midnight(dt.date(year + 1, 1, 1))
    if connection.vendor == "postgresql":
        sql = (
            "SELECT org_id, kind_id, date_trunc('month', held_start AT TIME ZONE 'Asia/Shanghai') AS m, COUNT(*) "
            "FROM activities_activity WHERE status = 'held' AND held_start >= %s AND held_start < %s "
            "GROUP BY org_id, kind_id, m"
        )
        params: list[Any] = [start, end]
    else:  # SQLite stores UTC text; Asia/Shanghai is UTC+8 all year
        sql = (
            "SELECT org_id, kind_id, strftime('%%Y-%%m', held_start, '+8 hours') AS m, COUNT(*) "
            "FROM activities_activity WHERE status = 'held' AND held_start >= %s AND held_start < %s "
            "GROUP BY org_id, kind_id, m"
        )
        params = [
            connection.ops.adapt_datetimefield_value(start),
            connection.ops.adapt_datetimefield_value(end),
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return len(cursor.fetchall())


def timed(fn: Any) -> tuple[float, Any, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        value = fn()
        seconds = time.perf_counter() - started
    return seconds, value, len(queries.captured_queries)


def page(client: Any, url: str, repeat: int) -> dict[str, Any]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm-up
    samples = []
    status = 0
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    query_count = len(queries.captured_queries)  # now: each request clears the log (request_started)
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - started)
        status = response.status_code
    return {
        "url": url,
        "status": status,
        "queries": query_count,
        "best": min(samples),
        "median": statistics.median(samples),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--year", type=int, help="The generated year (default: last year)")
    parser.add_argument("--repeat", type=int, default=7, help="Timed runs of each measure (default 7)")
    parser.add_argument("--no-pages", action="store_true", help="Skip the page measurements")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    target = resolve_target(args.database_url, args.sqlite_path, allow_dev=args.allow_dev_database)
    start_django(target, debug=False)
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from xianfeng.activities.models import Activity, Attendance
    from xianfeng.compliance import selectors
    from xianfeng.compliance.engine import Engine, Scope
    from xianfeng.orgs.models import Org

    year = args.year or timezone.localdate().year - 1
    today = dt.date(year + 1, 1, 15)  # every period of the year decided
    root = Org.objects.filter(depth=1).order_by("path").first()
    if root is None:
        raise SystemExit("No organizations: run bench/generate.py and bench/generate_activities.py first.")
    scope = Scope.subtree(root)
    activities = Activity.objects.filter(held_start__year=year).count()
    if not activities:
        raise SystemExit(f"No activities in {year}: run bench/generate_activities.py first.")
    attendance = Attendance.objects.count()
    branches = Org.objects.filter(org_type="branch").count()
    print(f"Database: {target.describe()} ({connection.vendor})")
    print(
        f"Dataset: {branches:,} branches, {Org.objects.count():,} orgs, {activities:,} activities in {year}, {attendance:,} attendance rows"
    )

    def run_matrix() -> Any:
        return selectors.matrix(scope=scope, year=year, today=today)

    def run_engine(grouping: str) -> Any:
        return lambda: Engine(
            scope=scope,
            start=dt.date(year, 1, 1),
            end=dt.date(year, 12, 31),
            today=today,
            evidence=False,
            grouping=grouping,
        ).run()

    measures = {
        "matrix": run_matrix,
        "engine": run_engine("filter"),
        "engine_trunc": run_engine("trunc"),
        "sql": lambda: sql_aggregate(year),
    }
    samples: dict[str, list[float]] = {name: [] for name in measures}
    info: dict[str, Any] = {}
    for name, fn in measures.items():  # warm-up: caches, connections, imports
        _seconds, value, queries = timed(fn)
        info[name] = {"queries": queries}
        if name == "matrix":
            cells = sum(len(row.cells) for row in value.rows)
            info[name] |= {"rows": len(value.rows), "cells": cells}
        elif name.startswith("engine"):
            info[name]["findings"] = len(value)
        else:
            info[name]["groups"] = value
    for _ in range(args.repeat):  # alternate, so that each measure sees the same machine load
        for name, fn in measures.items():
            samples[name].append(timed(fn)[0])
    best = {name: min(values) for name, values in samples.items()}
    median = {name: statistics.median(values) for name, values in samples.items()}
    ratio_best = best["matrix"] / best["sql"]
    ratio_median = median["matrix"] / median["sql"]

    print()
    print(f"{'measure':<34} {'best':>9} {'median':>9} {'queries':>8}  notes")
    labels = {
        "matrix": "matrix, 3,000 branches × 12 months",
        "engine": "engine only (findings)",
        "engine_trunc": "engine with TruncMonth",
        "sql": "hand-written SQL aggregate",
    }
    for name in measures:
        extra = ", ".join(f"{k} {v:,}" for k, v in info[name].items() if k != "queries")
        print(
            f"{labels[name]:<34} {best[name]:>8.3f}s {median[name]:>8.3f}s {info[name]['queries']:>8}  {extra}"
        )
    ok_time = best["matrix"] <= MATRIX_TARGET_S
    ok_ratio = ratio_best <= RATIO_TARGET
    print(f"{'matrix ÷ SQL aggregate':<34} {ratio_best:>8.2f}× {ratio_median:>8.2f}×")
    print(
        f"target matrix ≤ {MATRIX_TARGET_S:.0f} s: {'PASS' if ok_time else 'FAIL'}; ratio ≤ {RATIO_TARGET:.0f}×: {'PASS' if ok_ratio else 'FAIL'}"
    )

    pages: list[dict[str, Any]] = []
    if not args.no_pages:
        from django.contrib.auth import get_user_model

        client = Client()
        user = get_user_model().objects.filter(username="bench_committee").first()
        if user is not None:
            client.force_login(user)
            for name, url in (
                ("matrix page (40 branches)", f"/compliance/matrix/?org={root.pk}&year={year}"),
                ("classification page (all)", f"/compliance/classification/?org={root.pk}&year={year}"),
            ):
                result = page(client, url, max(3, args.repeat // 2))
                result["name"] = name
                pages.append(result)
                print(
                    f"{name:<34} {result['best']:>8.3f}s {result['median']:>8.3f}s {result['queries']:>8}  HTTP {result['status']}"
                )

    command = " ".join(
        shlex.quote(a)
        for a in [
            ".venv/bin/python",
            "bench/run_compliance.py",
            *(argv if argv is not None else sys.argv[1:]),
        ]
    )
    print(f"\nReproduce: {command}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = OUT_DIR / f"compliance-{connection.vendor}-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "database": target.describe(),
                "vendor": connection.vendor,
                "python": platform.python_version(),
                "year": year,
                "activities": activities,
                "attendance": attendance,
                "branches": branches,
                "best": best,
                "median": median,
                "samples": samples,
                "info": info,
                "ratio_best": ratio_best,
                "ratio_median": ratio_median,
                "pages": pages,
                "command": command,
            },
            indent=1,
            ensure_ascii=False,
        ),
        encoding="utf-8",
    )
    print(f"Written to {out.relative_to(REPO)}")


if __name__ == "__main__":
    main()
