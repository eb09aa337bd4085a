"""Suspension forms: suspend, restore, remove after 2 years (MEM-02)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from xianfeng.lifecycle import rules, services
from xianfeng.lifecycle.forms import RemovalForm, RestoreForm, SuspensionForm
from xianfeng.lifecycle.models import MobileRecord, Suspension
from xianfeng.lifecycle.views._common import back_to_record, call, form_page, member_for, posted, record_for


@login_required
def suspension_start(request: HttpRequest, code: Any) -> HttpResponse:
    membership = member_for(request, code)
    initial: dict[str, Any] = {}
    away = MobileRecord.objects.filter(membership=membership, return_date__isnull=True).first()
    if away is not None:
        initial["since"] = away.start_date
    form = SuspensionForm(posted(request), initial=initial)
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        done = call(form, lambda: services.suspension_start(actor=request.user, membership=membership, **d))
        if done is not None:
            return back_to_record(request, membership, _("The suspension was recorded."))
    return form_page(
        request,
        form,
        title=_("Suspend the membership"),
        submit=_("Suspend"),
        membership=membership,
        danger=True,
        intro=_(
            "Grounds (MEM-02): abroad for more than 5 years (settled for private reasons, or studying "
            "without returning); or out of contact for 6 months or more and not found despite a search. "
            "After 2 years without restoration the member is removed as having left of their own accord."
        ),
    )


def _suspension(request: HttpRequest, code: Any) -> Suspension:
    queryset = Suspension.objects.select_related("membership__person", "membership__org")
    suspension: Suspension = record_for(request, queryset, code)
    return suspension


def _summary(suspension: Suspension) -> list[tuple[Any, Any]]:
    return [
        (_("Member"), suspension.membership.person.name),
        (_("Ground"), suspension.get_reason_display()),
        (_("Suspended from"), suspension.start_date.isoformat()),
        (_("Removal due"), rules.removal_due(suspension.start_date).isoformat()),
    ]


@login_required
def suspension_restore(request: HttpRequest, code: Any) -> HttpResponse:
    suspension = _suspension(request, code)
    form = RestoreForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        done = call(
            form,
            lambda: services.suspension_restore(
                actor=request.user, suspension=suspension, restored_date=d["restored_date"], note=d["note"]
            ),
        )
        if done is not None:
            return back_to_record(request, suspension.membership, _("The membership was restored."))
    return form_page(
        request,
        form,
        title=_("Restore the membership"),
        submit=_("Restore"),
        membership=suspension.membership,
        summary=_summary(suspension),
    )


@login_required
def suspension_remove(request: HttpRequest, code: Any) -> HttpResponse:
    suspension = _suspension(request, code)
    form = RemovalForm(posted(request))
    if form.is_bound and form.is_valid():
        d = form.cleaned_data
        done = call(
            form,
            lambda: services.suspension_remove(
                actor=request.user, suspension=suspension, date=d["date"], note=d["note"]
            ),
        )
        if done is not None:
            return back_to_record(request, suspension.membership, _("The member was removed."))
    return form_page(
        request,
        form,
        title=_("Remove as having left of own accord"),
        submit=_("Remove"),
        membership=suspension.membership,
        summary=_summary(suspension),
        danger=True,
        intro=_(
            "After 2 years of suspension without restoration (MEM-02). The membership ends on this date with "
            "the reason “left of own accord (自行脱党)”; nothing is deleted."
        ),
    )
