"""Counting held activities: one query per topic tag, bucketed by subject × kind × month."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import connections
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from xianfeng.compliance.engine._common import _Counts
from xianfeng.compliance.engine.loading import Loader
from xianfeng.compliance.engine.timing import local_midnight, month_index
from xianfeng.compliance.models import Obligation


def _raw_rows(qs: Any) -> list[tuple[Any, ...]]:
    """The rows of a values_list() of plain columns and counts, without Django's per-value converters
    (they call int() on each of the 12 monthly counts of each of tens of thousands of rows)."""
    sql, params = qs.query.get_compiler(using=qs.db).as_sql()
    with connections[qs.db].cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


class Counting(Loader):
    """Fills `_Counts` tables from the activities of orgs or of the people who gave them."""

    def _bucket(self, qs: Any, fields: tuple[str, ...], key_of: Any, target: _Counts) -> None:
        """Fill `target` from one query: rows with evidence, else an aggregate by key × kind × month."""
        first = self.first
        local = timezone.get_current_timezone()
        if self.evidence:
            for row in qs.values_list("pk", "kind_id", "held_start", *fields).order_by():
                pk, kind, held = row[0], row[1], row[2]
                index = month_index(held.astimezone(local).date(), first)
                for key in key_of(row[3:]):
                    target.add(key, kind, index, 1, pk)
            return
        if self.grouping == "trunc":
            grouped = (
                qs.annotate(month=TruncMonth("held_start"))
                .values("kind_id", "month", *fields)
                .annotate(n=Count("pk"))
                .order_by()
            )
            for row in grouped.values_list("kind_id", "month", "n", *fields):
                month = row[1]
                if isinstance(month, dt.datetime):
                    month = month.astimezone(local).date() if timezone.is_aware(month) else month.date()
                index = month_index(month, first)
                for key in key_of(row[3:]):
                    target.add(key, row[0], index, row[2])
            return
        # GROUP BY key, kind with one filtered count per month: the month boundaries are local
        # midnights computed here, so the database only compares timestamps (no per-row time-zone
        # function, which on SQLite is a Python callback called twice per row).
        offset = month_index(self.q_first, first)
        bounds = [
            local_midnight(
                dt.date(
                    self.q_first.year + (self.q_first.month - 1 + i) // 12,
                    (self.q_first.month - 1 + i) % 12 + 1,
                    1,
                )
            )
            for i in range(month_index(self.q_last, self.q_first) + 1)
        ]
        months = {
            f"m{i}": Count("pk", filter=Q(held_start__gte=bounds[i], held_start__lt=bounds[i + 1]))
            for i in range(len(bounds) - 1)
        }
        names = list(months)
        width = len(fields)
        rows = (
            qs.values("kind_id", *fields)
            .annotate(**months)
            .order_by()
            .values_list("kind_id", *fields, *names)
        )
        for row in _raw_rows(rows):
            counts = row[1 + width :]
            for key in key_of(row[1 : 1 + width]):
                target.add_months(key, row[0], offset, counts)

    def _org_counts(self, obligations: Iterable[Obligation], org_ids: set[int]) -> dict[str, _Counts]:
        """One query per topic tag over the orgs' own activities."""
        by_tag: dict[str, set[int]] = defaultdict(set)
        for o in obligations:
            by_tag[o.topic_tag].update(o.kind_ids)  # type: ignore[attr-defined]
        result: dict[str, _Counts] = {}
        scope_orgs = self._org_ids()
        for tag, kinds in by_tag.items():
            counts = _Counts(self.months)
            if kinds and org_ids:
                qs = self._activities(tag).filter(kind_id__in=sorted(kinds), org_id__in=scope_orgs)
                self._bucket(qs, ("org_id",), lambda fields: (fields[0],), counts)
            result[tag] = counts
        return result

    def _person_counts(self, obligations: list[Obligation], person_ids: Any) -> dict[str, _Counts]:
        """Activities given by people (lecturer or host), one query per topic tag."""
        by_tag: dict[str, set[int]] = defaultdict(set)
        for o in obligations:
            by_tag[o.topic_tag].update(o.kind_ids)  # type: ignore[attr-defined]
        result: dict[str, _Counts] = {}
        for tag, kinds in by_tag.items():
            counts = _Counts(self.months)
            if kinds:
                qs = self._activities(tag).filter(kind_id__in=sorted(kinds))
                qs = qs.filter(Q(lecturer_id__in=person_ids) | Q(host_id__in=person_ids))
                self._bucket(
                    qs, ("lecturer_id", "host_id"), lambda f: {p for p in f if p is not None}, counts
                )
            result[tag] = counts
        return result
