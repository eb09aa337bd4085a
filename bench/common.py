"""Choosing the benchmark database and starting Django on it, before anything imports settings.

The benchmark never uses the development database by accident: without --database-url it runs on
var/bench.sqlite3, whatever DATABASE_URL says in the environment, and it refuses the development
database (var/xianfeng.sqlite3, or a PostgreSQL database named "xianfeng") unless asked explicitly.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SQLITE = REPO / "var" / "bench.sqlite3"
DEV_SQLITE = REPO / "var" / "xianfeng.sqlite3"
DEV_PG_NAMES = frozenset({"xianfeng"})


@dataclass(frozen=True)
class Target:
    database_url: str  # "" for SQLite
    sqlite_path: Path | None

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://", "pgsql://"))

    @property
    def pg_name(self) -> str:
        return urlsplit(self.database_url).path.lstrip("/")

    def describe(self) -> str:
        if self.sqlite_path is not None:
            return f"SQLite {self.sqlite_path}"
        parts = urlsplit(self.database_url)
        return f"PostgreSQL {parts.hostname}:{parts.port or 5432}/{self.pg_name}"


def add_database_arguments(parser) -> None:  # type: ignore[no-untyped-def]
    parser.add_argument(
        "--database-url",
        default=os.environ.get("XIANFENG_BENCH_DATABASE_URL", ""),
        help="PostgreSQL URL, e.g. postgres://postgres@127.0.0.1:5432/xianfeng_bench "
        "(default: SQLite, or $XIANFENG_BENCH_DATABASE_URL)",
    )
    parser.add_argument(
        "--sqlite-path",
        default=str(DEFAULT_SQLITE),
        help=f"SQLite file when no URL is given ({DEFAULT_SQLITE})",
    )
    parser.add_argument(
        "--allow-dev-database",
        action="store_true",
        help="Allow var/xianfeng.sqlite3 or a PostgreSQL database named 'xianfeng' (the development database)",
    )


def resolve_target(database_url: str, sqlite_path: str, *, allow_dev: bool = False) -> Target:
    if database_url:
        target = Target(database_url=database_url, sqlite_path=None)
        if not target.is_postgres:
            raise SystemExit(f"Only PostgreSQL URLs are supported, got {database_url!r}")
        if target.pg_name in DEV_PG_NAMES and not allow_dev:
            raise SystemExit(
                f"Refusing the development database {target.pg_name!r}; "
                "use e.g. .../xianfeng_bench or pass --allow-dev-database"
            )
        return target
    path = Path(sqlite_path).resolve()
    if path == DEV_SQLITE.resolve() and not allow_dev:
        raise SystemExit(f"Refusing the development database {path}; pass --allow-dev-database to use it")
    return Target(database_url="", sqlite_path=path)


def _pg_admin(target: Target):  # type: ignore[no-untyped-def]
    import psycopg

    parts = urlsplit(target.database_url)
    return psycopg.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password or None,
        dbname="postgres",
        autocommit=True,
    )


def prepare(target: Target, *, reset: bool = False) -> None:
    """Create the database if missing (PostgreSQL); with `reset`, start from an empty one."""
    if target.sqlite_path is not None:
        target.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
        if reset:
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{target.sqlite_path}{suffix}").unlink(missing_ok=True)
        return
    from psycopg import sql

    name = target.pg_name
    with _pg_admin(target) as conn:
        if reset:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def start_django(target: Target, *, debug: bool | None = None) -> None:
    """Point the settings at the target (they read the environment once), then django.setup()."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "xianfeng.settings"
    os.environ["DATABASE_URL"] = target.database_url
    if target.sqlite_path is not None:
        os.environ["XIANFENG_SQLITE_PATH"] = str(target.sqlite_path)
    if debug is not None:
        os.environ["XIANFENG_DEBUG"] = "1" if debug else "0"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django

    django.setup()
