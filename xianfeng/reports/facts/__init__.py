"""The facts layer: named figures computed from records for an org's subtree and a period.

Each area of the product contributes its facts from its own module (`facts/<area>.py`), registered
here in AREAS. A provider declares its specs (stable name, label, unit, rule) and computes them; a
provider whose module is not installed yet (or whose models do not exist) yields its declared facts
as *unavailable*, so a template that uses them renders 【待补充】 instead of a silent zero.

Statuses:
- ok: computed from complete records;
- partial: computed, but some records behind it are incomplete; they are listed in `missing`
  and NOT counted (e.g. a theme day held without its "people served" figure);
- missing: the records needed do not exist for the period (no activities recorded at all, no dues
  bases…); the value is None, never 0;
- unavailable: the module that would supply it is not installed.
"""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from xianfeng.orgs.models import Org

OK, PARTIAL, MISSING, UNAVAILABLE = "ok", "partial", "missing", "unavailable"
STATUSES = (OK, PARTIAL, MISSING, UNAVAILABLE)

# (module path, area label): the order here is the order of the statistics tables
AREAS: tuple[tuple[str, str], ...] = (
    ("xianfeng.reports.facts.members", "党员队伍"),
    ("xianfeng.reports.facts.development", "发展党员"),
    ("xianfeng.reports.facts.activities", "组织生活与党建活动"),
    ("xianfeng.reports.facts.transfers", "组织关系转接"),
    ("xianfeng.reports.facts.dues", "党费收缴"),
    ("xianfeng.reports.facts.compliance", "制度落实情况"),
    ("xianfeng.reports.facts.scoring", "积分与考核"),
    ("xianfeng.reports.facts.supervision", "重点任务与整改"),
    ("xianfeng.reports.facts.publicity", "宣传与服务"),
)


@dataclass(frozen=True)
class Spec:
    """What a fact means, independent of any period: the contract a template relies on."""

    name: str
    label: str
    unit: str
    rule: str
    source: str = ""  # the model label of the records behind it ("activities.Activity"); "" for none


@dataclass
class Fact:
    name: str
    label: str
    unit: str
    rule: str
    area: str
    status: str
    value: int | Decimal | None = None
    source: str = ""
    ids: list[int] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # incomplete or absent data, in words
    missing_ids: list[int] = field(default_factory=list)  # ids (of `source`) of incomplete records
    items: list[str] = field(default_factory=list)  # for list facts: one line each (存在的问题)
    counts: tuple[int, int] | None = None  # (records, missing) when read without the ids

    @property
    def record_count(self) -> int:
        return self.counts[0] if self.counts is not None else len(self.ids)

    @property
    def missing_count(self) -> int:
        return self.counts[1] if self.counts is not None else len(self.missing_ids)

    @property
    def available(self) -> bool:
        return self.status in (OK, PARTIAL) and self.value is not None

    def display(self) -> str | None:
        """The figure as printed, or None when it must read 【待补充】."""
        if not self.available:
            return None
        value = self.value
        if isinstance(value, Decimal):
            text = f"{value:f}"
            if "." in text:
                text = text.rstrip("0").rstrip(".")
            return text
        return str(value)

    def to_json(self) -> dict[str, Any]:
        from xianfeng.reports.ids import pack

        return {
            "name": self.name,
            "label": self.label,
            "unit": self.unit,
            "rule": self.rule,
            "area": self.area,
            "status": self.status,
            "value": None if self.value is None else str(self.value),
            "source": self.source,
            "ids": pack(self.ids),
            "count": self.record_count,
            "missing": self.missing,
            "missing_ids": pack(self.missing_ids),
            "missing_count": self.missing_count,
            "items": self.items,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any], *, with_ids: bool = True) -> Fact:
        """`with_ids=False` skips decoding the ids (a province's snapshot holds over a million): for
        rendering, which needs only the values."""
        from xianfeng.reports.ids import unpack

        raw = data.get("value")
        value: int | Decimal | None = None
        if raw is not None:
            value = Decimal(raw) if "." in raw else int(raw)
        return cls(
            name=data["name"],
            label=data["label"],
            unit=data["unit"],
            rule=data["rule"],
            area=data["area"],
            status=data["status"],
            value=value,
            source=data.get("source", ""),
            ids=unpack(data.get("ids", "")) if with_ids else [],
            missing=list(data.get("missing", [])),
            missing_ids=unpack(data.get("missing_ids", "")) if with_ids else [],
            items=list(data.get("items", [])),
            counts=None if with_ids else (int(data.get("count", 0)), int(data.get("missing_count", 0))),
        )


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date  # inclusive

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def start_at(self) -> dt.datetime:
        """Local midnight at the start (activities are held at aware datetimes)."""
        return timezone.make_aware(dt.datetime.combine(self.start, dt.time.min))

    @property
    def end_before(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min))

    def label(self) -> str:
        if self.start.month == 1 and self.start.day == 1 and self.end == dt.date(self.start.year, 12, 31):
            return f"{self.start.year}年"
        return f"{self.start:%Y-%m-%d}至{self.end:%Y-%m-%d}"


@dataclass
class Context:
    """What every provider computes for: the org (its whole subtree), the period, today."""

    org: Org
    period: Period
    today: dt.date
    cache: dict[str, Any] = field(default_factory=dict)  # shared between providers (one query, many facts)


Provider = Callable[[Context], Iterable[Fact]]


class FactError(ValueError):
    """Bad input to the facts layer (an empty or reversed period), with a message for the user."""


@dataclass
class FactSet:
    org: Org
    period: Period
    computed_at: dt.datetime
    facts: dict[str, Fact]

    def __getitem__(self, name: str) -> Fact:
        return self.facts[name]

    def __contains__(self, name: object) -> bool:
        return name in self.facts

    def by_area(self) -> list[tuple[str, list[Fact]]]:
        out: dict[str, list[Fact]] = {}
        for fact in self.facts.values():
            out.setdefault(fact.area, []).append(fact)
        return list(out.items())

    @property
    def has_records(self) -> bool:
        """Whether anything at all was recorded for the period (a fact with records behind it)."""
        return any(f.ids for f in self.facts.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "org": self.org.pk,
            "org_name": self.org.name,
            "start": self.period.start.isoformat(),
            "end": self.period.end.isoformat(),
            "computed_at": self.computed_at.isoformat(),
            "facts": [f.to_json() for f in self.facts.values()],
        }


def module_of(path: str) -> Any:
    return importlib.import_module(path)


def declared_specs() -> dict[str, Spec]:
    """Every fact name any provider declares (the names a template may use), in area order."""
    out: dict[str, Spec] = {}
    for path, _area in AREAS:
        for spec in module_of(path).specs():
            out[spec.name] = spec
    return out


def unavailable(specs: Iterable[Spec], area: str, reason: str) -> list[Fact]:
    return [
        Fact(s.name, s.label, s.unit, s.rule, area, UNAVAILABLE, source=s.source, missing=[reason])
        for s in specs
    ]


def compute(
    org: Org,
    period: Period,
    *,
    today: dt.date | None = None,
    progress: Callable[[int, str], None] | None = None,
) -> FactSet:
    """All facts of `org`'s subtree for `period`. Access is the caller's business (selectors check
    it); this counts whatever is under the org."""
    if period.end < period.start:
        raise FactError("期间的结束日期早于开始日期。")
    ctx = Context(org=org, period=period, today=today or timezone.localdate())
    facts: dict[str, Fact] = {}
    for n, (path, area) in enumerate(AREAS):
        module = module_of(path)
        for fact in module.collect(ctx):
            fact.area = area
            facts[fact.name] = fact
        if progress is not None:
            progress(int(100 * (n + 1) / len(AREAS)), area)
    return FactSet(org=org, period=period, computed_at=timezone.now(), facts=facts)


def from_snapshot(data: dict[str, Any], org: Org, *, with_ids: bool = True) -> FactSet:
    period = Period(dt.date.fromisoformat(data["start"]), dt.date.fromisoformat(data["end"]))
    facts = {f["name"]: Fact.from_json(f, with_ids=with_ids) for f in data["facts"]}
    return FactSet(
        org=org, period=period, computed_at=dt.datetime.fromisoformat(data["computed_at"]), facts=facts
    )


def one_from_snapshot(data: dict[str, Any], name: str) -> Fact | None:
    """One fact of a snapshot with its ids (the provenance of one figure)."""
    found = next((f for f in data["facts"] if f["name"] == name), None)
    return Fact.from_json(found) if found is not None else None


def fact_from(spec: Spec, status: str, **values: Any) -> Fact:
    """A Fact of `spec` (area filled in by compute()); ids sorted, so snapshots compare equal."""
    for key in ("ids", "missing_ids"):
        if key in values:
            values[key] = sorted(values[key])
    return Fact(spec.name, spec.label, spec.unit, spec.rule, "", status, source=spec.source, **values)
