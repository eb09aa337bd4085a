"""One FilterSet for the member list, its export and the API (NetBox: one FilterSet per list)."""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from xianfeng.core import crypto
from xianfeng.orgs.models import Org
from xianfeng.people import idcard
from xianfeng.people.choices import PoliticalStatus, Post
from xianfeng.people.models import Membership, PostHolding


class MembershipFilterSet(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    org = django_filters.NumberFilter(method="in_subtree", label=_("Organization (with sub-organizations)"))
    status = django_filters.MultipleChoiceFilter(
        choices=PoliticalStatus.choices, label=_("Political status"), distinct=False
    )
    post = django_filters.ChoiceFilter(choices=Post.choices, method="holding_post", label=_("Post"))
    current = django_filters.ChoiceFilter(
        choices=[("yes", _("Current")), ("no", _("Left")), ("all", _("All"))],
        method="by_current",
        empty_label=None,
        label=_("Membership"),
    )

    class Meta:
        model = Membership
        fields = ["q", "org", "status", "post", "current"]

    def __init__(self, data: Any = None, *args: Any, **kwargs: Any) -> None:
        data = data.copy() if data is not None else {}
        if not data.get("current"):
            data["current"] = "yes"  # the default view shows current members
        super().__init__(data, *args, **kwargs)

    def search(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        """Name or employee number contains; a full ID number or phone matches through its hash."""
        value = value.strip()
        if not value:
            return queryset
        query = Q(person__name__icontains=value) | Q(person__employee_no=value)
        normalized = idcard.normalize(value)
        if len(normalized) == 18:
            query |= Q(person__id_number_hash=crypto.lookup_hash(normalized))
        if value.isdigit() and len(value) == 11:
            query |= Q(person__phone_hash=crypto.lookup_hash(value))
        return queryset.filter(query)

    def in_subtree(self, queryset: QuerySet[Membership], name: str, value: int) -> QuerySet[Membership]:
        org = Org.objects.filter(pk=value).only("path").first()
        if org is None:
            return queryset.none()
        return queryset.filter(Q(org__path__startswith=org.path) | Q(party_group=org))

    def holding_post(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        holding = PostHolding.objects.filter(
            person_id=OuterRef("person_id"), post=value, end_date__isnull=True
        )
        return queryset.filter(Exists(holding))

    def by_current(self, queryset: QuerySet[Membership], name: str, value: str) -> QuerySet[Membership]:
        if value == "yes":
            return queryset.filter(left_date__isnull=True)
        if value == "no":
            return queryset.filter(left_date__isnull=False)
        return queryset
