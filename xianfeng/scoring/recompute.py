"""Automatic entries derived from records, with the records as evidence.

Each catalogue item with a record `source` gets one entry per subject and period: `count` records ×
the item's points (its cap applies in the arithmetic), evidence = the ids of the records counted.

- attendance: present at a held organizational-life activity (activities.Attendance);
- absence: absent without leave from one (leave with a reason is not an absence);
- dues_late: a regular dues payment made after the month owed (dues.DuesPayment, by month owed);
- obligation: a missed finding of the compliance engine for a branch (compliance.findings).

Recomputing is delete-and-rebuild of the automatic entries of the open periods concerned, so a
changed or deleted record can never leave a stale entry. It runs when a period is computed, and for
one member when one of their records changes (signals in apps.py, after the commit). Closed periods
are never touched. Queries per period: one per source in use, whatever the number of subjects.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Aggregate, Count, TextField

from xianfeng.scoring.bulk import insert_rows, json_value, now_value
from xianfeng.scoring.choices import AUTO_SOURCES, CLOSED_STATES, EntrySource, EntryStatus, SubjectType
from xianfeng.scoring.models import Entry, Item, Period, Scheme
from xianfeng.scoring.selectors import subject_memberships, subject_orgs

log = logging.getLogger(__name__)


class IdList(Aggregate):
    """The ids of a group as "1,2,3" (GROUP_CONCAT on SQLite, STRING_AGG on PostgreSQL)."""

    function = "GROUP_CONCAT"
    output_field = TextField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            function="STRING_AGG",
            template="%(function)s(%(expressions)s::text, ',')",
            **extra,
        )


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    from xianfeng.compliance.engine.timing import local_midnight

    return local_midnight(period.start), local_midnight(period.end + dt.timedelta(days=1))


def _attendance(period: Period, root: str, people: set[int] | None) -> Iterable[tuple[int, str, int, str]]:
    """(person, status, count, "id,id,…") of everyone present or absent at the period's held
    organizational-life activities of the subtree, one row per person and status: the activities are
    chosen first (their own indexes), their attendance read by the (activity, person) index and
    grouped in the database, so two million rows cross into Python as 200,000."""
    from xianfeng.activities.choices import ActivityStatus, AttendanceStatus, KindCategory
    from xianfeng.activities.models import Activity, ActivityKind, Attendance

    start, end = _bounds(period)
    kinds = list(
        ActivityKind.objects.filter(category=KindCategory.ORGANIZATIONAL_LIFE).values_list("pk", flat=True)
    )
    activities = Activity.objects.filter(
        status=ActivityStatus.HELD,
        kind_id__in=kinds,
        held_start__gte=start,
        held_start__lt=end,
        org__path__startswith=root,
    ).values("pk")
    rows = Attendance.objects.filter(
        activity_id__in=activities, status__in=(AttendanceStatus.PRESENT, AttendanceStatus.ABSENT)
    )
    if people is not None:
        rows = rows.filter(person_id__in=people)
    grouped = rows.order_by().values("person_id", "status").annotate(n=Count("pk"), ids=IdList("activity_id"))
    # A plain fetch, not a server-side cursor: PostgreSQL plans a cursor for its first rows, without
    # parallel workers (7 s instead of 2 s here); the grouped rows fit in memory (one per member).
    return list(grouped.values_list("person_id", "status", "n", "ids"))


def _late_sql() -> str:
    """Paid after the month owed (`month_owed` is always the 1st): a plain comparison per row, where a
    Django date function would run in Python on SQLite for two million payments."""
    from django.db import connection

    from xianfeng.dues.models import DuesPayment

    table = connection.ops.quote_name(DuesPayment._meta.db_table)
    if connection.vendor == "postgresql":
        return f"{table}.paid_on >= {table}.month_owed + interval '1 month'"
    # SQLite keeps dates as ISO text: "2025-02-31" sorts after every day of February.
    return f"{table}.paid_on > substr({table}.month_owed, 1, 8) || '31'"


def _late_dues(period: Period, only: set[int] | None) -> Iterable[tuple[int, int]]:
    from django.db.models import BooleanField
    from django.db.models.expressions import RawSQL

    from xianfeng.dues.choices import PaymentKind
    from xianfeng.dues.models import DuesPayment

    rows = DuesPayment.objects.filter(
        kind=PaymentKind.REGULAR, month_owed__gte=period.start, month_owed__lte=period.end
    ).filter(RawSQL(_late_sql(), [], output_field=BooleanField()))
    if only is not None:
        rows = rows.filter(membership_id__in=only)
    return list(rows.values_list("membership_id", "pk"))


def _missed_obligations(period: Period, today: dt.date) -> Iterable[tuple[int, str]]:
    from xianfeng.compliance.engine import Status, findings

    for f in findings(
        scope=period.scheme.org, start=period.start, end=period.end, today=today, evidence=False
    ):
        if (
            f.status == Status.MISSED
            and f.person_id is None
            and f.period_end is not None
            and f.period_end <= period.end
        ):
            yield f.org_id, f"{f.rule}|{f.period_label}"


EVIDENCE_TYPE = {
    EntrySource.ATTENDANCE: "activity",
    EntrySource.ABSENCE: "activity",
    EntrySource.DUES_LATE: "payment",
    EntrySource.OBLIGATION: "finding",
}
ENTRY_FIELDS = (
    "period",
    "dimension",
    "item",
    "org",
    "subject_org",
    "membership",
    "points",
    "count",
    "source",
    "status",
    "note",
    "evidence",
    "version",
    "created",
    "updated",
)


Found = dict[str, dict[int, tuple[int, str]]]  # source → subject → (records, JSON array of their ids)


def _listed(
    pairs: Iterable[tuple[int, Any]], subjects: dict[int, tuple[int, int]]
) -> dict[int, tuple[int, str]]:
    lists: dict[int, list[Any]] = defaultdict(list)
    for subject, record in pairs:
        if subject in subjects:
            lists[subject].append(record)
    return {subject: (len(records), json_value(records)) for subject, records in lists.items()}


def _found(
    period: Period,
    sources: set[str],
    subjects: dict[int, tuple[int, int]],
    only: set[int] | None,
    today: dt.date,
) -> Found:
    """Records per source and subject. `subjects` maps a subject id to (org id, person id)."""
    from xianfeng.activities.choices import AttendanceStatus

    found: Found = {source: {} for source in sources}
    root = period.scheme.org.path
    if sources & {EntrySource.ATTENDANCE, EntrySource.ABSENCE}:
        member_of = {person: pk for pk, (_org, person) in subjects.items()}
        present, absent = found.get(EntrySource.ATTENDANCE), found.get(EntrySource.ABSENCE)
        for person, status, n, ids in _attendance(period, root, set(member_of) if only is not None else None):
            subject = member_of.get(person)
            target = present if status == AttendanceStatus.PRESENT else absent
            if subject is not None and target is not None:
                target[subject] = (n, f"[{ids}]")
    if EntrySource.DUES_LATE in sources:
        found[EntrySource.DUES_LATE] = _listed(_late_dues(period, only), subjects)
    if EntrySource.OBLIGATION in sources:
        found[EntrySource.OBLIGATION] = _listed(_missed_obligations(period, today), subjects)
    return found


def recompute_period(
    period: Period, membership_ids: Iterable[int] | None = None, today: dt.date | None = None
) -> int:
    """Rebuild the automatic entries of one open period (of some members only, if given)."""
    from django.utils import timezone

    period.refresh_from_db(fields=["state"])  # the caller's copy may predate a lock
    if period.state in CLOSED_STATES:
        return 0
    scheme = period.scheme
    today = today or timezone.localdate()
    only = set(membership_ids) if membership_ids is not None else None
    stale = Entry.objects.filter(period=period, source__in=AUTO_SOURCES)
    if only is not None:
        stale = stale.filter(membership__in=only)
    stale.delete()
    people = scheme.is_person_scheme
    items = [
        i
        for i in Item.objects.filter(dimension__scheme=scheme, source__in=AUTO_SOURCES)
        if (i.source == EntrySource.OBLIGATION) != people  # obligations count for orgs, the rest for people
    ]
    if not items:
        return 0
    if people:
        members = subject_memberships(scheme)
        if only is not None:
            members = members.filter(pk__in=only)
        subjects = {pk: (org, person) for pk, org, person in members.values_list("pk", "org_id", "person_id")}
    else:
        subjects = {pk: (pk, 0) for pk in subject_orgs(scheme).values_list("pk", flat=True)}
    found = _found(period, {i.source for i in items}, subjects, only, today)
    stamp = now_value()
    rows = (
        (
            period.pk,
            item.dimension_id,
            item.pk,
            subjects[subject][0],
            None if people else subject,
            subject if people else None,
            item.points_min * count,
            count,
            item.source,
            EntryStatus.APPROVED,
            "",
            f'[{{"type":"{EVIDENCE_TYPE[EntrySource(item.source)]}","ids":{ids}}}]',
            1,
            stamp,
            stamp,
        )
        for item in items
        for subject, (count, ids) in found[item.source].items()
    )
    return insert_rows(Entry, ENTRY_FIELDS, rows)


def recompute_scheme(scheme: Scheme, today: dt.date | None = None) -> int:
    """Every open period of a scheme (the benchmark's "a year of points")."""
    return sum(recompute_period(p, today=today) for p in scheme.periods.exclude(state__in=CLOSED_STATES))


def recompute_members(membership_ids: Iterable[int], day: dt.date) -> None:
    """After records of several members changed: their automatic entries in the open period covering
    `day` of every active person scheme above them, one recompute per period for all of them (the
    same result as recomputing each member on their own)."""
    from xianfeng.people.models import Membership

    members = list(Membership.objects.filter(pk__in=set(membership_ids)).values_list("pk", "org__path"))
    if not members:
        return
    periods = (
        Period.objects.filter(
            scheme__status="active",
            scheme__subject_type__in=[SubjectType.MEMBER, SubjectType.CANDIDATE],
            start__lte=day,
            end__gte=day,
        )
        .exclude(state__in=CLOSED_STATES)
        .select_related("scheme__org")
    )
    for period in periods:
        prefix = period.scheme.org.path
        below = [pk for pk, path in members if path.startswith(prefix)]
        if below:
            recompute_period(period, below)


def on_record_changed(membership_ids: Iterable[int], day: dt.date | None) -> None:
    """Signal entry point, run after the commit: recomputation is derived data, so a failure here is
    logged and never undoes or fails the record's own write (period compute rebuilds it anyway)."""
    if day is None:
        return
    try:
        recompute_members(membership_ids, day)
    except Exception:  # a derived-data refresh must not break the records module that triggered it
        log.exception("scoring: recomputing automatic entries failed")
