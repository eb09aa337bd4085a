"""Reads of people and memberships, always restricted to what the user may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from xianfeng.core.roles import Action
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership, MembershipQuerySet, PostHolding


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
