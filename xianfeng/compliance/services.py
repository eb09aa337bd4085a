"""Writes of the compliance app: enterprise obligation profiles and their obligations, profile
assignments and imports, contact points, and reading notifications.

The national profile is built in and read-only. An enterprise obligation may not loosen a national
rule (status C) of the same kind and subject: a lower count, or a longer period (RULES.md §10.3);
it may replace a local default (status L) of the national profile by using the same code. Bad input
is refused with a message naming the field, and nothing is written.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.activities.choices import TopicTag
from xianfeng.activities.models import ActivityKind
from xianfeng.compliance.catalogue import load_profile
from xianfeng.compliance.models import (
    Condition,
    ContactPoint,
    Notification,
    Obligation,
    ObligationProfile,
    ProfileAssignment,
    RuleLevel,
    SubjectKind,
)
from xianfeng.compliance.periods import MONTHS_IN, PeriodKind
from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, require
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Post
from xianfeng.people.models import Person

OBLIGATION_FIELDS = (
    "code",
    "title",
    "subject",
    "org_types",
    "posts",
    "condition",
    "topic_tag",
    "given_by_subject",
    "at_contact_point",
    "min_count",
    "period",
    "deadline_month",
    "deadline_day",
    "due_soon_days",
    "citation",
    "rule_ref",
    "valid_from",
    "valid_to",
)
CONTACT_POINT_ORG_TYPES = frozenset(
    {OrgType.GENERAL_BRANCH, OrgType.BRANCH, OrgType.JOINT_BRANCH, OrgType.TEMPORARY_BRANCH}
)


def _raise(errors: dict[str, Any]) -> None:
    if errors:
        raise ValidationError(errors)


# --- Permissions ----------------------------------------------------------------------------------


def may_edit_profile(actor: Any, profile: ObligationProfile) -> bool:
    """Enterprise profiles are edited by those who manage every org they are assigned to."""
    if profile.builtin:
        return False
    orgs = [a.org for a in profile.assignments.all()]
    if not orgs:
        return can(actor, Action.MANAGE_ORGS, None)
    return all(can(actor, Action.MANAGE_ORGS, org) for org in orgs)


def _require_profile(actor: Any, profile: ObligationProfile) -> None:
    if profile.builtin:
        raise PermissionDenied(_("The national profile is built in and cannot be changed."))
    if actor is not None and not may_edit_profile(actor, profile):
        raise PermissionDenied(_("You may not change this profile."))


# --- Validation -----------------------------------------------------------------------------------


def _period_months(period: str) -> int:
    return MONTHS_IN[period]


def relaxes(
    candidate: Obligation, candidate_kinds: Iterable[int], floor: Obligation, floor_kinds: Iterable[int]
) -> bool:
    """Would `candidate` loosen the national `floor` rule? Only rules counting the same thing for the
    same subjects compare: same subject kind, overlapping kinds, org types and posts, same topic tag
    and the same "given by" / "at the contact point" flags. Loosening is a longer period, or fewer
    activities over the national period."""
    if candidate.subject != floor.subject or candidate.topic_tag != floor.topic_tag:
        return False
    if (candidate.given_by_subject, candidate.at_contact_point) != (
        floor.given_by_subject,
        floor.at_contact_point,
    ):
        return False
    if not set(candidate_kinds) & set(floor_kinds):
        return False
    if floor.org_types and candidate.org_types and not set(candidate.org_types) & set(floor.org_types):
        return False
    if candidate.subject == SubjectKind.POST_HOLDER and not set(candidate.posts) & set(floor.posts):
        return False
    mine, theirs = _period_months(candidate.period), _period_months(floor.period)
    if mine > theirs:
        return True
    return candidate.min_count * (theirs // mine) < floor.min_count


def obligation_errors(
    obligation: Obligation, kind_ids: Sequence[int], *, floor: Iterable[Obligation] | None = None
) -> dict[str, list[str]]:
    """Every problem with an (unsaved) obligation, by field. Also runs the model's full_clean."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not isinstance(obligation.min_count, int) or obligation.min_count < 1:
        add("min_count", _("The minimum count must be at least 1."))
    if obligation.period not in PeriodKind.values:
        add("period", _("Unknown period: choose month, quarter, half-year or year."))
    if obligation.subject not in SubjectKind.values:
        add("subject", _("Unknown subject."))
    if not kind_ids:
        add("kinds", _("Choose at least one activity kind to count."))
    bad_types = set(obligation.org_types or []) - set(OrgType.values)
    if bad_types:
        add(
            "org_types", _("Unknown organization types: %(types)s.") % {"types": ", ".join(sorted(bad_types))}
        )
    bad_posts = set(obligation.posts or []) - set(Post.values)
    if bad_posts:
        add("posts", _("Unknown posts: %(posts)s.") % {"posts": ", ".join(sorted(bad_posts))})
    if obligation.subject == SubjectKind.ORG and not obligation.org_types:
        add("org_types", _("Choose the organization types this obligation applies to."))
    if obligation.subject == SubjectKind.POST_HOLDER:
        if not obligation.posts:
            add("posts", _("Choose the posts whose holders this obligation applies to."))
        if not obligation.org_types:
            add("org_types", _("Choose the types of organization where the posts are held."))
    if obligation.at_contact_point and obligation.subject != SubjectKind.CONTACT_POINT:
        add("at_contact_point", _("Only a contact-point obligation counts activities at the contact point."))
    if obligation.condition == Condition.HAS_COMMITTEE and obligation.subject != SubjectKind.ORG:
        add("condition", _("The committee condition applies to organizations only."))
    if obligation.topic_tag and obligation.topic_tag not in TopicTag.values:
        add("topic_tag", _("Unknown topic tag."))
    if obligation.deadline_month is not None and obligation.period != PeriodKind.YEAR:
        add(
            "deadline_month",
            _("A deadline month is only for yearly obligations; give a day for shorter periods."),
        )
    if isinstance(obligation.deadline_day, int) and isinstance(obligation.deadline_month, int):
        month = obligation.deadline_month
        days = calendar.monthrange(2024, month)[1] if 1 <= month <= 12 else 31  # 2024: 29 February exists
        if not 1 <= obligation.deadline_day <= days:
            add("deadline_day", _("That day does not exist in the deadline month."))
    if obligation.valid_from and obligation.valid_to and obligation.valid_to < obligation.valid_from:
        add("valid_to", _("The end of validity cannot be before its start."))
    for national in floor if floor is not None else ():
        national_kinds = [k.pk for k in national.kinds.all()]
        if obligation.code == national.code:
            add("code", _("National rules cannot be replaced; use another code."))
        elif obligation.active and relaxes(obligation, kind_ids, national, national_kinds):
            add(
                "min_count",
                _(
                    "This would loosen a national rule: %(title)s (%(ref)s) requires %(count)s per %(period)s. "
                    "An enterprise may add obligations or make them stricter, not looser."
                )
                % {
                    "title": national.title,
                    "ref": national.rule_ref,
                    "count": national.min_count,
                    "period": PeriodKind(national.period).label,
                },
            )
    try:
        obligation.full_clean(exclude=["profile"] if obligation.profile_id is None else None)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            if name not in errors:
                for message in messages:
                    add(name, message)
    return errors


def _national_floor() -> list[Obligation]:
    return list(
        Obligation.objects.filter(
            level=RuleLevel.NATIONAL, active=True, profile__builtin=True
        ).prefetch_related("kinds")
    )


def _snapshot_with_kinds(obligation: Obligation) -> audit.Snapshot:
    snap = audit.snapshot(obligation)
    snap["kinds"] = sorted(obligation.kinds.values_list("code", flat=True)) if obligation.pk else []
    return snap


# --- Obligations ----------------------------------------------------------------------------------


@transaction.atomic
def obligation_create(
    *, actor: Any, profile: ObligationProfile, data: dict[str, Any], kinds: Sequence[ActivityKind]
) -> Obligation:
    profile = ObligationProfile.objects.select_for_update().get(pk=profile.pk)
    _require_profile(actor, profile)
    values = {name: data[name] for name in OBLIGATION_FIELDS if name in data}
    obligation = Obligation(profile=profile, level=RuleLevel.ENTERPRISE, active=True, **values)
    _raise(obligation_errors(obligation, [k.pk for k in kinds], floor=_national_floor()))
    obligation.save()
    obligation.kinds.set(kinds)
    audit.record(
        actor=actor,
        action="obligation.create",
        target=obligation,
        after=_snapshot_with_kinds(obligation),
        message=profile.code,
    )
    return obligation


@transaction.atomic
def obligation_update(
    *, actor: Any, obligation: Obligation, data: dict[str, Any], kinds: Sequence[ActivityKind] | None = None
) -> Obligation:
    obligation = Obligation.objects.select_for_update().select_related("profile").get(pk=obligation.pk)
    _require_profile(actor, obligation.profile)
    before = _snapshot_with_kinds(obligation)
    for name in OBLIGATION_FIELDS:
        if name in data:
            setattr(obligation, name, data[name])
    if "active" in data:
        obligation.active = bool(data["active"])
    kind_list = list(kinds) if kinds is not None else list(obligation.kinds.all())
    _raise(obligation_errors(obligation, [k.pk for k in kind_list], floor=_national_floor()))
    obligation.save()
    obligation.kinds.set(kind_list)
    audit.record(
        actor=actor,
        action="obligation.update",
        target=obligation,
        before=before,
        after=_snapshot_with_kinds(obligation),
        message=obligation.profile.code,
    )
    return obligation


@transaction.atomic
def obligation_deactivate(
    *, actor: Any, obligation: Obligation, valid_to: dt.date | None = None
) -> Obligation:
    """Stop an enterprise obligation: inactive, and in force until `valid_to` (today by default)."""
    obligation = Obligation.objects.select_for_update().select_related("profile").get(pk=obligation.pk)
    _require_profile(actor, obligation.profile)
    if not obligation.active:
        raise ValidationError({"active": _("This obligation is already inactive.")})
    before = _snapshot_with_kinds(obligation)
    obligation.active = False
    obligation.valid_to = valid_to or timezone.localdate()
    if obligation.valid_to < obligation.valid_from:
        obligation.valid_to = obligation.valid_from
    obligation.save(update_fields=["active", "valid_to", "updated"])
    audit.record(
        actor=actor,
        action="obligation.deactivate",
        target=obligation,
        before=before,
        after=_snapshot_with_kinds(obligation),
        message=obligation.profile.code,
    )
    return obligation


# --- Profiles -------------------------------------------------------------------------------------


@transaction.atomic
def profile_create(*, actor: Any, code: str, name: str, description: str = "") -> ObligationProfile:
    require(actor, Action.MANAGE_ORGS, None)
    profile = ObligationProfile(
        code=code, name=name, description=description, level=RuleLevel.ENTERPRISE, applies_everywhere=False
    )
    profile.full_clean()
    profile.save()
    audit.record(actor=actor, action="profile.create", target=profile, after=audit.snapshot(profile))
    return profile


@transaction.atomic
def profile_assign(*, actor: Any, profile: ObligationProfile, org: Org) -> ProfileAssignment:
    """Apply an enterprise profile to an org and its whole subtree."""
    require(actor, Action.MANAGE_ORGS, org)
    if profile.builtin or profile.applies_everywhere:
        raise ValidationError({"profile": _("The national profile applies everywhere already.")})
    if org.status != OrgStatus.ACTIVE:
        raise ValidationError({"org": _("The organization is dissolved.")})
    if ProfileAssignment.objects.filter(profile=profile, org=org).exists():
        raise ValidationError({"org": _("The profile is already assigned to this organization.")})
    assignment = ProfileAssignment.objects.create(profile=profile, org=org)
    audit.record(actor=actor, action="profile.assign", target=profile, org=org, message=org.code)
    return assignment


@transaction.atomic
def profile_unassign(*, actor: Any, assignment: ProfileAssignment) -> None:
    require(actor, Action.MANAGE_ORGS, assignment.org)
    profile, org = assignment.profile, assignment.org
    assignment.delete()
    audit.record(actor=actor, action="profile.unassign", target=profile, org=org, message=org.code)


def _row_obligation(
    row: dict[str, Any], kinds: dict[str, ActivityKind]
) -> tuple[Obligation, list[int], list[str]]:
    """An unsaved obligation from one profile file row, its kind ids and the unknown kind codes."""
    values = {name: row[name] for name in OBLIGATION_FIELDS if name in row}
    for name in ("min_count", "deadline_month", "deadline_day", "due_soon_days"):
        if isinstance(values.get(name), str) and values[name].strip().isdigit():
            values[name] = int(values[name])
    for name in ("valid_from", "valid_to"):
        if isinstance(values.get(name), str):
            try:
                values[name] = dt.date.fromisoformat(values[name])
            except ValueError:
                values[name] = None
    obligation = Obligation(
        level=row.get("level", RuleLevel.ENTERPRISE), active=row.get("active", True), **values
    )
    codes = list(row.get("kinds") or [])
    return obligation, [kinds[c].pk for c in codes if c in kinds], [c for c in codes if c not in kinds]


def profile_errors(data: Any) -> dict[str, list[str]]:
    """Problems in a profile file (compliance/data/*.json), by row: "obligations[3].min_count"."""
    errors: dict[str, list[str]] = {}
    if not isinstance(data, dict) or not isinstance(data.get("profile"), dict):
        return {"profile": [_("The file must hold a 'profile' object and an 'obligations' list.")]}
    meta, rows = data["profile"], data.get("obligations")
    if not isinstance(rows, list) or not rows:
        errors["obligations"] = [_("The profile has no obligations.")]
        return errors
    if (
        meta.get("applies_everywhere")
        or meta.get("level") == RuleLevel.NATIONAL
        or meta.get("code") == "national"
    ):
        errors["profile"] = [_("Only enterprise profiles can be imported; the national profile is built in.")]
    if not meta.get("code") or not meta.get("name"):
        errors.setdefault("profile", []).append(_("The profile needs a code and a name."))
    existing = ObligationProfile.objects.filter(code=meta.get("code")).first()
    if existing is not None and existing.builtin:
        errors.setdefault("profile", []).append(_("The national profile cannot be replaced."))
    kinds = {k.code: k for k in ActivityKind.objects.all()}
    floor = _national_floor()
    seen: set[str] = set()
    for index, row in enumerate(rows):
        if not isinstance(row, dict):
            errors[f"obligations[{index}]"] = [_("Each obligation must be an object.")]
            continue
        obligation, kind_ids, unknown = _row_obligation(row, kinds)
        problems = obligation_errors(obligation, kind_ids, floor=floor)
        if unknown:
            problems.setdefault("kinds", []).append(
                _("Unknown activity kinds: %(codes)s.") % {"codes": ", ".join(unknown)}
            )
        if obligation.level == RuleLevel.NATIONAL:
            problems.setdefault("level", []).append(_("An enterprise profile cannot hold national rules."))
        if obligation.code in seen:
            problems.setdefault("code", []).append(_("The code appears twice in the file."))
        seen.add(obligation.code)
        for name, messages in problems.items():
            errors[f"obligations[{index}].{name}"] = messages
    return errors


@transaction.atomic
def profile_import(*, actor: Any, data: dict[str, Any], org: Org | None = None) -> ObligationProfile:
    """Create or refresh an enterprise profile from a profile file, all or nothing, and assign it."""
    if org is not None:
        require(actor, Action.MANAGE_ORGS, org)
    else:
        require(actor, Action.MANAGE_ORGS, None)
    existing = ObligationProfile.objects.filter(code=(data.get("profile") or {}).get("code")).first()
    if existing is not None and not existing.builtin:
        _require_profile(actor, existing)
    _raise(profile_errors(data))
    meta = {k: v for k, v in data["profile"].items() if k in ("code", "name", "description")}
    clean = {
        "profile": {**meta, "level": RuleLevel.ENTERPRISE, "applies_everywhere": False},
        "obligations": [
            {
                **{k: v for k, v in row.items() if k in (*OBLIGATION_FIELDS, "kinds", "active")},
                "level": RuleLevel.ENTERPRISE,
            }
            for row in data["obligations"]
        ],
    }
    profile = load_profile(
        clean,
        profile_model=ObligationProfile,
        obligation_model=Obligation,
        kind_model=ActivityKind,
        builtin=False,
    )
    audit.record(
        actor=actor,
        action="profile.import",
        target=profile,
        org=org,
        message=f"{len(clean['obligations'])} obligations",
    )
    if org is not None and not ProfileAssignment.objects.filter(profile=profile, org=org).exists():
        profile_assign(actor=actor, profile=profile, org=org)
    return profile


# --- Contact points -------------------------------------------------------------------------------


@transaction.atomic
def contact_point_create(*, actor: Any, person: Person, org: Org, start_date: dt.date) -> ContactPoint:
    """Link a leader to a branch (党建工作联系点): their visits and lectures there are counted."""
    require(actor, Action.MANAGE_ORGS, org)
    errors: dict[str, str] = {}
    if org.status != OrgStatus.ACTIVE:
        errors["org"] = _("The organization is dissolved.")
    elif org.org_type not in CONTACT_POINT_ORG_TYPES:
        errors["org"] = _("A contact point is a branch or a general branch.")
    membership = getattr(person, "membership", None)
    if membership is None or membership.left_date is not None:
        errors["person"] = _("The leader must be a current party member.")
    if start_date > timezone.localdate() + dt.timedelta(days=366):
        errors["start_date"] = _("The start date is too far in the future.")
    if ContactPoint.objects.filter(person=person, org=org, end_date__isnull=True).exists():
        errors["org"] = _("This leader already has this contact point.")
    _raise(errors)
    point = ContactPoint(person=person, org=org, start_date=start_date)
    point.full_clean()
    point.save()
    audit.record(
        actor=actor, action="contact_point.create", target=point, org=org, after=audit.snapshot(point)
    )
    return point


@transaction.atomic
def contact_point_end(*, actor: Any, contact_point: ContactPoint, end_date: dt.date) -> ContactPoint:
    point = ContactPoint.objects.select_for_update().select_related("org", "person").get(pk=contact_point.pk)
    require(actor, Action.MANAGE_ORGS, point.org)
    if point.end_date is not None:
        raise ValidationError({"end_date": _("This contact point has already ended.")})
    if end_date < point.start_date:
        raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
    before = audit.snapshot(point)
    point.end_date = end_date
    point.save(update_fields=["end_date", "updated"])
    audit.record(
        actor=actor,
        action="contact_point.end",
        target=point,
        org=point.org,
        before=before,
        after=audit.snapshot(point),
    )
    return point


# --- Notifications --------------------------------------------------------------------------------


def notification_read(*, user: Any, notification: Notification) -> Notification:
    """Mark one of the user's own notifications read (others' are not found)."""
    if notification.user_id != user.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_read_all(*, user: Any) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=timezone.now())
