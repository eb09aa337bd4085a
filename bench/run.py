"""Page latency and import throughput on the synthetic dataset of bench/generate.py.

    .venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset
    .venv/bin/python bench/run.py
    .venv/bin/python bench/run.py --database-url postgres://postgres@127.0.0.1:5432/xianfeng_bench

Each page is requested through Django's test client (the whole middleware stack, sessions and
templates; no network or web server) as the committee administrator of the root, after a few
warm-up requests; p50 and p95 are over --requests timed requests. The import is a 10,000-row
workbook in the template's columns, checked (the preview) and then imported (checked again and
written) inside a transaction that is rolled back, so the dataset stays as generated.
Results are printed as a table and written to bench/out/<vendor>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import platform
import shlex
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` and `xianfeng` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import REPO, add_database_arguments, resolve_target, start_django

PAGE_P95_MS = 300.0
IMPORT_ROWS_PER_S = 1000.0
OUT_DIR = REPO / "bench" / "out"


@dataclass
class Result:
    name: str
    url: str = ""
    status: str = ""  # "200", "404", "error: …"; for the import, the time it took
    queries: int | None = None
    p50_ms: float | None = None
    p95_ms: float | None = None
    rate: float | None = None  # rows per second, for the import
    target: str = ""
    passed: bool | None = None  # None: informational

    @property
    def verdict(self) -> str:
        return "-" if self.passed is None else ("PASS" if self.passed else "FAIL")


def percentile(samples: list[float], q: float) -> float:
    """Linear interpolation between closest ranks (numpy's default)."""
    ordered = sorted(samples)
    if not ordered:
        return float("nan")
    position = (len(ordered) - 1) * q
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def time_page(client: Any, name: str, url: str, *, warmup: int, requests: int) -> Result:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    result = Result(name=name, url=url, target=f"p95 ≤ {PAGE_P95_MS:.0f} ms")
    try:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        result.queries = len(queries.captured_queries)
        result.status = str(response.status_code)
        if response.status_code != 200:
            result.passed = False
            return result
        for _ in range(warmup):
            client.get(url)
        samples = []
        for _ in range(requests):
            started = time.perf_counter()
            response = client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                result.status = f"{response.status_code} (intermittent)"
                result.passed = False
                return result
    except Exception as exc:  # report, do not crash: the pages are being written while we measure
        result.status = f"error: {exc.__class__.__name__}: {exc}"[:120]
        result.passed = False
        traceback.print_exc(file=sys.stderr)
        return result
    result.p50_ms = percentile(samples, 0.50)
    result.p95_ms = percentile(samples, 0.95)
    result.passed = result.p95_ms <= PAGE_P95_MS
    return result


def import_rows(branch_codes: list[str], count: int) -> list[dict[str, Any]]:
    """Rows of new people (ID numbers from a region the generator never uses), by field name."""
    from xianfeng.people import idcard

    rows = []
    for index in range(count):
        gender = "男" if index % 3 else "女"
        birth = dt.date(1975, 1, 1) + dt.timedelta(days=index // 250)
        number = idcard.generate(
            region="110101",
            birth_date=birth,
            gender="male" if gender == "男" else "female",
            sequence=index % 250,
        )
        rows.append(
            {
                "name": f"导入测试{index:05d}",
                "id_number": number,
                "gender": gender,
                "ethnicity": "汉族",
                "birth_date": birth.isoformat(),
                "phone": f"139{index:08d}",
                "education": "大学本科",
                "employee_no": f"IMP{index:06d}",
                "business_unit": "基准测试导入单位",
                "department": "运维检修部",
                "job_post": "运维工",
                "hire_date": "2000-07-01",
                "org": branch_codes[index % len(branch_codes)],
                "status": "正式党员",
                "application_date": "1996-03-01",
                "activist_date": "1996-09-01",
                "candidate_date": "1997-10-01",
                "admission_date": "1998-07-01",
                "conversion_date": "1999-07-01",
            }
        )
    return rows


def workbook(rows: list[dict[str, Any]]) -> bytes:
    """An .xlsx in the import template's columns (people.imports.COLUMNS), ID numbers as text."""
    from openpyxl import Workbook

    from xianfeng.people import imports

    book = Workbook(write_only=True)
    sheet = book.create_sheet("党员信息")
    sheet.append([column.header for column in imports.COLUMNS])
    for row in rows:
        sheet.append([row.get(column.field) for column in imports.COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def time_import(user: Any, rows_count: int) -> list[Result]:
    from django.db import transaction

    from xianfeng.orgs.choices import OrgType
    from xianfeng.orgs.models import Org

    target = f"≥ {IMPORT_ROWS_PER_S:,.0f} rows/s"
    check_result = Result(name=f"import {rows_count:,} rows: check (preview)", target="-")
    write_result = Result(name=f"import {rows_count:,} rows: check + write", target=target)
    try:
        from xianfeng.people import imports
    except ImportError as exc:
        for result in (check_result, write_result):
            result.status, result.passed = f"missing: {exc}", False
        return [check_result, write_result]
    codes = list(
        Org.objects.filter(org_type=OrgType.BRANCH).order_by("path").values_list("code", flat=True)[:100]
    )
    data = workbook(import_rows(codes, rows_count))
    try:
        with transaction.atomic():
            started = time.perf_counter()
            check = imports.import_check(actor=user, data=data)
            checked = time.perf_counter()
            if not check.ok:
                raise RuntimeError(f"the file does not pass the check: {check.errors[:3]}")
            imports.import_file(actor=user, filename="bench.xlsx", data=data)
            finished = time.perf_counter()
            transaction.set_rollback(True)  # keep the dataset as generated
    except Exception as exc:
        traceback.print_exc(file=sys.stderr)
        for result in (check_result, write_result):
            result.status, result.passed = f"error: {exc.__class__.__name__}: {exc}"[:120], False
        return [check_result, write_result]
    check_result.status = f"{checked - started:.1f} s"
    write_result.status = f"{finished - checked:.1f} s"
    check_result.rate = rows_count / (checked - started)
    write_result.rate = rows_count / (finished - checked)
    write_result.passed = write_result.rate >= IMPORT_ROWS_PER_S
    return [check_result, write_result]


def database_label() -> str:
    import sqlite3

    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return f"PostgreSQL {cursor.fetchone()[0]}"
    if connection.vendor == "sqlite":
        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def print_table(results: list[Result], out: Callable[[str], None] = print) -> None:
    out(
        f"{'measure':<44} {'status':<8} {'queries':>7} {'p50':>9} {'p95':>9} {'rate':>12}  {'target':<16} result"
    )
    for r in results:
        p50 = f"{r.p50_ms:.1f} ms" if r.p50_ms is not None else "-"
        p95 = f"{r.p95_ms:.1f} ms" if r.p95_ms is not None else "-"
        rate = f"{r.rate:,.0f} rows/s" if r.rate is not None else "-"
        queries = str(r.queries) if r.queries is not None else "-"
        status = r.status if len(r.status) <= 8 else r.status[:8]
        out(f"{r.name:<44} {status:<8} {queries:>7} {p50:>9} {p95:>9} {rate:>12}  {r.target:<16} {r.verdict}")
    for r in results:
        if len(r.status) > 8:
            out(f"  {r.name}: {r.status}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page (default 30)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed requests per page first (default 3)")
    parser.add_argument("--import-rows", type=int, default=10_000, help="rows in the import workbook")
    parser.add_argument("--skip-import", action="store_true")
    parser.add_argument(
        "--debug", action="store_true", help="run with DEBUG on (default: off, as in production)"
    )
    add_database_arguments(parser)
    args = parser.parse_args(argv)
    target = resolve_target(args.database_url, args.sqlite_path, allow_dev=args.allow_dev_database)
    if target.sqlite_path is not None and not target.sqlite_path.exists():
        raise SystemExit(f"No dataset at {target.sqlite_path}; run bench/generate.py first.")
    start_django(target, debug=args.debug)

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from bench.generate import BENCH_USERS
    from xianfeng.core.models import RoleGrant
    from xianfeng.orgs.choices import OrgType
    from xianfeng.orgs.models import Org
    from xianfeng.people.models import Membership

    call_command("migrate", verbosity=0)  # the dataset may predate the newest migrations
    users = get_user_model().objects
    try:
        committee_admin = users.get(username=BENCH_USERS[0])
        branch_admin = users.get(username=BENCH_USERS[1])
    except Exception as exc:
        raise SystemExit(f"No benchmark users in {target.describe()}; run bench/generate.py first.") from exc
    root = Org.objects.get(depth=1)
    branch = RoleGrant.objects.get(user=branch_admin).org
    city = Org.objects.filter(depth=2).order_by("path").first() or root
    members = Membership.objects.count()
    branches = Org.objects.filter(org_type=OrgType.BRANCH).count()
    orgs = Org.objects.count()

    client = Client(raise_request_exception=False)
    client.force_login(committee_admin)
    branch_client = Client(raise_request_exception=False)
    branch_client.force_login(branch_admin)
    pages = [
        (client, "member list, first page", "/members/"),
        (client, "member list, filtered (city + status)", f"/members/?org={city.pk}&status=probationary"),
        (client, "member list, name search", "/members/?q=%E7%8E%8B"),  # 王
        (branch_client, "member list, branch admin", "/members/"),
        (client, "org page, root", f"/orgs/{root.pk}/"),
        (client, "org page, branch", f"/orgs/{branch.pk}/"),
        (client, "org tree", "/orgs/"),
        (client, "dashboard", "/"),
    ]
    label = database_label()
    print(f"Xianfeng benchmark on {label} ({target.describe()})")
    print(f"Dataset: {members:,} members, {branches:,} branches, {orgs:,} organizations")
    print(
        f"Pages: {args.requests} timed requests after {args.warmup} warm-up, as {committee_admin.username} "
        f"(committee admin on the root); DEBUG {'on' if args.debug else 'off'}; Python {platform.python_version()}"
    )
    results = []
    for page_client, name, url in pages:
        result = time_page(page_client, name, url, warmup=args.warmup, requests=args.requests)
        print(f"  {name}: {result.status} {'' if result.p95_ms is None else f'p95 {result.p95_ms:.1f} ms'}")
        results.append(result)
    if not args.skip_import:
        results += time_import(committee_admin, args.import_rows)
    print()
    print_table(results)
    command = ".venv/bin/python bench/generate.py --members 100000 --branches 3000 --reset"
    run = ".venv/bin/python bench/run.py"
    if target.database_url:
        command += f" --database-url {shlex.quote(target.database_url)}"
        run += f" --database-url {shlex.quote(target.database_url)}"
    if (
        target.sqlite_path is not None
        and target.sqlite_path.resolve() != (REPO / "var" / "bench.sqlite3").resolve()
    ):
        command += f" --sqlite-path {shlex.quote(str(target.sqlite_path))}"
        run += f" --sqlite-path {shlex.quote(str(target.sqlite_path))}"
    if args.requests != 30:
        run += f" --requests {args.requests}"
    print(f"\nReproduce:\n  {command}\n  {run}")
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    report = {
        "database": label,
        "target": target.describe(),
        "members": members,
        "branches": branches,
        "organizations": orgs,
        "requests": args.requests,
        "results": [asdict(r) | {"verdict": r.verdict} for r in results],
    }
    path = OUT_DIR / f"{label.split()[0].lower()}-{stamp}.json"
    path.write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
    print(f"  (results saved to {path.relative_to(REPO)})")
    return 0 if all(r.passed is not False for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
