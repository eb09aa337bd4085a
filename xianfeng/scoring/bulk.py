"""Plain inserts (COPY on PostgreSQL, executemany on SQLite) for the two tables that a period's computation fills in bulk (entries and
results): tuples straight into `executemany`, with no model instance and no per-value field
preparation. `bulk_create` spent three quarters of a year-long recomputation for 100,000 members in
compiling SQL value by value (bench/README.md, "Evaluation schemes")."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import islice
from typing import Any, cast

from django.db import connection, models
from django.utils import timezone

CHUNK = 5_000


def json_value(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def now_value() -> Any:
    """The current time as the backend stores it (text on SQLite, a timestamp on PostgreSQL)."""
    return connection.ops.adapt_datetimefield_value(timezone.now())


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]) -> int:
    """Insert `rows` (values in the order of `fields`, already as the database takes them)."""
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(cast(models.Field, meta.get_field(name)).column or name) for name in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES ({marks})"  # table and column names come from the model
    count = 0
    iterator = iter(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY: one statement for all rows (executemany is one INSERT per row on the server).
            copy_sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
            with cursor.cursor.copy(copy_sql) as copy:
                for row in iterator:
                    copy.write_row(row)
                    count += 1
            return count
        while chunk := list(islice(iterator, CHUNK)):
            cursor.executemany(sql, chunk)
            count += len(chunk)
    return count
