"""One member's dues: the year month by month, and the branch's forms to record, set and adjust.
Members see their own year on `me` (a phone page)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
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
from xianfeng.people.models import Membership


def _membership(request: HttpRequest, code: Any, action: str = Action.VIEW) -> Membership:
    qs = Membership.objects.select_related("person", "org")
    membership: Membership = get_for_user(qs, request.user, action, code=code)
    return membership


def _approvers(membership: Membership) -> Any:
    """Committees above the member's branch (DUES-09: approval from above the branch)."""
    return membership.org.get_ancestors()


def _forms(membership: Membership, year: int, bound: dict[str, XianfengForm]) -> dict[str, XianfengForm]:
    today = timezone.localdate()
    month = dt.date(year, today.month, 1) if year == today.year else dt.date(year, 1, 1)
    expected = expected_amount(membership, month)
    defaults: dict[str, XianfengForm] = {
        "pay": PaymentForm(initial={"month_owed": month, "paid_on": today, "amount": expected}),
        "base": BaseForm(initial={"year": year}),
        "adjust": AdjustForm(),
        "hardship": HardshipForm().set_approvers(_approvers(membership)),
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


Written = tuple[int, str] | None  # (the year to show, the success message), or None when refused
Write = Callable[[HttpRequest, Membership, dict[str, Any], XianfengForm], Written]


def _post(request: HttpRequest, code: Any, name: str, form: XianfengForm, write: Write) -> HttpResponse:
    """The member page's forms: check the form, call the service (its refusal lands on the form's
    fields), then back to the page; on any error the page again with this form open (400)."""
    membership = _membership(request, code, Action.CHANGE)
    if isinstance(form, HardshipForm):
        form.set_approvers(_approvers(membership))
    if form.is_valid():
        done = write(request, membership, form.cleaned_data, form)
        if done is not None:
            messages.success(request, done[1])
            return redirect(reverse("dues:member", args=[membership.code]) + f"?year={done[0]}")
    return _page(
        request, membership, parse_year(request.POST.get("year"), timezone.localdate().year), {name: form}
    )


def _with_base(
    membership: Membership, month: dt.date, form: XianfengForm, write: Callable[[DuesBase], Any]
) -> DuesBase | None:
    """Run `write` on the base of `month`'s year; without one, say so on the form (DUES-04)."""
    base = DuesBase.objects.filter(membership=membership, year=month.year).first()
    if base is None:
        form.add_error(
            None,
            _("No dues base is set for %(y)d (%(src)s).") % {"y": month.year, "src": rules.SOURCE_BASE_YEAR},
        )
        return None
    return base if call(form, lambda: write(base)) else None


def _pay(request: HttpRequest, m: Membership, d: dict[str, Any], form: XianfengForm) -> Written:
    fields = ("month_owed", "amount", "paid_on", "method", "kind", "paid_by_proxy", "note")
    done = call(
        form,
        lambda: services.dues_payment_record(actor=request.user, membership=m, **{k: d[k] for k in fields}),
    )
    return (done.month_owed.year, _("Payment recorded.")) if done else None


def _set_base(request: HttpRequest, m: Membership, d: dict[str, Any], form: XianfengForm) -> Written:
    done = call(
        form,
        lambda: services.dues_base_set(
            actor=request.user,
            membership=m,
            year=d["year"],
            category=d["category"],
            base=d["base"] if d["base"] is not None else 0,
            fixed_amount=d["fixed_amount"],
        ),
    )
    return (done.year, _("Dues base saved.")) if done else None


def _adjust(request: HttpRequest, m: Membership, d: dict[str, Any], form: XianfengForm) -> Written:
    base = _with_base(
        m,
        d["effective_month"],
        form,
        lambda b: services.dues_base_adjust(
            actor=request.user,
            dues_base=b,
            effective_month=d["effective_month"],
            base=d["base"] if d["base"] is not None else 0,
            fixed_amount=d["fixed_amount"],
            reason=d["reason"],
        ),
    )
    return (base.year, _("Mid-year adjustment recorded.")) if base else None


def _hardship(request: HttpRequest, m: Membership, d: dict[str, Any], form: XianfengForm) -> Written:
    fields = ("hardship", "reason", "approved_by", "from_month", "to_month")
    base = _with_base(
        m,
        d["from_month"],
        form,
        lambda b: services.dues_hardship_set(
            actor=request.user,
            dues_base=b,
            reduced_amount=d["reduced_amount"],
            **{k: d[k] for k in fields},
        ),
    )
    return (base.year, _("Reduction or exemption recorded.")) if base else None


def _reason(request: HttpRequest, m: Membership, d: dict[str, Any], form: XianfengForm) -> Written:
    fields = ("from_month", "to_month", "reason")
    done = call(
        form,
        lambda: services.arrears_reason_record(actor=request.user, membership=m, **{k: d[k] for k in fields}),
    )
    year = parse_year(request.POST.get("year"), timezone.localdate().year)
    return (year, _("Reason recorded.")) if done else None


@login_required
@require_POST
def member_pay(request: HttpRequest, code: Any) -> HttpResponse:
    return _post(request, code, "pay", PaymentForm(request.POST), _pay)


@login_required
@require_POST
def member_base(request: HttpRequest, code: Any) -> HttpResponse:
    return _post(request, code, "base", BaseForm(request.POST), _set_base)


@login_required
@require_POST
def member_adjust(request: HttpRequest, code: Any) -> HttpResponse:
    return _post(request, code, "adjust", AdjustForm(request.POST), _adjust)


@login_required
@require_POST
def member_hardship(request: HttpRequest, code: Any) -> HttpResponse:
    return _post(request, code, "hardship", HardshipForm(request.POST), _hardship)


@login_required
@require_POST
def member_reason(request: HttpRequest, code: Any) -> HttpResponse:
    return _post(request, code, "reason", ReasonForm(request.POST), _reason)


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
