"""The only writers of organizations: create, update (rename…), move, dissolve. Each is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import ensure_in_scope, require
from xianfeng.orgs.choices import ALLOWED_PARENTS, ALLOWED_TERM_YEARS, DEFAULT_TERM_YEARS, OrgStatus, OrgType
from xianfeng.orgs.models import Org

EDITABLE_FIELDS = (
    "name",
    "short_name",
    "code",
    "business_unit",
    "founded_date",
    "term_start",
    "term_years",
)


def _today() -> dt.date:
    return timezone.localdate()


def _check_parent(org_type: str, parent: Org | None) -> None:
    allowed = ALLOWED_PARENTS[org_type]
    parent_type = parent.org_type if parent is not None else None
    if parent_type not in allowed:
        raise ValidationError(
            {
                "parent": _("A %(type)s cannot be placed under %(parent)s.")
                % {
                    "type": OrgType(org_type).label,
                    "parent": OrgType(parent_type).label if parent_type else _("the top level"),
                }
            }
        )
    if parent is not None and not parent.is_active:
        raise ValidationError({"parent": _("The parent organization is dissolved.")})


def _check_dates(org: Org) -> None:
    today = _today()
    errors: dict[str, str] = {}
    if org.founded_date and org.founded_date > today:
        errors["founded_date"] = _("The founding date cannot be in the future.")
    if org.term_start and org.term_start > today:
        errors["term_start"] = _("The term start cannot be in the future.")
    if org.term_start and org.founded_date and org.term_start < org.founded_date:
        errors["term_start"] = _("The term cannot start before the organization was founded.")
    if org.term_years is not None and org.term_years not in ALLOWED_TERM_YEARS:
        errors["term_years"] = _("A term is 3 or 5 years (党章 art. 31; 任期意见 item 1).")
    if org.term_years and DEFAULT_TERM_YEARS[org.org_type] is None:
        errors["term_years"] = _("Temporary branches and party groups have no elected term.")
    if errors:
        raise ValidationError(errors)


def _check_code_unique(org: Org) -> None:
    if Org.objects.filter(code=org.code).exclude(pk=org.pk).exists():
        raise ValidationError({"code": _("Another organization already uses this code.")})


@transaction.atomic
def org_create(
    *,
    actor: Any,
    parent: Org | None,
    org_type: str,
    name: str,
    code: str,
    short_name: str = "",
    business_unit: str = "",
    founded_date: dt.date | None = None,
    term_start: dt.date | None = None,
    term_years: int | None = None,
) -> Org:
    if parent is None:
        if actor is not None and not getattr(actor, "is_superuser", False):
            require(actor, Action.MANAGE_ORGS, None)
            raise ValidationError({"parent": _("Only a superuser can create a top-level organization.")})
    else:
        require(actor, Action.MANAGE_ORGS, parent)
    _check_parent(org_type, parent)
    if term_start and term_years is None:
        term_years = DEFAULT_TERM_YEARS[org_type]
    org = Org(
        name=name.strip(),
        short_name=short_name.strip(),
        code=code.strip(),
        org_type=org_type,
        business_unit=business_unit.strip(),
        founded_date=founded_date,
        term_start=term_start,
        term_years=term_years,
    )
    org.term_end = org.compute_term_end()
    _check_dates(org)
    _check_code_unique(org)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org = (
        Org.objects.add_child(parent, instance=org)
        if parent is not None
        else Org.objects.add_root(instance=org)
    )
    audit.record(actor=actor, action="org.create", target=org, org=org, after=audit.snapshot(org))
    return org


@transaction.atomic
def org_update(*, actor: Any, org: Org, data: dict[str, Any]) -> Org:
    """Rename, re-code or change founding and term data. Type and place change only by move."""
    require(actor, Action.MANAGE_ORGS, org)
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    org = Org.objects.select_for_update().get(pk=org.pk)
    if not org.is_active:
        raise ValidationError(_("A dissolved organization cannot be changed."))
    before = audit.snapshot(org)
    for name, value in data.items():
        setattr(org, name, value.strip() if isinstance(value, str) else value)
    if org.term_start and org.term_years is None:
        org.term_years = DEFAULT_TERM_YEARS[org.org_type]
    org.term_end = org.compute_term_end()
    _check_dates(org)
    _check_code_unique(org)
    org.full_clean(exclude=["path", "depth", "numchild"])
    org.save()
    after = audit.snapshot(org)
    if after != before:
        audit.record(actor=actor, action="org.update", target=org, org=org, before=before, after=after)
    return org


@transaction.atomic
def org_move(*, actor: Any, org: Org, new_parent: Org) -> Org:
    """Move an org and its subtree under another parent; never under itself or its descendants."""
    org = Org.objects.get(pk=org.pk)
    new_parent = Org.objects.get(pk=new_parent.pk)
    require(actor, Action.MANAGE_ORGS, org)
    require(actor, Action.MANAGE_ORGS, new_parent)
    if new_parent.path.startswith(org.path):
        raise ValidationError(
            {"parent": _("An organization cannot be moved under itself or its own sub-organization.")}
        )
    if org.is_root():
        raise ValidationError({"parent": _("The top-level organization cannot be moved.")})
    _check_parent(org.org_type, new_parent)
    old_parent = org.get_parent()
    if old_parent is not None and old_parent.pk == new_parent.pk:
        return org
    before = audit.snapshot(org)
    Org.objects.move(org, new_parent, pos="last-child")
    org = Org.objects.get(pk=org.pk)
    ensure_in_scope(actor, Action.MANAGE_ORGS, Org.objects.all(), [org.pk])
    audit.record(
        actor=actor,
        action="org.move",
        target=org,
        org=org,
        before=before,
        after=audit.snapshot(org),
        message=_("Moved from %(old)s to %(new)s") % {"old": old_parent, "new": new_parent},
    )
    return org


@transaction.atomic
def org_dissolve(*, actor: Any, org: Org, date: dt.date, reason: str) -> Org:
    """Dissolve an org that no longer has active members or active sub-organizations."""
    from xianfeng.people.selectors import active_members_in_subtree_count

    org = Org.objects.select_for_update().get(pk=org.pk)
    require(actor, Action.MANAGE_ORGS, org)
    errors: dict[str, str] = {}
    if not org.is_active:
        errors["status"] = _("The organization is already dissolved.")
    if not reason.strip():
        errors["reason"] = _("Give the reason for the dissolution.")
    if date > _today():
        errors["date"] = _("The dissolution date cannot be in the future.")
    if org.founded_date and date < org.founded_date:
        errors["date"] = _("The dissolution date cannot be before the founding date.")
    if errors:
        raise ValidationError(errors)
    if org.get_children().filter(status=OrgStatus.ACTIVE).exists():
        raise ValidationError(_("Move or dissolve its active sub-organizations first."))
    if active_members_in_subtree_count(org):
        raise ValidationError(_("Transfer its members to another organization first."))
    before = audit.snapshot(org)
    org.status = OrgStatus.DISSOLVED
    org.dissolved_date = date
    org.dissolved_reason = reason.strip()
    org.save(update_fields=["status", "dissolved_date", "dissolved_reason", "updated"])
    audit.record(
        actor=actor,
        action="org.dissolve",
        target=org,
        org=org,
        before=before,
        after=audit.snapshot(org),
        message=reason.strip(),
    )
    return org
