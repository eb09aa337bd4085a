"""Reads of the lifecycle: the org lists (open letters, mobile members, suspensions, the medal list),
the overdue letters for the compliance engine, and a member record's sections — each in a fixed
number of queries whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Max, OuterRef, Prefetch, Q, QuerySet

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.lifecycle import rules
from xianfeng.lifecycle.choices import LetterDirection, LetterState, LetterStatus, SuspensionState
from xianfeng.lifecycle.info import KINDS, InfoKind
from xianfeng.lifecycle.models import InfoEntry, MobileContact, MobileRecord, Suspension, TransferLetter
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership

# --- transfer letters ------------------------------------------------------------------------------


def overdue_letters(scope_q: Q, today: dt.date) -> list[TransferLetter]:
    """Letters out of orgs matching `scope_q` (a filter on Org) issued and not received by the end
    of their validity (MEM-03), most overdue first; org, member and person loaded. One query.

    For the compliance due list: the deadline is `valid_until` (overdue from the next day),
    `days_overdue(today)` the delay, `org_id` the responsible (sending) org."""
    return list(
        TransferLetter.objects.overdue(today)
        .filter(org__in=Org.objects.filter(scope_q).values("pk"))
        .select_related("org", "membership__person")
        .order_by("valid_until", "pk")
    )


@dataclass
class LetterRow:
    letter: TransferLetter
    state: str
    days_overdue: int

    @property
    def label(self) -> str:
        return str(LetterState(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.letter.direction == LetterDirection.OUT and self.letter.status == LetterStatus.ISSUED


def letter_row(letter: TransferLetter, today: dt.date) -> LetterRow:
    return LetterRow(letter, letter.state_on(today), letter.days_overdue(today))


def letters_in_subtree(org: Org, *, open_only: bool = True) -> QuerySet[TransferLetter]:
    """Letters of an org's subtree: open letters out with the most overdue first, or all letters
    newest first."""
    letters = TransferLetter.objects.in_subtree(org).select_related(
        "org", "counterpart_org", "membership__person"
    )
    if open_only:
        return letters.open().order_by("valid_until", "pk")
    return letters.order_by("-issue_date", "-pk")


# --- mobile members ---------------------------------------------------------------------------------


@dataclass
class MobileRow:
    record: MobileRecord
    state: rules.MobileState


def _mobile_state(record: MobileRecord, last_contact: dt.date | None, today: dt.date) -> rules.MobileState:
    return rules.mobile_state(
        start_date=record.start_date,
        abroad=record.abroad,
        last_contact=last_contact,
        return_date=record.return_date,
        today=today,
    )


def _mobile_order(row: MobileRow) -> tuple[Any, ...]:
    state = row.state
    return (
        not state.contact_overdue,
        not state.contact_due_soon,
        state.contact_due or dt.date.max,
        not state.mobile,
        row.record.start_date,
        row.record.pk,
    )


def mobile_rows(org: Org, today: dt.date) -> list[MobileRow]:
    """Members of the subtree away now: contact overdue first, then due soon, then the rest. One query."""
    records = (
        MobileRecord.objects.in_subtree(org)
        .filter(return_date__isnull=True, membership__left_date__isnull=True)
        .select_related("membership__person", "membership__org")
        .annotate(last_contact=Max("contacts__date"))
    )
    rows = [MobileRow(r, _mobile_state(r, r.last_contact, today)) for r in records]  # type: ignore[attr-defined]
    return sorted(rows, key=_mobile_order)


# --- suspensions -----------------------------------------------------------------------------------


@dataclass
class SuspensionRow:
    suspension: Suspension
    state: str
    removal_due: dt.date

    @property
    def label(self) -> str:
        return str(SuspensionState(self.state).label)


def _suspension_row(suspension: Suspension, today: dt.date) -> SuspensionRow:
    state = rules.suspension_state(
        start_date=suspension.start_date,
        restored_date=suspension.restored_date,
        removed_date=suspension.removed_date,
        today=today,
    )
    return SuspensionRow(suspension, state, rules.removal_due(suspension.start_date))


def suspension_rows(org: Org, today: dt.date, *, open_only: bool = True) -> list[SuspensionRow]:
    """Suspensions of the subtree: those due for removal first, then the oldest. One query."""
    suspensions = Suspension.objects.in_subtree(org).select_related("membership__person", "membership__org")
    if open_only:
        suspensions = suspensions.filter(
            restored_date__isnull=True, removed_date__isnull=True, membership__left_date__isnull=True
        )
    rows = [_suspension_row(s, today) for s in suspensions]
    return sorted(
        rows, key=lambda r: (r.state != SuspensionState.DUE_REMOVAL, r.suspension.start_date, r.suspension.pk)
    )


# --- the medal list --------------------------------------------------------------------------------


def _open_suspension() -> Exists:
    return Exists(
        Suspension.objects.filter(
            membership=OuterRef("pk"), restored_date__isnull=True, removed_date__isnull=True
        )
    )


def medal_members(org: Org, year: int) -> QuerySet[Membership]:
    """ "光荣在党50年" (MEM-11): living current full members of the subtree whose conversion date is on
    or before 1 July of (year − 50); a suspended membership is not in good standing. Members who
    left (death included) are not current."""
    return (
        Membership.objects.in_subtree(org)
        .current()
        .filter(status=PoliticalStatus.FULL, conversion_date__lte=rules.medal_cutoff(year))
        .exclude(_open_suspension())
        .with_people("org")
        .order_by("conversion_date", "org__path", "person__name", "pk")
    )


# --- a member's record ------------------------------------------------------------------------------


@dataclass
class InfoSection:
    kind: InfoKind
    entries: list[InfoEntry]


@dataclass
class MemberSections:
    membership: Membership
    can_change: bool
    letters: list[LetterRow] = field(default_factory=list)
    mobile: list[MobileRow] = field(default_factory=list)
    suspensions: list[SuspensionRow] = field(default_factory=list)
    info: list[InfoSection] = field(default_factory=list)
    today: dt.date = dt.date.min

    @property
    def open_letter(self) -> LetterRow | None:
        return next((row for row in self.letters if row.is_open), None)

    @property
    def has_letter_in(self) -> bool:
        return any(row.letter.direction == LetterDirection.IN for row in self.letters)

    @property
    def away(self) -> MobileRow | None:
        return next((row for row in self.mobile if row.record.return_date is None), None)

    @property
    def open_suspension(self) -> SuspensionRow | None:
        return next((row for row in self.suspensions if row.suspension.is_open), None)

    @property
    def is_party_member(self) -> bool:
        return self.membership.status in (PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL)


def member_sections(membership: Membership, user: Any, today: dt.date) -> MemberSections:
    """Everything the lifecycle shows on a member's record, in 9 queries at most (letters, time away
    and its contacts, suspensions, one per info kind); family members only for users who may change
    the record."""
    may_change = can(user, Action.CHANGE, membership.org)
    sections = MemberSections(membership=membership, can_change=may_change, today=today)
    sections.letters = [
        letter_row(letter, today)
        for letter in TransferLetter.objects.filter(membership=membership).select_related(
            "org", "counterpart_org"
        )
    ]
    contacts = Prefetch("contacts", queryset=MobileContact.objects.order_by("-date", "-id"))
    for record in MobileRecord.objects.filter(membership=membership).prefetch_related(contacts):
        logged = list(record.contacts.all())
        last = logged[0].date if logged else None
        sections.mobile.append(MobileRow(record, _mobile_state(record, last, today)))
    sections.suspensions = [
        _suspension_row(s, today) for s in Suspension.objects.filter(membership=membership)
    ]
    for kind in KINDS.values():
        if kind.personal and not may_change:
            continue
        entries = list(kind.model.objects.filter(membership=membership))
        sections.info.append(InfoSection(kind, entries))
    return sections
