"""Manual entries: recorded with evidence by an authorized person, decided by another (maker-checker)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import get_for_user, scope_q
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership
from xianfeng.scoring import services
from xianfeng.scoring.choices import DimensionKind, EntrySource
from xianfeng.scoring.forms import EntryForm
from xianfeng.scoring.models import Entry, Item
from xianfeng.scoring.selectors import subject_memberships, subject_orgs
from xianfeng.scoring.views._common import get_period, require_staff


def _choices(request: HttpRequest, period: object) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    scheme = period.scheme  # type: ignore[attr-defined]
    if scheme.is_person_scheme:
        members = subject_memberships(scheme).filter(scope_q(request.user, Action.CHANGE, "org__path"))
        subjects = [(str(m.code), f"{m.person.name}（{m.org.name}）") for m in members[:2000]]
    else:
        orgs = subject_orgs(scheme).filter(scope_q(request.user, Action.CHANGE, "path"))
        subjects = [(str(o.pk), o.name) for o in orgs]
    items = (
        Item.objects.filter(dimension__scheme=scheme, source=EntrySource.MANUAL)
        .exclude(dimension__kind=DimensionKind.SCORED)
        .select_related("dimension")
    )
    labels = [
        (str(i.pk), f"{i.dimension.name} · {i.name}（{i.points_min:g}～{i.points_max:g}）") for i in items
    ]
    return subjects, labels


@login_required
@require_http_methods(["GET", "POST"])
def entry_new(request: HttpRequest, pk: int) -> HttpResponse:
    require_staff(request.user)
    period = get_period(request.user, pk)
    subjects, items = _choices(request, period)
    if not subjects:
        raise PermissionDenied
    form = EntryForm(request.POST or None, subjects=subjects, items=items)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        item = Item.objects.select_related("dimension").get(pk=int(data["item"]))
        scheme = period.scheme
        subject: Org | Membership = (
            Membership.objects.select_related("org").get(code=data["subject"])
            if scheme.is_person_scheme
            else Org.objects.get(pk=int(data["subject"]))
        )
        try:
            services.entry_create(
                actor=request.user,
                period=period,
                dimension=item.dimension,
                item=item,
                subject=subject,
                points=data["points"],
                note=data["note"],
            )
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request, _("Entry recorded; it counts once another authorized person approves it.")
            )
            return redirect("scoring:period", pk=period.pk)
    status = 400 if form.errors else 200
    return render(request, "scoring/entry_form.html", {"period": period, "form": form}, status=status)


def _entry(request: HttpRequest, pk: int) -> Entry:
    entry: Entry = get_for_user(
        Entry.objects.select_related("period__scheme__org"), request.user, Action.CHANGE, pk=pk
    )
    return entry


@login_required
@require_POST
def entry_approve(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    try:
        services.entry_approve(actor=request.user, entry=entry)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Entry approved."))
    return redirect("scoring:period", pk=entry.period_id)


@login_required
@require_POST
def entry_reject(request: HttpRequest, pk: int) -> HttpResponse:
    entry = _entry(request, pk)
    try:
        services.entry_reject(actor=request.user, entry=entry, reason=request.POST.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Entry rejected."))
    return redirect("scoring:period", pk=entry.period_id)
