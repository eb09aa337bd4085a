"""Reads of activities: who may see which, who is expected, who counts for the quorum, the calendar.

Staff see the activities of the subtrees they are granted (core.scoping); a member also sees the
activities of their own organization and party group, and every activity they have an attendance row
at (MEM self-service). Writes are in services.py and checkin.py.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from xianfeng.activities import quorum as quorum_rules
from xianfeng.activities import rules
from xianfeng.activities.choices import ActivityStatus, AttendanceStatus, Audience, Quorum
from xianfeng.activities.models import Activity, ActivityKind, ActivityQuerySet, Attendance
from xianfeng.core.roles import Action
from xianfeng.core.scoping import is_global, scope_q
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import COMMITTEE_POSTS, PARTY_MEMBER_STATUSES, PoliticalStatus
from xianfeng.people.models import Membership, Person, PostHolding
from xianfeng.people.selectors import memberships_on

_PERSON_CACHE = "_xianfeng_activity_person"

# --- who may see what ---------------------------------------------------------------------------


def person_of(user: Any) -> Person | None:
    """The Person linked to a login (with its membership), looked up once per user object."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if _PERSON_CACHE not in user.__dict__:
        user.__dict__[_PERSON_CACHE] = (
            Person.objects.filter(user=user)
            .select_related("membership__org", "membership__party_group")
            .first()
        )
    return user.__dict__[_PERSON_CACHE]  # type: ignore[no-any-return]


def _membership(person: Person | None) -> Membership | None:
    return getattr(person, "membership", None) if person is not None else None


def own_q(user: Any) -> Q | None:
    """Activities of the member's own org and party group, and those they have a row at."""
    person = person_of(user)
    if person is None:
        return None
    query = Q(pk__in=Attendance.objects.filter(person=person).values("activity_id"))
    membership = _membership(person)
    if membership is not None and membership.is_current:
        orgs = [membership.org_id] + ([membership.party_group_id] if membership.party_group_id else [])
        query |= Q(org_id__in=orgs)
    return query


def visible_activities(user: Any) -> ActivityQuerySet:
    queryset = Activity.objects.all()
    if is_global(user, Action.VIEW):
        return queryset
    query = scope_q(user, Action.VIEW, "org__path")
    own = own_q(user)
    return queryset.filter(query | own if own is not None else query)


def get_activity_for_user(
    user: Any, code: Any, action: str = Action.VIEW, *, related: tuple[str, ...] = ()
) -> Activity:
    """404 when the user cannot see the activity, 403 when they see it but may not do `action`."""
    try:
        activity = visible_activities(user).select_related("kind", "org", *related).get(code=code)
    except (Activity.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc
    if action != Action.VIEW and not Activity.objects.restrict(user, action).filter(pk=activity.pk).exists():
        raise PermissionDenied(f"not allowed: {action}")
    return activity


def activity_list(*, user: Any) -> ActivityQuerySet:
    return visible_activities(user).select_related("kind", "org").order_by("-planned_start", "-pk")


def changeable_orgs(user: Any) -> Any:
    return Org.objects.restrict(user, Action.CHANGE).active()


def parse_month(value: str | None, today: dt.date) -> dt.date:
    """The first day of the month in "YYYY-MM", or of the current month."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return dt.date(year, month, 1)
    except (ValueError, TypeError):
        return today.replace(day=1)


class ActivityFilterSet(django_filters.FilterSet):
    """Filters of the list page and the API: org subtree, kind, status, month, date range."""

    org = django_filters.NumberFilter(
        method="in_subtree", label=gettext_lazy("Organization (with sub-organizations)")
    )
    kind = django_filters.CharFilter(method="of_kind", label=gettext_lazy("Activity kind (code)"))
    status = django_filters.ChoiceFilter(choices=ActivityStatus.choices, label=gettext_lazy("Status"))
    month = django_filters.CharFilter(method="in_month", label=gettext_lazy("Month (YYYY-MM)"))
    date_from = django_filters.DateFilter(method="starting", label=gettext_lazy("From (date)"))
    date_to = django_filters.DateFilter(method="ending", label=gettext_lazy("To (date)"))

    class Meta:
        model = Activity
        fields = ["org", "kind", "status", "month"]

    def in_subtree(self, queryset: Any, name: str, value: int) -> Any:
        org = Org.objects.filter(pk=value).only("path").first()
        return queryset.filter(org__path__startswith=org.path) if org is not None else queryset.none()

    def of_kind(self, queryset: Any, name: str, value: str) -> Any:
        return queryset.filter(kind__code=value) if value else queryset

    def in_month(self, queryset: Any, name: str, value: str) -> Any:
        if not value:
            return queryset
        first = parse_month(value, dt.date.min)
        if first == dt.date.min:
            raise ValidationError({"month": _("Give the month as YYYY-MM.")})
        last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
        return queryset.filter(_on_days(first, last))

    def starting(self, queryset: Any, name: str, value: dt.date) -> Any:
        start, _end = rules.day_bounds(value)
        return queryset.filter(
            Q(held_start__gte=start) | Q(held_start__isnull=True, planned_start__gte=start)
        )

    def ending(self, queryset: Any, name: str, value: dt.date) -> Any:
        _start, end = rules.day_bounds(value)
        return queryset.filter(Q(held_start__lt=end) | Q(held_start__isnull=True, planned_start__lt=end))


# The parameters are called `from` and `to`, which Python cannot name in a class body.
ActivityFilterSet.base_filters["from"] = ActivityFilterSet.base_filters.pop("date_from")
ActivityFilterSet.base_filters["to"] = ActivityFilterSet.base_filters.pop("date_to")


def _on_days(first: dt.date, last: dt.date) -> Q:
    """Activities whose date (held date once held, else planned date) falls in [first, last]."""
    start, _ = rules.day_bounds(first)
    _, end = rules.day_bounds(last)
    return Q(held_start__gte=start, held_start__lt=end) | Q(
        held_start__isnull=True, planned_start__gte=start, planned_start__lt=end
    )


def activity_start(activity: Activity) -> dt.datetime:
    return activity.held_start or activity.planned_start


# --- the calendar -------------------------------------------------------------------------------


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    is_today: bool
    activities: list[Activity] = field(default_factory=list)


def calendar_month(*, queryset: ActivityQuerySet, first: dt.date, today: dt.date) -> list[list[CalendarDay]]:
    """Weeks (Monday first) covering the month, each day with its activities, in one query."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    grid_first, grid_last = weeks[0][0], weeks[-1][-1]
    by_day: dict[dt.date, list[Activity]] = {}
    for activity in queryset.filter(_on_days(grid_first, grid_last)).select_related("kind", "org"):
        by_day.setdefault(rules.local_day(activity_start(activity)), []).append(activity)
    for items in by_day.values():
        items.sort(key=activity_start)
    return [
        [CalendarDay(day, day.month == first.month, day == today, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


# --- who is expected, who may attend ----------------------------------------------------------


def _parent(org: Org) -> Org | None:
    return Org.objects.filter(path=org.path[: -Org.steplen]).first() if org.depth > 1 else None


def audience_ids(*, kind: ActivityKind, org: Org, day: dt.date) -> list[int]:
    """Person ids the kind expects from `org` on `day` (ActivityKind.audience, on that date):
    party members = probationary and full members in the org then (its party groups included, as
    members belong to the branch); voting = full members; committee = holders of committee posts in
    the org then; group members = members of the party group; everyone = also applicants, activists
    and candidates; named = nobody (added by hand)."""
    audience = kind.audience
    if not kind.has_attendance or audience == Audience.NAMED:
        return []
    if audience == Audience.COMMITTEE:
        holdings = PostHolding.objects.current(on=day).filter(org=org, post__in=COMMITTEE_POSTS)
        return sorted(set(holdings.values_list("person_id", flat=True)))
    group = org if org.org_type == OrgType.PARTY_GROUP else None
    if audience == Audience.GROUP_MEMBERS and group is None:
        return []
    base = _parent(org) if group is not None else org
    if base is None:
        return []
    members = memberships_on(day=day, org=base)
    if group is not None:
        members = [m for m in members if m.membership.party_group_id == group.pk]
    if audience == Audience.VOTING_MEMBERS:
        statuses: frozenset[str] = frozenset({PoliticalStatus.FULL})
    elif audience == Audience.EVERYONE:
        statuses = frozenset(PoliticalStatus)
    else:
        statuses = PARTY_MEMBER_STATUSES
    return sorted(m.membership.person_id for m in members if m.status in statuses)


def eligibility_error(activity: Activity, person: Person) -> str | None:
    """Why `person` cannot be recorded as attending (other than as a guest), or None.

    A person attends an org's activity if they were a member of that org, or of one of its
    sub-organizations, on the activity's date (a party group's activity: a member of the group).
    Kinds for party members take only people admitted by then; others attend as guests (列席).
    """
    day = rules.activity_day(activity)
    org = activity.org
    names = {"name": person.name, "org": org.display_name, "date": day.isoformat()}
    if org.org_type == OrgType.PARTY_GROUP:
        base = _parent(org)
        found = [
            m
            for m in (memberships_on(day=day, org=base, person_ids=[person.pk]) if base else [])
            if m.membership.party_group_id == org.pk
        ]
    else:
        found = memberships_on(day=day, org=org, subtree=True, person_ids=[person.pk])
    if not found:
        return (
            _(
                "%(name)s was not a member of %(org)s on %(date)s, so cannot be recorded as attending; "
                "record them as a guest (列席) instead."
            )
            % names
        )
    if activity.kind.audience in rules.PARTY_AUDIENCES and found[0].status not in PARTY_MEMBER_STATUSES:
        return (
            _(
                "%(name)s was not yet a party member on %(date)s; a non-member attends this meeting as a guest (列席)."
            )
            % names
        )
    return None


# --- quorum -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QuorumVerdict:
    rule: str
    label: str
    present: int
    expected: int
    met: bool | None
    voting_only: bool


def quorum_verdict(activity: Activity, rows: list[Attendance] | None = None) -> QuorumVerdict | None:
    """The kind's quorum rule applied to the attendance (RULES.md MISC-08, each rule its own comparator).

    Counted among the rows of the kind's audience on the activity's date (guests never count). For
    the general meeting, admission and election meetings only full members count, present against
    expected (支部条例 art. 11; 细则 art. 20; 选举条例: the vote belongs to full members).
    """
    rule = activity.kind.quorum
    if rule == Quorum.NONE or not activity.kind.has_attendance:
        return None
    if rows is None:
        rows = list(activity.attendance.select_related("person__membership"))  # type: ignore[attr-defined]
    day = rules.activity_day(activity)
    audience = set(audience_ids(kind=activity.kind, org=activity.org, day=day))
    voting_only = rule in rules.VOTING_QUORUMS
    counted = [
        row
        for row in rows
        if row.status != AttendanceStatus.GUEST
        and row.person_id in audience
        and (not voting_only or _full_on(row.person, day))
    ]
    present = sum(1 for row in counted if row.status == AttendanceStatus.PRESENT)
    return QuorumVerdict(
        rule=rule,
        label=str(Quorum(rule).label),
        present=present,
        expected=len(counted),
        met=quorum_rules.quorum_met(rule, present, len(counted)),
        voting_only=voting_only,
    )


def _full_on(person: Person, day: dt.date) -> bool:
    membership = getattr(person, "membership", None)
    return bool(membership and membership.conversion_date and membership.conversion_date <= day)


# --- the activity page --------------------------------------------------------------------------


@dataclass(frozen=True)
class AttendanceSummary:
    expected: int  # rows other than guests (应到)
    present: int  # 实到
    leave: int
    absent: int
    unmarked: int
    guests: int  # 列席


def attendance_rows(activity: Activity) -> list[Attendance]:
    return list(
        activity.attendance.select_related("person__membership").order_by(  # type: ignore[attr-defined]
            "person__name", "pk"
        )
    )


def attendance_summary(rows: list[Attendance]) -> AttendanceSummary:
    counts = Counter(row.status for row in rows)
    return AttendanceSummary(
        expected=len(rows) - counts[AttendanceStatus.GUEST],
        present=counts[AttendanceStatus.PRESENT],
        leave=counts[AttendanceStatus.LEAVE],
        absent=counts[AttendanceStatus.ABSENT],
        unmarked=counts[AttendanceStatus.EXPECTED],
        guests=counts[AttendanceStatus.GUEST],
    )


PEOPLE_CHOICE_LIMIT = 500


def people_for(activity: Activity) -> list[Person]:
    """People offered in the activity's person pickers: current members of the org's subtree (or the
    group), those already on the attendance list, and the holders of posts in the org."""
    org = activity.org
    if org.org_type == OrgType.PARTY_GROUP:
        members = Q(membership__party_group=org)
    else:
        members = Q(membership__org__path__startswith=org.path)
    query = (
        (members & Q(membership__left_date__isnull=True))
        | Q(pk__in=activity.attendance.values("person_id"))  # type: ignore[attr-defined]
        | Q(pk__in=PostHolding.objects.current().filter(org=org).values("person_id"))
    )
    return list(
        Person.objects.filter(query).only("pk", "code", "name").order_by("name", "pk")[:PEOPLE_CHOICE_LIMIT]
    )


# --- the member's own meetings -------------------------------------------------------------------


@dataclass
class MyMeeting:
    activity: Activity
    attendance: Attendance | None
    in_window: bool
    may_request_leave: bool
    leave_errors: list[str] = field(default_factory=list)
    leave_reason: str = ""


def my_meetings(*, user: Any, now: dt.datetime | None = None) -> tuple[list[MyMeeting], list[MyMeeting]]:
    """(upcoming, recent) meetings of the member's own org and those they are on the list of."""
    now = now or timezone.now()
    person = person_of(user)
    own = own_q(user)
    if person is None or own is None:
        return [], []
    base = Activity.objects.filter(own).select_related("kind", "org")
    upcoming = list(
        base.filter(status=ActivityStatus.PLANNED, planned_start__gte=now - rules.checkin_after()).order_by(
            "planned_start", "pk"
        )[:30]
    )
    since = now - dt.timedelta(days=180)
    recent = list(
        base.exclude(pk__in=[a.pk for a in upcoming])
        .filter(planned_start__gte=since, planned_start__lt=now)
        .order_by("-planned_start", "-pk")[:30]
    )
    rows = {
        row.activity_id: row
        for row in Attendance.objects.filter(person=person, activity__in=[*upcoming, *recent])
    }

    def item(activity: Activity) -> MyMeeting:
        row = rows.get(activity.pk)
        start = activity.planned_start
        in_window = (
            activity.status != ActivityStatus.CANCELLED
            and start - rules.checkin_before() <= now <= start + rules.checkin_after()
        )
        may_leave = (
            activity.status == ActivityStatus.PLANNED
            and now < start
            and activity.kind.has_attendance
            and (row is None or row.status in (AttendanceStatus.EXPECTED, AttendanceStatus.LEAVE))
        )
        return MyMeeting(activity, row, in_window, may_leave)

    return [item(a) for a in upcoming], [item(a) for a in recent]
