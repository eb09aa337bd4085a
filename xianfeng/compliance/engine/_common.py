"""Private building blocks shared by the engine's modules: period plans and activity counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from xianfeng.compliance.periods import Period


@dataclass
class _PeriodPlan:
    period: Period
    i0: int  # month indexes [i0, i1) in the engine's month grid
    i1: int
    due: dt.date
    not_met: str  # the status when done < required
    ref: dt.date
    label: str = ""
    start: dt.date = dt.date.min
    last: dt.date = dt.date.min

    def __post_init__(self) -> None:
        self.label, self.start, self.last = self.period.label, self.period.start, self.period.last_day


@dataclass
class _Counts:
    """Held activities bucketed by (key, kind) → per-month counts and, with evidence, ids."""

    months: int
    counts: dict[tuple[Any, int], list[int]] = field(default_factory=dict)
    ids: dict[tuple[Any, int], list[list[int]]] = field(default_factory=dict)

    def add(self, key: Any, kind: int, index: int, n: int, pk: int | None = None) -> None:
        if not 0 <= index < self.months:
            return
        bucket = self.counts.get((key, kind))
        if bucket is None:
            bucket = self.counts[(key, kind)] = [0] * self.months
        bucket[index] += n
        if pk is not None:
            lists = self.ids.get((key, kind))
            if lists is None:
                lists = self.ids[(key, kind)] = [[] for _ in range(self.months)]
            lists[index].append(pk)

    def add_months(self, key: Any, kind: int, offset: int, counts: Sequence[int]) -> None:
        bucket = self.counts.get((key, kind))
        if bucket is None:
            bucket = self.counts[(key, kind)] = [0] * self.months
        for i, n in enumerate(counts):
            if n:
                bucket[offset + i] += n

    def merged(self, key: Any, kinds: Sequence[int]) -> list[int] | None:
        arrays = [a for k in kinds if (a := self.counts.get((key, k))) is not None]
        if not arrays:
            return None
        if len(arrays) == 1:
            return arrays[0]
        return [sum(values) for values in zip(*arrays, strict=True)]

    def evidence(self, key: Any, kinds: Sequence[int], i0: int, i1: int) -> tuple[int, ...]:
        out: list[int] = []
        for kind in kinds:
            lists = self.ids.get((key, kind))
            if lists is not None:
                for index in range(i0, i1):
                    out.extend(lists[index])
        return tuple(sorted(set(out)))
