"""The only writers of people, memberships and posts. Each write is validated, scoped and audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit, crypto
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ensure_in_scope, require
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import idcard, rules
from xianfeng.people.choices import (
    COMMITTEE_POSTS,
    STATUS_ORDER,
    LeaveReason,
    MembershipEventKind,
    PoliticalStatus,
    Post,
)
from xianfeng.people.models import Membership, MembershipEvent, Person, PostHolding

PERSON_FIELDS = (
    "name",
    "gender",
    "ethnicity",
    "birth_date",
    "id_number",
    "phone",
    "education",
    "employee_no",
    "business_unit",
    "department",
    "job_post",
    "hire_date",
)
MEMBERSHIP_FIELDS = (
    "status",
    "party_group",
    "application_date",
    "activist_date",
    "candidate_date",
    "admission_date",
    "conversion_date",
)


def _today() -> dt.date:
    return timezone.localdate()


def _actor_name(actor: Any) -> str:
    return (
        actor.get_username() if actor is not None and getattr(actor, "is_authenticated", False) else "system"
    )


def _set_hashes(person: Person) -> None:
    person.id_number = idcard.normalize(person.id_number or "")
    person.id_number_hash = crypto.lookup_hash(person.id_number)
    person.phone = (person.phone or "").strip()
    person.phone_hash = crypto.lookup_hash(person.phone) if person.phone else ""


def duplicate_person_errors(person: Person) -> dict[str, str]:
    """The same ID number, or the same employee number in the same business unit, already exists."""
    errors: dict[str, str] = {}
    others = Person.objects.exclude(pk=person.pk)
    if others.filter(id_number_hash=person.id_number_hash).exists():
        errors["id_number"] = _("A person with this ID number is already recorded.")
    if (
        person.employee_no
        and others.filter(employee_no=person.employee_no, business_unit=person.business_unit).exists()
    ):
        errors["employee_no"] = _("This employee number is already used in this business unit.")
    return errors


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def build_member(
    *, org: Org, person_data: dict[str, Any], membership_data: dict[str, Any]
) -> tuple[Person, Membership]:
    """Unsaved, normalized Person and Membership from plain data (shared with the importer)."""
    person = Person(**{k: v for k, v in person_data.items() if k in PERSON_FIELDS})
    if person.id_number:
        try:  # Birth date and gender follow from a valid ID number when left empty.
            parsed = idcard.parse(person.id_number, today=_today())
            person.birth_date = person.birth_date or parsed.birth_date
            person.gender = person.gender or parsed.gender
        except idcard.IdNumberError:
            pass
    _set_hashes(person)
    membership = Membership(
        person=person, org=org, **{k: v for k, v in membership_data.items() if k in MEMBERSHIP_FIELDS}
    )
    return person, membership


def member_errors(person: Person, membership: Membership, *, check_duplicates: bool = True) -> dict[str, str]:
    today = _today()
    errors = rules.person_errors(person, today=today)
    for key, message in rules.membership_errors(membership, person, today=today).items():
        errors.setdefault(key, message)
    if check_duplicates and "id_number" not in errors:
        for key, message in duplicate_person_errors(person).items():
            errors.setdefault(key, message)
    return errors


@transaction.atomic
def member_create(
    *, actor: Any, org: Org, person_data: dict[str, Any], membership_data: dict[str, Any]
) -> Membership:
    """Record a person and their party membership in `org`."""
    require(actor, Action.CHANGE, org)
    person, membership = build_member(org=org, person_data=person_data, membership_data=membership_data)
    _raise(member_errors(person, membership))
    person.full_clean(exclude=["id_number_hash", "phone_hash", "user"])
    person.save()
    membership.person = person
    membership.full_clean()
    membership.save()
    _record_created(actor=actor, person=person, membership=membership)
    ensure_in_scope(actor, Action.CHANGE, Membership.objects.all(), [membership.pk])
    return membership


def returning_person(person: Person) -> Person | None:
    """The recorded person with the same ID number whose membership has ended: someone who left
    (e.g. transferred out of the system) and comes back. None for a new person or a current member."""
    if not person.id_number_hash:
        return None
    found = Person.objects.filter(id_number_hash=person.id_number_hash).exclude(pk=person.pk).first()
    if found is None or not Membership.objects.filter(person=found, left_date__isnull=False).exists():
        return None
    return found


# Ways of leaving after which a letter of introduction may bring the person back; after the others
# (death, expulsion, withdrawal…) a return is a new application, not a transfer.
REJOIN_AFTER = frozenset({LeaveReason.TRANSFER_OUT, LeaveReason.OTHER})


def rejoin_errors(person: Person) -> dict[str, str]:
    last = Membership.objects.filter(person=person).first()
    if last is not None and last.is_current:
        return {"id_number": _("This person is a current member: transfer the membership instead.")}
    if last is not None and last.left_reason not in REJOIN_AFTER:
        return {
            "id_number": _(
                "This person left on %(date)s (%(reason)s): a letter of introduction does not bring them "
                "back; record a new application instead."
            )
            % {
                "date": last.left_date.isoformat() if last.left_date else "",
                "reason": last.get_left_reason_display(),
            }
        }
    return {}


@transaction.atomic
def member_rejoin(
    *, actor: Any, person: Person, org: Org, membership_data: dict[str, Any], date: dt.date, reason: str
) -> Membership:
    """Bring back a person whose membership ended (transferred out of the system, now returning):
    the same membership record is reopened in `org`, with the status and any dates the letter gives;
    the earlier history stays on it, and the return is a transfer event from the old org."""
    require(actor, Action.CHANGE, org)
    membership = Membership.objects.select_for_update().select_related("org", "person").get(person=person)
    _raise(rejoin_errors(person))
    before = audit.snapshot(membership)
    from_org = membership.org
    membership.org, membership.party_group = org, None
    membership.left_date, membership.left_reason = None, ""
    for name, value in membership_data.items():
        if name in MEMBERSHIP_FIELDS and value not in (None, ""):
            setattr(membership, name, value)
    _raise(rules.membership_errors(membership, membership.person, today=_today()))
    membership.full_clean()
    membership.save()
    MembershipEvent.objects.create(
        membership=membership,
        kind=MembershipEventKind.TRANSFER,
        date=date,
        from_org=from_org,
        to_org=org,
        to_status=membership.status,
        reason=reason,
        actor_name=_actor_name(actor),
    )
    audit.record(
        actor=actor,
        action="membership.rejoin",
        target=membership,
        org=org,
        before=before,
        after=audit.snapshot(membership),
        message=reason,
        target_repr=str(membership.person),
    )
    ensure_in_scope(actor, Action.CHANGE, Membership.objects.all(), [membership.pk])
    return membership


def _record_created(*, actor: Any, person: Person, membership: Membership) -> None:
    MembershipEvent.objects.create(
        membership=membership,
        kind=MembershipEventKind.JOINED,
        date=_today(),
        to_status=membership.status,
        to_org=membership.org,
        actor_name=_actor_name(actor),
    )
    audit.record(
        actor=actor, action="person.create", target=person, org=membership.org, after=audit.snapshot(person)
    )
    audit.record(
        actor=actor,
        action="membership.create",
        target=membership,
        org=membership.org,
        after=audit.snapshot(membership),
        target_repr=str(person),
    )


@transaction.atomic
def person_update(*, actor: Any, person: Person, data: dict[str, Any]) -> Person:
    """Change a person's employee data; ID number, birth date and gender must keep agreeing."""
    person = (
        Person.objects.select_for_update(of=("self",)).select_related("membership__org").get(pk=person.pk)
    )
    org = person.membership.org
    require(actor, Action.CHANGE, org)
    unknown = set(data) - set(PERSON_FIELDS)
    _raise({name: _("This field cannot be changed here.") for name in unknown})
    before = audit.snapshot(person)
    for name, value in data.items():
        setattr(person, name, value.strip() if isinstance(value, str) else value)
    _set_hashes(person)
    errors = rules.person_errors(person, today=_today())
    if "id_number" not in errors:
        errors.update(duplicate_person_errors(person))
    _raise(errors)
    person.full_clean(exclude=["id_number_hash", "phone_hash", "user"])
    person.save()
    after = audit.snapshot(person)
    if after != before:
        audit.record(actor=actor, action="person.update", target=person, org=org, before=before, after=after)
    return person


@transaction.atomic
def membership_update(*, actor: Any, membership: Membership, data: dict[str, Any], reason: str) -> Membership:
    """Change status, key dates or party group, with a reason; a status change adds a history line."""
    membership = Membership.objects.select_for_update().select_related("person", "org").get(pk=membership.pk)
    require(actor, Action.CHANGE, membership.org)
    unknown = set(data) - set(MEMBERSHIP_FIELDS)
    _raise({name: _("This field cannot be changed here.") for name in unknown})
    if not membership.is_current:
        raise ValidationError(_("This person has left; the record is kept as history and cannot be changed."))
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the change; it is kept in the history.")})
    before = audit.snapshot(membership)
    old_status, old_group = membership.status, membership.party_group_id
    for name, value in data.items():
        setattr(membership, name, value)
    _raise(rules.membership_errors(membership, membership.person, today=_today()))
    membership.full_clean()
    membership.save()
    _record_membership_change(actor, membership, old_status, old_group, reason)
    audit.record(
        actor=actor,
        action="membership.update",
        target=membership,
        org=membership.org,
        before=before,
        after=audit.snapshot(membership),
        message=reason,
        target_repr=str(membership.person),
    )
    return membership


def _record_membership_change(
    actor: Any, membership: Membership, old_status: str, old_group: int | None, reason: str
) -> None:
    name = _actor_name(actor)
    if membership.status != old_status:
        forward = STATUS_ORDER.index(membership.status) > STATUS_ORDER.index(old_status)
        date_field = rules.STATUS_DATE_FIELD[PoliticalStatus(membership.status)]
        MembershipEvent.objects.create(
            membership=membership,
            kind=MembershipEventKind.STATUS if forward else MembershipEventKind.CORRECTION,
            date=getattr(membership, date_field) or _today(),
            from_status=old_status,
            to_status=membership.status,
            reason=reason,
            actor_name=name,
        )
    elif membership.party_group_id != old_group:
        MembershipEvent.objects.create(
            membership=membership,
            kind=MembershipEventKind.GROUP,
            date=_today(),
            reason=reason,
            actor_name=name,
        )
    else:
        MembershipEvent.objects.create(
            membership=membership,
            kind=MembershipEventKind.CORRECTION,
            date=_today(),
            reason=reason,
            actor_name=name,
        )


@transaction.atomic
def member_transfer(
    *,
    actor: Any,
    membership: Membership,
    to_org: Org,
    date: dt.date,
    reason: str = "",
    party_group: Org | None = None,
) -> Membership:
    """Move a member to another org inside the system; both orgs keep the history line."""
    membership = Membership.objects.select_for_update().select_related("org", "person").get(pk=membership.pk)
    require(actor, Action.CHANGE, membership.org)
    require(actor, Action.CHANGE, to_org)
    errors = rules.placement_errors(to_org, party_group)
    if not membership.is_current:
        errors["membership"] = _("This person has left; a transfer is not possible.")
    if to_org.pk == membership.org_id:
        errors["to_org"] = _("The member already belongs to this organization.")
    if date > _today():
        errors["date"] = _("The transfer date cannot be in the future.")
    _raise({("to_org" if k == "org" else k): v for k, v in errors.items()})
    before = audit.snapshot(membership)
    from_org = membership.org
    membership.org, membership.party_group = to_org, party_group
    membership.save(update_fields=["org", "party_group", "updated"])
    _end_posts(membership.person, from_org, date)
    MembershipEvent.objects.create(
        membership=membership,
        kind=MembershipEventKind.TRANSFER,
        date=date,
        from_org=from_org,
        to_org=to_org,
        reason=reason,
        actor_name=_actor_name(actor),
    )
    for org in (from_org, to_org):
        audit.record(
            actor=actor,
            action="membership.transfer",
            target=membership,
            org=org,
            before=before,
            after=audit.snapshot(membership),
            message=reason,
            target_repr=str(membership.person),
        )
    ensure_in_scope(actor, Action.CHANGE, Membership.objects.all(), [membership.pk])
    return membership


def _end_posts(person: Person, org: Org, date: dt.date) -> None:
    """Posts held in the old org and its groups end when the member leaves it."""
    PostHolding.objects.filter(person=person, end_date__isnull=True, org__path__startswith=org.path).update(
        end_date=date
    )


@transaction.atomic
def member_leave(
    *, actor: Any, membership: Membership, reason: str, date: dt.date, note: str = ""
) -> Membership:
    """Record that a person left (transfer out, death, expulsion…). Nothing is deleted."""
    membership = Membership.objects.select_for_update().select_related("org", "person").get(pk=membership.pk)
    require(actor, Action.CHANGE, membership.org)
    errors: dict[str, str] = {}
    if not membership.is_current:
        errors["membership"] = _("This person has already left.")
    if reason not in LeaveReason.values:
        errors["reason"] = _("Choose a reason for leaving.")
    if date > _today():
        errors["date"] = _("The date cannot be in the future.")
    if reason == LeaveReason.OTHER and not note.strip():
        errors["note"] = _("Describe the reason.")
    _raise(errors)
    before = audit.snapshot(membership)
    membership.left_date, membership.left_reason, membership.left_note = date, reason, note.strip()
    membership.save(update_fields=["left_date", "left_reason", "left_note", "updated"])
    _end_posts(membership.person, membership.org, date)
    MembershipEvent.objects.create(
        membership=membership,
        kind=MembershipEventKind.LEFT,
        date=date,
        from_status=membership.status,
        from_org=membership.org,
        reason=f"{LeaveReason(reason).label} {note}".strip(),
        actor_name=_actor_name(actor),
    )
    audit.record(
        actor=actor,
        action="membership.leave",
        target=membership,
        org=membership.org,
        before=before,
        after=audit.snapshot(membership),
        message=note,
        target_repr=str(membership.person),
    )
    return membership


def _may_hold_post_in(membership: Membership, org: Org) -> bool:
    """A post is held in one's own org, an org above it, or a party group of one's own org."""
    if membership.org.path.startswith(org.path):
        return True
    return org.org_type == OrgType.PARTY_GROUP and org.path[: -Org.steplen] == membership.org.path


def _post_errors(person: Person, org: Org, post: str, start_date: dt.date) -> dict[str, str]:
    errors: dict[str, str] = {}
    membership = getattr(person, "membership", None)
    if post not in Post.values:
        return {"post": _("Unknown post.")}
    if start_date > _today():
        errors["start_date"] = _("The start date cannot be in the future.")
    if not org.is_active:
        errors["org"] = _("The organization is dissolved.")
    if post == Post.GROUP_LEADER and org.org_type != OrgType.PARTY_GROUP:
        errors["post"] = _("A group leader leads a party group.")
    if post in COMMITTEE_POSTS and org.org_type == OrgType.PARTY_GROUP:
        errors["post"] = _("A party group has a leader, not a committee.")
    if membership is None or not membership.is_current or not _may_hold_post_in(membership, org):
        errors["person"] = _("The post holder must be a current member of this organization or its superior.")
    elif membership.status != PoliticalStatus.FULL or (
        membership.conversion_date and membership.conversion_date > start_date
    ):
        errors["person"] = _(
            "Only full members may be elected to posts; probationary members have no candidacy rights (党章 art. 7)."
        )
    return errors


@transaction.atomic
def post_assign(*, actor: Any, person: Person, org: Org, post: str, start_date: dt.date) -> PostHolding:
    require(actor, Action.CHANGE, org)
    person = Person.objects.select_related("membership__org").get(pk=person.pk)
    _raise(_post_errors(person, org, post, start_date))
    if (
        post in (Post.SECRETARY, Post.GROUP_LEADER)
        and PostHolding.objects.filter(org=org, post=post, end_date__isnull=True).exists()
    ):
        raise ValidationError({"post": _("This post is held by someone else; end their holding first.")})
    if PostHolding.objects.filter(org=org, post=post, person=person, end_date__isnull=True).exists():
        raise ValidationError({"post": _("This person already holds this post.")})
    holding = PostHolding(person=person, org=org, post=post, start_date=start_date)
    holding.full_clean()
    holding.save()
    audit.record(actor=actor, action="post.assign", target=holding, org=org, after=audit.snapshot(holding))
    return holding


@transaction.atomic
def post_end(*, actor: Any, holding: PostHolding, end_date: dt.date) -> PostHolding:
    holding = PostHolding.objects.select_for_update().select_related("org", "person").get(pk=holding.pk)
    require(actor, Action.CHANGE, holding.org)
    errors: dict[str, str] = {}
    if holding.end_date is not None:
        errors["end_date"] = _("This post has already ended.")
    elif end_date < holding.start_date:
        errors["end_date"] = _("The end date cannot be before the start date.")
    elif end_date > _today():
        errors["end_date"] = _("The end date cannot be in the future.")
    _raise(errors)
    before = audit.snapshot(holding)
    holding.end_date = end_date
    holding.save(update_fields=["end_date", "updated"])
    audit.record(
        actor=actor,
        action="post.end",
        target=holding,
        org=holding.org,
        before=before,
        after=audit.snapshot(holding),
    )
    return holding


def person_reveal(*, actor: Any, person: Person, field: str) -> str:
    """The unmasked value of a sensitive field, for a user with the unmask right; always logged."""
    if field not in Person.SENSITIVE_FIELDS:
        raise ValidationError({"field": _("Not a sensitive field.")})
    org = person.membership.org
    require(actor, Action.UNMASK, org)
    with transaction.atomic():
        audit.record(actor=actor, action="person.unmask", target=person, org=org, message=field)
    return str(getattr(person, field) or "")


@transaction.atomic
def person_link_user(*, actor: Any, person: Person, user: Any) -> Person:
    """Link a login account to a person, so the member can see their own record."""
    org = person.membership.org
    require(actor, Action.MANAGE_ROLES, org)
    before = audit.snapshot(person)
    person.user = user
    person.save(update_fields=["user", "updated"])
    audit.record(
        actor=actor,
        action="person.link_user",
        target=person,
        org=org,
        before=before,
        after=audit.snapshot(person),
    )
    return person
