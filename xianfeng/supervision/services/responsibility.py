"""Responsibility lists (主体责任清单, 监督责任清单) per post or person, and pledges (责任书) that the
signer acknowledges themselves."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.orgs.models import Org
from xianfeng.people.choices import Post
from xianfeng.people.models import Person
from xianfeng.supervision import rules
from xianfeng.supervision.models import Pledge, ResponsibilityKind, ResponsibilityList
from xianfeng.supervision.services._common import Errors, active, clean, is_user_of, raise_errors, record
from xianfeng.supervision.services.tasks import person_errors


@transaction.atomic
def responsibility_list_create(
    *,
    actor: Any,
    org: Org,
    year: int,
    kind: str,
    content: str,
    post: str = "",
    person: Person | None = None,
) -> ResponsibilityList:
    require(actor, Action.CHANGE, org)
    errors: Errors = {}
    if kind not in ResponsibilityKind.values:
        errors["kind"] = _("Choose principal or supervisory responsibility.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    if post and post not in Post.values:
        errors["post"] = _("Choose a post.")
    if not post and person is None:
        errors["post"] = _("A list is for a post or for a named person.")
    if not clean(content):
        errors["content"] = _("List the responsibilities, one a line.")
    if not active(org):
        errors["org"] = _("The organization is dissolved.")
    errors.update(person_errors(person, org, "person"))
    raise_errors(errors)
    row = ResponsibilityList(org=org, year=year, kind=kind, post=post, person=person, content=clean(content))
    row.full_clean()
    row.save()
    record(actor, "supervision.responsibility_list_create", row, org)
    return row


@transaction.atomic
def pledge_issue(
    *,
    actor: Any,
    org: Org,
    year: int,
    title: str,
    content: str,
    signer: Person,
    issued_on: dt.date | None = None,
) -> Pledge:
    require(actor, Action.CHANGE, org)
    errors: Errors = {}
    if not clean(title):
        errors["title"] = _("Give the pledge a title.")
    if not clean(content):
        errors["content"] = _("Write what the signer pledges.")
    if not 2000 <= year <= 2100:
        errors["year"] = _("Enter a year between 2000 and 2100.")
    errors.update(person_errors(signer, org, "signer"))
    if Pledge.objects.filter(org=org, year=year, title=clean(title), signer=signer).exists():
        errors["title"] = _("%(name)s already has this pledge for %(year)s.") % {
            "name": signer.name,
            "year": year,
        }
    raise_errors(errors)
    pledge = Pledge(
        org=org,
        year=year,
        title=clean(title),
        content=clean(content),
        signer=signer,
        issued_on=issued_on or rules.today(),
        issued_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    pledge.full_clean()
    pledge.save()
    record(actor, "supervision.pledge_issue", pledge, org)
    return pledge


@transaction.atomic
def pledge_acknowledge(*, actor: Any, pledge: Pledge) -> Pledge:
    """Only the signer acknowledges, from their own account (not an administrator for them)."""
    pledge = Pledge.objects.select_for_update(of=("self",)).select_related("signer", "org").get(pk=pledge.pk)
    if not is_user_of(actor, pledge.signer):
        raise_errors(
            {"__all__": _("Only %(name)s can acknowledge this pledge.") % {"name": pledge.signer.name}}
        )
    if pledge.acknowledged_at is not None:
        raise_errors({"__all__": _("This pledge has already been acknowledged.")})
    pledge.acknowledged_at = timezone.now()
    pledge.save(update_fields=["acknowledged_at", "updated"])
    record(actor, "supervision.pledge_acknowledge", pledge, pledge.org)
    return pledge
