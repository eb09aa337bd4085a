"""Which orgs the engine looks at (`Scope`) and the rows it loads for them (`OrgRow`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from xianfeng.compliance.periods import Period
from xianfeng.core.roles import Action
from xianfeng.core.scoping import scope_q
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org

# --- Scope ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which orgs the engine looks at, as a filter on Org."""

    q: Q
    description: str = ""

    @classmethod
    def everything(cls) -> Scope:
        return cls(Q(), "all")

    @classmethod
    def subtree(cls, org: Org) -> Scope:
        return cls(Q(path__startswith=org.path), f"subtree {org.pk}")

    @classmethod
    def subtrees(cls, orgs: Iterable[Org]) -> Scope:
        q = Q(pk__in=[])
        for org in orgs:
            q |= Q(path__startswith=org.path)
        return cls(q, "subtrees")

    @classmethod
    def exact(cls, orgs: Iterable[Org | int]) -> Scope:
        return cls(Q(pk__in=[o if isinstance(o, int) else o.pk for o in orgs]), "orgs")

    @classmethod
    def org_and_groups(cls, org: Org) -> Scope:
        """The org itself and its party groups (a group's meetings are part of its branch's health)."""
        groups = Q(path__startswith=org.path, depth=org.depth + 1, org_type=OrgType.PARTY_GROUP)
        return cls(Q(pk=org.pk) | groups, f"org {org.pk}")

    @classmethod
    def of_user(cls, user: Any, action: str = Action.VIEW) -> Scope:
        return cls(scope_q(user, action, "path"), f"user {getattr(user, 'pk', None)}")


def as_scope(value: Any) -> Scope:
    if isinstance(value, Scope):
        return value
    if isinstance(value, Org):
        return Scope.subtree(value)
    if hasattr(value, "is_authenticated"):
        return Scope.of_user(value)
    return Scope.subtrees(value)


# --- Loaded data ----------------------------------------------------------------------------------


@dataclass(slots=True)
class OrgRow:
    id: int
    path: str
    name: str
    org_type: str
    founded: dt.date | None
    dissolved: dt.date | None
    status: str
    term_end: dt.date | None
    created_at: dt.datetime
    always: bool = False  # exists in every period the engine looks at (set by the engine)

    @property
    def created(self) -> dt.date:
        """The day the record was created (local), the vacancy rule's fallback for a founding date."""
        return timezone.localtime(self.created_at).date()

    def exists_throughout(self, first: dt.date) -> bool:
        """Active, not dissolved, founded on or before `first` (or founding date unknown)."""
        return (
            self.status == OrgStatus.ACTIVE
            and self.dissolved is None
            and (self.founded is None or self.founded <= first)
        )

    def alive(self, start: dt.date, last: dt.date) -> bool:
        """Founded on or before the period's last day and not dissolved before its first day."""
        if self.always:
            return True
        if self.founded is not None and self.founded > last:
            return False
        if self.dissolved is not None:
            return self.dissolved >= start
        return self.status == OrgStatus.ACTIVE

    def alive_in(self, period: Period) -> bool:
        return self.alive(period.start, period.last_day)


def load_orgs(scope: Scope) -> dict[int, OrgRow]:
    rows = Org.objects.filter(scope.q).values_list(
        "pk", "path", "name", "org_type", "founded_date", "dissolved_date", "status", "term_end", "created"
    )
    return {row[0]: OrgRow(*row) for row in rows.order_by("path")}
