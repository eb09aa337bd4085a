"""Reads of people and memberships, always restricted to what the user may see."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from xianfeng.core.roles import Action
from xianfeng.orgs.models import Org
from xianfeng.people.choices import STATUS_DATE_FIELD, STATUS_ORDER, MembershipEventKind, PoliticalStatus
from xianfeng.people.models import Membership, MembershipEvent, MembershipQuerySet, PostHolding


def member_list(*, user: Any, action: str = Action.VIEW) -> MembershipQuerySet:
    """Memberships the user may see, with what a list row shows, without N+1 queries."""
    return (
        Membership.objects.restrict(user, action)
        .select_related("person", "org", "party_group")
        .order_by("org__path", "person__name", "pk")
    )


def current_posts(*, person_ids: list[int]) -> dict[int, list[PostHolding]]:
    """Current posts per person id, in one query."""
    result: dict[int, list[PostHolding]] = {}
    for holding in PostHolding.objects.current().filter(person_id__in=person_ids).select_related("org"):
        result.setdefault(holding.person_id, []).append(holding)
    return result


def active_members_in_subtree_count(org: Org) -> int:
    return Membership.objects.current().filter(Q(org__path__startswith=org.path) | Q(party_group=org)).count()


def org_posts(org: Org) -> QuerySet[PostHolding]:
    return (
        PostHolding.objects.current().filter(org=org).select_related("person").order_by("post", "start_date")
    )


# --- Membership on a past or future date --------------------------------------------------------


@dataclass(frozen=True)
class MemberOnDate:
    """A membership as it stood on `day`: the org it was in then and the political status then."""

    membership: Membership
    org_id: int
    status: str


def _status_on(membership: Membership, day: dt.date) -> str | None:
    """The political status on `day`, from the key dates (the latest stage reached by then)."""
    for status in reversed(STATUS_ORDER):
        reached = getattr(membership, STATUS_DATE_FIELD[PoliticalStatus(status)])
        if reached is not None and reached <= day:
            return status
    return None


def memberships_on(
    *, day: dt.date, org: Org | None = None, subtree: bool = False, person_ids: Iterable[int] | None = None
) -> list[MemberOnDate]:
    """Who was a member (in any stage) of `org` on `day`, in two queries.

    The org on that day is the current org, unless the member was transferred after `day`: then it
    is the `from_org` of the first TRANSFER after `day` (a transfer takes effect on its date). Members
    who had left by `day` (left_date <= day) and people who had not yet applied are not included.
    With `subtree`, members of the org's sub-organizations count too; without `org`, every org.
    """
    memberships = Membership.objects.all()
    transfers = MembershipEvent.objects.filter(kind=MembershipEventKind.TRANSFER, date__gt=day)
    if person_ids is not None:
        ids = list(person_ids)
        memberships = memberships.filter(person_id__in=ids)
        transfers = transfers.filter(membership__person_id__in=ids)
    if org is not None:
        here = Q(org__path__startswith=org.path) if subtree else Q(org=org)
        moved_away = Q(from_org__path__startswith=org.path) if subtree else Q(from_org=org)
        moved = transfers.filter(moved_away).values("membership_id")
        memberships = memberships.filter(here | Q(pk__in=moved))
    rows = list(memberships.exclude(left_date__lte=day).select_related("person"))
    first_transfer: dict[int, int | None] = {}
    for membership_id, from_org_id in (
        transfers.filter(membership_id__in=[m.pk for m in rows])
        .order_by("date", "id")
        .values_list("membership_id", "from_org_id")
    ):
        first_transfer.setdefault(membership_id, from_org_id)
    org_then = {m.pk: first_transfer.get(m.pk, m.org_id) or m.org_id for m in rows}
    allowed: set[int] | None = None
    if org is not None and subtree:  # only the orgs these rows were in, not the whole subtree
        inside = Org.objects.filter(pk__in=set(org_then.values()), path__startswith=org.path)
        allowed = set(inside.values_list("pk", flat=True))
    elif org is not None:
        allowed = {org.pk}
    result = []
    for membership in rows:
        org_id = org_then[membership.pk]
        status = _status_on(membership, day)
        if status is None or (allowed is not None and org_id not in allowed):
            continue
        result.append(MemberOnDate(membership, org_id, status))
    return result
