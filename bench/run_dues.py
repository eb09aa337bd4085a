"""Dues reads on the benchmark dataset: the collection sheet, the arrears scan and the yearly totals.

    .venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset   # once
    .venv/bin/python bench/generate_dues.py                                       # two years of dues
    .venv/bin/python bench/run_dues.py
    .venv/bin/python bench/run_dues.py --database-url postgres://postgres@127.0.0.1:5432/xianfeng_bench

What is measured (in-process, no HTTP), each --repeat times, alternating so that every measure sees
the same machine load; the table shows the best and the median run, the query count and the rows:
- sheet, largest branch: `dues.collection.collection_sheet()` of the branch with the most members, for
  last month, and the model rows of its first page (what the collection page shows);
- sheet, whole committee: the same for the root (figures over every party member of the tree,
  ~90,000 entries, and the first page of 100 rows);
- arrears scan: `dues.selectors.arrears()` over the root's subtree as of today;
- totals, last year: `dues.summaries.dues_totals()` of the root for January–December of last year, with
  the remittance due;
- API pages (unless --no-pages): the sheet of the largest branch and the first page of the committee's
  arrears through Django's test client as the committee administrator.
Besides the wall-clock time, the CPU time of this process is shown: on a busy machine it is a fair
estimate of the idle-machine time on SQLite (the database works inside the process); on PostgreSQL it
leaves out the server's share. Targets (wall-clock median): the committee's sheet and the arrears scan
≤ 5 s each. Results are also written to bench/out/dues-<vendor>-<time>.json.
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
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `xianfeng` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, add_database_arguments, resolve_target, start_django
from bench.run_compliance import page

TARGET_S = 5.0
TARGETED = ("sheet_committee", "arrears")
OUT_DIR = REPO / "bench" / "out"
LABELS = {
    "sheet_branch": "sheet, largest branch",
    "sheet_committee": "sheet, whole committee",
    "arrears": "arrears scan, whole committee",
    "totals": "totals, whole tree, last year",
}


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any, int]:
    """(wall seconds, CPU seconds of this process, the value, the number of queries)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, value, len(queries.captured_queries)


def _rows(value: Any) -> str:
    """A short description of what a measure returned."""
    if hasattr(value, "paid_count"):  # a Sheet
        return (
            f"entries {len(value.entries):,}, paid {value.paid_count:,}, collected {value.collected_total:,}"
        )
    if isinstance(value, list):  # arrears rows
        behind = sum(1 for r in value if r.unpaid_months)
        warned = sum(1 for r in value if r.warning)
        found = sum(1 for r in value if r.finding)
        return f"rows {len(value):,}, in arrears {behind:,}, warnings {warned:,}, DUES-13 {found:,}"
    total = value.total  # Totals
    return (
        f"members {total.members:,}, expected {total.expected:,}, collected {total.collected:,}, "
        f"remittance due {value.remittance_due:,}"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5, help="Timed runs of each measure (default 5)")
    parser.add_argument("--no-pages", action="store_true", help="Skip the API page measurements")
    parser.add_argument(
        "--only", default="", help="Comma-separated measures: " + ", ".join(LABELS) + " (default: all)"
    )
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    target = resolve_target(args.database_url, args.sqlite_path, allow_dev=args.allow_dev_database)
    start_django(target, debug=False)
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from xianfeng.dues.collection import collection_sheet
    from xianfeng.dues.models import DuesBase, DuesPayment
    from xianfeng.dues.selectors import arrears
    from xianfeng.dues.summaries import dues_totals
    from xianfeng.dues.views.collection import SHEET_PAGE
    from xianfeng.orgs.models import Org
    from xianfeng.people.models import Membership

    today = timezone.localdate()
    month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)  # last month: ended
    root = Org.objects.filter(depth=1).order_by("path").first()
    if root is None or not DuesBase.objects.exists():
        raise SystemExit("No dues: run bench/generate.py and bench/generate_dues.py first.")
    largest_id = (
        Membership.objects.filter(org__org_type="branch")
        .values("org_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "org_id")
        .values_list("org_id", flat=True)
        .first()
    )
    largest = Org.objects.get(pk=largest_id)
    payments = DuesPayment.objects.count()
    print(f"Database: {target.describe()} ({connection.vendor})")
    print(
        f"Dataset: {Membership.objects.count():,} memberships, {DuesBase.objects.count():,} bases, "
        f"{payments:,} payments; month {month:%Y-%m}; largest branch {largest.name} (org {largest.pk})"
    )

    def sheet_page(org: Any) -> Any:
        sheet = collection_sheet(org, month, today)
        sheet.rows_for(sheet.entries[:SHEET_PAGE])
        return sheet

    measures: dict[str, Callable[[], Any]] = {
        "sheet_branch": lambda: sheet_page(largest),
        "sheet_committee": lambda: sheet_page(root),
        "arrears": lambda: arrears(scope_orgs_or_user=[root], as_of=today),
        "totals": lambda: dues_totals(
            root, dt.date(today.year - 1, 1, 1), dt.date(today.year - 1, 12, 1), today
        ),
    }
    if args.only:
        measures = {k: v for k, v in measures.items() if k in args.only.split(",")}
    samples: dict[str, list[float]] = {name: [] for name in measures}
    cpu: dict[str, list[float]] = {name: [] for name in measures}
    info: dict[str, Any] = {}
    for name, fn in measures.items():  # warm-up: caches, connections, imports
        _wall, _cpu, value, queries = timed(fn)
        info[name] = {"queries": queries, "rows": _rows(value)}
        del value
    for _ in range(args.repeat):  # alternate, so that each measure sees the same machine load
        for name, fn in measures.items():
            wall, seconds, _value, _queries = timed(fn)
            samples[name].append(wall)
            cpu[name].append(seconds)
    best = {name: min(values) for name, values in samples.items()}
    median = {name: statistics.median(values) for name, values in samples.items()}
    cpu_median = {name: statistics.median(values) for name, values in cpu.items()}

    print()
    print(f"{'measure':<32} {'best':>9} {'median':>9} {'CPU med.':>9} {'queries':>8}  result")
    for name in measures:
        print(
            f"{LABELS[name]:<32} {best[name]:>8.3f}s {median[name]:>8.3f}s {cpu_median[name]:>8.3f}s "
            f"{info[name]['queries']:>8}  {info[name]['rows']}"
        )
    verdicts = {name: median[name] <= TARGET_S for name in TARGETED if name in median}
    if verdicts:
        print(
            f"target (median) ≤ {TARGET_S:.0f} s: "
            + "; ".join(f"{LABELS[n]}: {'PASS' if ok else 'FAIL'}" for n, ok in verdicts.items())
        )

    pages: list[dict[str, Any]] = []
    if not args.no_pages:
        from django.contrib.auth import get_user_model
        from django.test import Client

        client = Client()
        user = get_user_model().objects.filter(username="bench_committee").first()
        if user is not None:
            client.force_login(user)
            for name, url in (
                ("API sheet, largest branch", f"/api/v1/dues/sheet/?org={largest.pk}&month={month:%Y-%m}"),
                ("API arrears, committee, page 1", f"/api/v1/dues/arrears/?org={root.pk}"),
            ):
                result = page(client, url, max(3, args.repeat // 2))
                result["name"] = name
                pages.append(result)
                print(
                    f"{name:<32} {result['best']:>8.3f}s {result['median']:>8.3f}s {'':>9} {result['queries']:>8}  "
                    f"HTTP {result['status']}"
                )

    command = " ".join(
        shlex.quote(a)
        for a in [".venv/bin/python", "bench/run_dues.py", *(argv if argv is not None else sys.argv[1:])]
    )
    print(f"\nReproduce: {command}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    out = OUT_DIR / f"dues-{connection.vendor}-{stamp}.json"
    out.write_text(
        json.dumps(
            {
                "database": target.describe(),
                "vendor": connection.vendor,
                "python": platform.python_version(),
                "month": f"{month:%Y-%m}",
                "largest_branch": largest.pk,
                "payments": payments,
                "best": best,
                "median": median,
                "samples": samples,
                "cpu_samples": cpu,
                "cpu_median": cpu_median,
                "info": info,
                "verdicts": verdicts,
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
