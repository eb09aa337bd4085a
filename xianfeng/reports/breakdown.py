"""The appendix's second table: the main counts per child organization (下级党组织统计表), split from
the same record ids as the facts (so the rows add up to the facts' totals), stored in the snapshot."""

from __future__ import annotations

from typing import Any

from xianfeng.activities.models import Activity
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership
from xianfeng.reports.facts import FactSet

COLUMNS: tuple[str, ...] = (
    "members.party_members",
    "development.admitted",
    "activities.kind.general_meeting",
    "activities.kind.committee_meeting",
    "activities.kind.group_meeting",
    "activities.kind.party_lecture",
    "activities.kind.theme_day",
)
SOURCES: dict[str, Any] = {"people.Membership": Membership, "activities.Activity": Activity}
MAX_ROWS = 200


def by_child(fact_set: FactSet) -> dict[str, Any]:
    """{"columns": [{name, label, unit}], "rows": [{"org", "values"}], "total": [...]}; a column whose
    fact has no data holds None (【待补充】) in every row."""
    org = fact_set.org
    children = list(org.get_children().order_by("path").values_list("path", "name")[:MAX_ROWS])
    step = len(org.path) + Org.steplen
    columns = [fact_set.facts[n] for n in COLUMNS if n in fact_set.facts]
    paths: dict[str, dict[int, str]] = {}
    for label, model in SOURCES.items():
        if any(f.source == label and f.available and f.ids for f in columns):
            rows = (
                model.objects.filter(org__path__startswith=org.path).order_by().values_list("pk", "org__path")
            )
            paths[label] = {pk: path[:step] for pk, path in rows}
    own_name = f"{org.name}（本级）"
    names = {path: name for path, name in children}
    order = [own_name, *(name for _path, name in children)]
    table: dict[str, list[int | None]] = {name: [] for name in order}
    for fact in columns:
        counts = dict.fromkeys(order, 0)
        for pk in fact.ids if fact.available else []:
            path = paths.get(fact.source, {}).get(pk, "")
            counts[names.get(path, own_name)] += 1
        for name in order:
            table[name].append(counts[name] if fact.available else None)
    rows = [
        {"org": name, "values": values} for name, values in table.items() if name != own_name or any(values)
    ]
    total = [f.record_count if f.available else None for f in columns]
    return {
        "columns": [{"name": f.name, "label": f.label, "unit": f.unit} for f in columns],
        "rows": rows,
        "total": total,
    }
