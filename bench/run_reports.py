"""The annual summary of the whole synthetic province: facts + Word document, and the whole job.

    .venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset   # once
    .venv/bin/python bench/generate_activities.py                                 # a year of activities
    .venv/bin/python bench/generate_dues.py                                       # two years of dues
    .venv/bin/python bench/run_reports.py
    .venv/bin/python bench/run_reports.py --database-url postgres://postgres@127.0.0.1:5432/xianfeng_bench

What is measured (in-process, no HTTP), each --repeat times; the table shows the best and the median
run, the CPU time of this process and the query count:
- facts: `reports.facts.compute()` of the root for the year of the activities (last year by default),
  every area (members, development, activities, transfers, dues, compliance, …) with the ids of the
  records behind every figure;
- docx: the default template rendered against those facts and laid out in the GB/T 9704 profile;
- facts + docx: the two together (the target: ≤ 10 s);
- job: the whole build as the UI runs it (`reports.jobs.run`: facts, template, docx, checks, the
  snapshot with every id, one transaction), inside a transaction rolled back afterwards so the
  database stays as generated;
- pdf (with --pdf, when LibreOffice is installed): the conversion of the document.
Results are also written to bench/out/reports-<vendor>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `xianfeng` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, add_database_arguments, resolve_target, start_django

TARGET_S = 10.0
OUT_DIR = REPO / "bench" / "out"


class Rollback(Exception):
    pass


def timed(fn: Callable[[], Any]) -> tuple[float, float, Any, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        wall, cpu = time.perf_counter(), time.process_time()
        value = fn()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return wall, cpu, value, len(queries.captured_queries)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="Timed runs of each measure (default 3)")
    parser.add_argument("--year", type=int, help="Year of the summary (default: last year)")
    parser.add_argument("--pdf", action="store_true", help="Also convert to PDF (LibreOffice)")
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    target = resolve_target(args.database_url, args.sqlite_path, allow_dev=args.allow_dev_database)
    start_django(target, debug=False)
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from xianfeng.orgs.models import Org
    from xianfeng.people.models import Membership
    from xianfeng.reports import docx_builder, facts, jobs, pdf, profile, services, template
    from xianfeng.reports.models import JobStatus, ReportJob

    call_command("migrate", verbosity=0)
    today = timezone.localdate()
    year = args.year or today.year - 1
    root = Org.objects.filter(depth=1).order_by("path").first()
    if root is None:
        raise SystemExit(
            "No data: run bench/generate.py (and generate_activities.py, generate_dues.py) first."
        )
    print(
        f"Database: {target.describe()} ({connection.vendor}); {root.name}, {year}; "
        f"{Membership.objects.count():,} people, {Org.objects.count():,} orgs"
    )
    period = facts.Period.year(year)

    def run_facts() -> facts.FactSet:
        return facts.compute(root, period, today=today)

    def run_docx(fact_set: facts.FactSet) -> bytes:
        variables = template.variables_for(root.name, year, period.label(), today)
        blocks = template.parse(template.default_text(), services.declared_names(), variables)
        return docx_builder.build(
            blocks=blocks, facts=fact_set.facts, areas=fact_set.by_area(), profile=profile.GBT_9704
        )

    def run_both() -> bytes:
        return run_docx(run_facts())

    def run_job() -> str:
        result = ""
        try:
            with transaction.atomic():
                job = ReportJob.objects.create(org=root, start=period.start, end=period.end)
                done = jobs.run(job.pk, today=today)
                result = f"{done.status}, snapshot {len(json.dumps(done.document.facts)) if done.document else 0:,} bytes"
                if done.status != JobStatus.DONE:
                    result += f": {done.error}"
                raise Rollback
        except Rollback:
            pass
        return result

    fact_set = run_facts()  # warm-up, and the figures to print
    for name in ("members.party_members", "activities.held", "dues.collected", "compliance.checked"):
        f = fact_set[name]
        print(f"  {f.label}: {f.display()} {f.unit} ({len(f.ids):,} records behind it)")
    measures: dict[str, Callable[[], Any]] = {
        "facts": run_facts,
        "docx": lambda: run_docx(fact_set),
        "facts + docx": run_both,
        "job (stored, rolled back)": run_job,
    }
    if args.pdf and pdf.available():
        document = run_docx(fact_set)
        measures["pdf"] = lambda: len(pdf.convert(document))
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name in measures}
    notes: dict[str, str] = {}
    for _ in range(args.repeat):
        for name, fn in measures.items():
            wall, cpu, value, queries = timed(fn)
            results[name].append((wall, cpu, queries))
            if isinstance(value, str):
                notes[name] = value
    print(f"\n{'measure':28} {'queries':>7} {'best':>8} {'median':>8} {'CPU':>8}  target")
    out: dict[str, Any] = {}
    for name, runs in results.items():
        walls = [r[0] for r in runs]
        median = statistics.median(walls)
        cpu = statistics.median(r[1] for r in runs)
        mark = ""
        if name == "facts + docx":
            mark = f"≤ {TARGET_S:g} s {'PASS' if median <= TARGET_S else 'FAIL'}"
        print(
            f"{name:28} {runs[0][2]:>7} {min(walls):>7.2f}s {median:>7.2f}s {cpu:>7.2f}s  {mark} {notes.get(name, '')}"
        )
        out[name] = {"best": min(walls), "median": median, "cpu": cpu, "queries": runs[0][2]}
    OUT_DIR.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d-%H%M%S")
    path = OUT_DIR / f"reports-{connection.vendor}-{stamp}.json"
    path.write_text(
        json.dumps(
            {
                "database": target.describe(),
                "vendor": connection.vendor,
                "year": year,
                "python": platform.python_version(),
                "results": out,
            },
            indent=2,
        )
    )
    print(f"\nWritten to {path.relative_to(REPO)}")


if __name__ == "__main__":
    main()
