"""Development documents as .docx downloads: publicity notices, the conversion notice and the materials
checklist (issue 4, item 5). Downloads need the export right on the org and are audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.development import documents
from xianfeng.development.models import DevelopmentStep
from xianfeng.development.steps import Decision
from xianfeng.development.views._common import page_org, person
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
A_EXPORT = "export.development_document"


def _docx(request: HttpRequest, content: bytes, filename: str, org: Org, what: str) -> HttpResponse:
    audit.record(actor=request.user, action=A_EXPORT, target=org, org=org, message=f"{what}: {filename}")
    response = HttpResponse(content, content_type=DOCX)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _start(request: HttpRequest) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("start") or "")
    except ValueError:
        return timezone.localdate()


def publicity_people(org: Org, kind: str) -> list[Membership]:
    """Candidates of the subtree (发展对象公示), or candidates who passed the pre-review and await the
    branch meeting (拟接收预备党员公示)."""
    candidates = Membership.objects.filter(
        org__path__startswith=org.path, status=PoliticalStatus.CANDIDATE, left_date__isnull=True
    )
    if kind == documents.PublicityKind.ACCEPTANCE:
        passed = DevelopmentStep.objects.filter(voided=False, decision=Decision.PASSED)
        candidates = candidates.filter(
            pk__in=passed.filter(step="pre_review").values("membership_id")
        ).exclude(pk__in=passed.filter(step="acceptance_meeting").values("membership_id"))
    return list(candidates.select_related("person", "org").order_by("org__path", "person__name"))


@login_required
@require_GET
def publicity(request: HttpRequest) -> HttpResponse:
    org = page_org(request, action=Action.EXPORT)
    requested = request.GET.get("kind") or ""
    kind = requested if requested in documents.PublicityKind.values else documents.PublicityKind.CANDIDATE
    people = publicity_people(org, kind)
    if not people:
        messages.error(request, _("Nobody here is at that stage: there is nothing to publicise."))
        return redirect(f"{reverse('development:board')}?org={org.pk}")
    content = documents.publicity_notice(org, people, kind, _start(request))
    label = documents.PublicityKind(kind).label
    return _docx(request, content, f"{org.name}{label}.docx", org, str(label))


def _own_document(request: HttpRequest, code: Any) -> Membership:
    membership = person(request, code)
    require(request.user, Action.EXPORT, membership.org)
    return membership


@login_required
@require_GET
def conversion_notice(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _own_document(request, code)
    if membership.status != PoliticalStatus.PROBATIONARY:
        messages.error(request, _("Only a probationary member has a conversion notice."))
        return redirect("development:person", code=membership.code)
    content = documents.conversion_notice(membership, _start(request))
    name = f"{membership.person.name}预备党员转正公示.docx"
    return _docx(request, content, name, membership.org, "预备党员转正公示")


@login_required
@require_GET
def checklist(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _own_document(request, code)
    content = documents.materials_checklist(membership)
    return _docx(
        request, content, f"{membership.person.name}入党材料清单.docx", membership.org, "入党材料清单"
    )
