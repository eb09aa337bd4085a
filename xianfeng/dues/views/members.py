"""One member's dues: the year month by month, and the branch's forms to record, set and adjust.
Members see their own year on `me` (a phone page)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.forms import XianfengForm
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user
from xianfeng.dues import rules, services
from xianfeng.dues.collection import member_year, years_with_dues
from xianfeng.dues.forms import (
    AdjustForm,
    BaseForm,
    HardshipForm,
    PaymentForm,
    ReasonForm,
    parse_year,
)
from xianfeng.dues.models import DuesBase
from xianfeng.dues.selectors import expected_amount
from xianfeng.dues.views._common import call
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership

FORMS = ("pay", "base", "adjust", "hardship", "reason")


def _membership(request: HttpRequest, code: Any, action: str = Action.VIEW) -> Membership:
    qs = Membership.objects.select_related("person", "org")
    membership: Membership = get_for_user(qs, request.user, action, code=code)
    return membership


def _approvers(membership: Membership) -> Any:
    """Committees above the member's branch (DUES-09: approval from above the branch)."""
    return Org.objects.filter(pk__in=[a.pk for a in membership.org.get_ancestors()]).order_by("path")


def _forms(membership: Membership, year: int, bound: dict[str, XianfengForm]) -> dict[str, XianfengForm]:
    today = timezone.localdate()
    month = dt.date(year, today.month, 1) if year == today.year else dt.date(year, 1, 1)
    expected = expected_amount(membership, month)
    defaults: dict[str, XianfengForm] = {
        "pay": PaymentForm(initial={"month_owed": month, "paid_on": today, "amount": expected}),
        "base": BaseForm(initial={"year": year}),
        "adjust": AdjustForm(),
        "hardship": HardshipForm(approvers=_approvers(membership)),
        "reason": ReasonForm(),
    }
    defaults.update(bound)
    return defaults


def _page(
    request: HttpRequest, membership: Membership, year: int, bound: dict[str, XianfengForm] | None = None
) -> HttpResponse:
    today = timezone.localdate()
    can_change = can(request.user, Action.CHANGE, membership.org)
    context = {
        "membership": membership,
        "data": member_year(membership, year, today),
        "year": year,
        "years": sorted({*years_with_dues(membership), today.year, year}, reverse=True),
        "can_change": can_change,
        "forms": _forms(membership, year, bound or {}) if can_change else {},
        "open_form": next(iter(bound), "") if bound else "",
        "show_base": can_change,
    }
    return render(request, "dues/member.html", context, status=400 if bound else 200)


@login_required
@require_GET
def member(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership(request, code)
    return _page(request, membership, parse_year(request.GET.get("year"), timezone.localdate().year))


def _back(membership: Membership, year: int, message: str, request: HttpRequest) -> HttpResponse:
    messages.success(request, message)
    return redirect(reverse("dues:member", args=[membership.code]) + f"?year={year}")


@login_required
@require_POST
def member_pay(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership(request, code, Action.CHANGE)
    form = PaymentForm(request.POST)
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    if form.is_valid():
        d = form.cleaned_data
        done = call(
            form,
            lambda: services.dues_payment_record(
                actor=request.user,
                membership=membership,
                month_owed=d["month_owed"],
                amount=d["amount"],
                paid_on=d["paid_on"],
                method=d["method"],
                kind=d["kind"],
                paid_by_proxy=d["paid_by_proxy"],
                note=d["note"],
            ),
        )
        if done:
            return _back(done.membership, done.month_owed.year, _("Payment recorded."), request)
    return _page(request, membership, year, {"pay": form})


@login_required
@require_POST
def member_base(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership(request, code, Action.CHANGE)
    form = BaseForm(request.POST)
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    if form.is_valid():
        d = form.cleaned_data
        done = call(
            form,
            lambda: services.dues_base_set(
                actor=request.user,
                membership=membership,
                year=d["year"],
                category=d["category"],
                base=d["base"] if d["base"] is not None else 0,
                fixed_amount=d["fixed_amount"],
            ),
        )
        if done:
            return _back(membership, done.year, _("Dues base saved."), request)
    return _page(request, membership, year, {"base": form})


def _base_of(membership: Membership, year: int) -> DuesBase | None:
    return DuesBase.objects.filter(membership=membership, year=year).first()


def _no_base(form: XianfengForm, year: int) -> None:
    form.add_error(
        None, _("No dues base is set for %(y)d (%(src)s).") % {"y": year, "src": rules.SOURCE_BASE_YEAR}
    )


@login_required
@require_POST
def member_adjust(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership(request, code, Action.CHANGE)
    form = AdjustForm(request.POST)
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    if form.is_valid():
        d = form.cleaned_data
        base = _base_of(membership, d["effective_month"].year)
        if base is None:
            _no_base(form, d["effective_month"].year)
        elif call(
            form,
            lambda: services.dues_base_adjust(
                actor=request.user,
                dues_base=base,
                effective_month=d["effective_month"],
                base=d["base"] if d["base"] is not None else 0,
                fixed_amount=d["fixed_amount"],
                reason=d["reason"],
            ),
        ):
            return _back(membership, base.year, _("Mid-year adjustment recorded."), request)
    return _page(request, membership, year, {"adjust": form})


@login_required
@require_POST
def member_hardship(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership(request, code, Action.CHANGE)
    form = HardshipForm(request.POST, approvers=_approvers(membership))
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    if form.is_valid():
        d = form.cleaned_data
        base = _base_of(membership, d["from_month"].year)
        if base is None:
            _no_base(form, d["from_month"].year)
        elif call(
            form,
            lambda: services.dues_hardship_set(
                actor=request.user,
                dues_base=base,
                hardship=d["hardship"],
                reason=d["reason"],
                approved_by=d["approved_by"],
                from_month=d["from_month"],
                to_month=d["to_month"],
                reduced_amount=d["reduced_amount"],
            ),
        ):
            return _back(membership, base.year, _("Reduction or exemption recorded."), request)
    return _page(request, membership, year, {"hardship": form})


@login_required
@require_POST
def member_reason(request: HttpRequest, code: Any) -> HttpResponse:
    membership = _membership(request, code, Action.CHANGE)
    form = ReasonForm(request.POST)
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    if form.is_valid():
        d = form.cleaned_data
        done = call(
            form,
            lambda: services.arrears_reason_record(
                actor=request.user,
                membership=membership,
                from_month=d["from_month"],
                to_month=d["to_month"],
                reason=d["reason"],
            ),
        )
        if done:
            return _back(membership, year, _("Reason recorded."), request)
    return _page(request, membership, year, {"reason": form})


@login_required
@require_GET
def me(request: HttpRequest) -> HttpResponse:
    """A member's own dues on a phone: what is owed, what was paid, month by month."""
    today = timezone.localdate()
    person = getattr(request.user, "person", None)
    membership = getattr(person, "membership", None) if person is not None else None
    year = parse_year(request.GET.get("year"), today.year)
    context: dict[str, Any] = {"membership": membership, "year": year}
    if membership is not None:
        context["data"] = member_year(membership, year, today)
        context["years"] = sorted({*years_with_dues(membership), today.year, year}, reverse=True)
    return render(request, "dues/me.html", context)
