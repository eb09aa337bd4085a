"""Self-service and branch pages: a member's own points with the evidence behind each entry, and a
branch's assessment across the year."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership
from xianfeng.scoring import selectors
from xianfeng.scoring.choices import SubjectType
from xianfeng.scoring.models import Entry
from xianfeng.scoring.views._common import require_staff, schemes_for


def evidence_rows(entries: list[Entry]) -> dict[int, list[dict[str, Any]]]:
    """The records behind automatic entries, resolved in one query per record type."""
    from xianfeng.activities.models import Activity
    from xianfeng.dues.models import DuesPayment

    wanted: dict[str, set[int]] = {"activity": set(), "payment": set()}
    for e in entries:
        for ev in e.evidence:
            if ev.get("type") in wanted:
                wanted[ev["type"]].update(int(i) for i in ev.get("ids", []))
    activities = {
        a.pk: a
        for a in Activity.objects.filter(pk__in=wanted["activity"]).only("pk", "code", "title", "held_start")
    }
    payments = {
        p.pk: p
        for p in DuesPayment.objects.filter(pk__in=wanted["payment"]).only("pk", "month_owed", "paid_on")
    }
    out: dict[int, list[dict[str, Any]]] = {}
    for e in entries:
        rows: list[dict[str, Any]] = []
        for ev in e.evidence:
            for i in ev.get("ids", []):
                if ev.get("type") == "activity" and i in activities:
                    a = activities[i]
                    day = timezone.localtime(a.held_start).date() if a.held_start else None
                    rows.append({"date": day, "label": a.title, "activity": a})
                elif ev.get("type") == "payment" and i in payments:
                    p = payments[i]
                    rows.append({"date": p.paid_on, "label": f"{p.month_owed:%Y-%m}"})
                elif ev.get("type") == "work_order":
                    rows.append({"date": ev.get("date"), "label": e.note})
        out[e.pk] = rows
        e.__dict__["evidence_rows"] = rows  # read by the template as entry.evidence_rows
    return out


@login_required
@require_GET
def mine(request: HttpRequest) -> HttpResponse:
    """Every logged-in user: their own points (phone-friendly). Without a party record, an empty page."""
    membership = (
        Membership.objects.filter(person__user_id=request.user.pk or 0)
        .select_related("org", "person")
        .first()
    )
    cards = selectors.my_points(membership, timezone.localdate()) if membership else []
    entries = [e for c in cards for e in c.entries]
    context = {"membership": membership, "cards": cards, "evidence": evidence_rows(entries)}
    return render(request, "scoring/mine.html", context)


@login_required
@require_GET
def branch(request: HttpRequest, org_id: int) -> HttpResponse:
    """A branch's assessment: its result and dimension scores per period of every branch scheme, and
    the entries of the chosen period with their evidence."""
    require_staff(request.user)
    org: Org = get_for_user(Org.objects.all(), request.user, Action.VIEW, pk=org_id)
    schemes = list(
        schemes_for(request.user).filter(subject_type=SubjectType.BRANCH, org__path__in=_ancestors(org))
    )
    if not schemes:
        raise Http404
    scheme = next((s for s in schemes if str(s.pk) == request.GET.get("scheme")), schemes[0])
    history = selectors.branch_history(scheme, org)
    chosen = next((p for p, _r in history if str(p.pk) == request.GET.get("period")), None)
    chosen = chosen or selectors.current_period(scheme, timezone.localdate())
    entries = list(selectors.entries_of_subject(chosen, org=org)) if chosen else []
    context = {
        "org": org,
        "schemes": schemes,
        "scheme": scheme,
        "history": history,
        "dims": [d for d in scheme.dimensions.all() if d.kind != "veto"],
        "chosen": chosen,
        "entries": entries,
        "evidence": evidence_rows(entries),
    }
    return render(request, "scoring/branch.html", context)


def _ancestors(org: Org) -> list[str]:
    return [org.path[:i] for i in range(4, len(org.path) + 1, 4)]
