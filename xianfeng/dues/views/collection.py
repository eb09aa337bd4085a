"""The collector's screen: one org's members for one month, and recording their dues in one go."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.dues import rules, services
from xianfeng.dues.collection import MonthStatus, SheetRow, collection_sheet
from xianfeng.dues.forms import CollectForm, parse_month
from xianfeng.dues.views._common import month_shift, org_choices, page_org, page_url
from xianfeng.orgs.models import Org

OPEN = (MonthStatus.UNPAID, MonthStatus.DUE)
# Rows per page: a committee's sheet has tens of thousands; its figures cover them all.
SHEET_PAGE = 100


def _render(
    request: HttpRequest, org: Org, month: dt.date, form: CollectForm, status: int = 200
) -> HttpResponse:
    today = timezone.localdate()
    data = collection_sheet(org, month, today)
    page = Paginator(data.entries, SHEET_PAGE).get_page(request.GET.get("page") or request.POST.get("page"))
    context = {
        "org": org,
        "month": month,
        "sheet": data,
        "page": page,
        "rows": data.rows_for(list(page.object_list)),
        "form": form,
        "orgs": org_choices(request.user, org),
        "can_change": can(request.user, Action.CHANGE, org),
        "previous": page_url("dues:sheet", org=org.pk, month=f"{month_shift(month, -1):%Y-%m}"),
        "next": page_url("dues:sheet", org=org.pk, month=f"{month_shift(month, 1):%Y-%m}"),
        "is_current": month == rules.first_of_month(today),
        "open_statuses": OPEN,
    }
    return render(request, "dues/sheet.html", context, status=status)


@login_required
@require_GET
def sheet(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    month = parse_month(request.GET.get("month"), rules.first_of_month(timezone.localdate()))
    return _render(request, org, month, CollectForm(initial={"paid_on": timezone.localdate()}))


def _record(request: HttpRequest, rows: list[SheetRow], form: CollectForm, month: dt.date) -> int:
    """Record every selected open row at its computed amount, all or nothing."""
    data = form.cleaned_data
    with transaction.atomic():
        for row in rows:
            try:
                services.dues_payment_record(
                    actor=request.user,
                    membership=row.membership,
                    month_owed=month,
                    amount=row.expected,
                    paid_on=data["paid_on"],
                    method=data["method"],
                    paid_by_proxy=data["paid_by_proxy"],
                )
            except ValidationError as exc:
                detail = "; ".join(exc.messages)
                raise ValidationError(
                    _("%(name)s: %(error)s Nothing was recorded.")
                    % {"name": row.membership.person.name, "error": detail}
                ) from exc
    return len(rows)


@login_required
@require_POST
def collect(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    month = parse_month(request.POST.get("month"), rules.first_of_month(timezone.localdate()))
    form = CollectForm(request.POST)
    if not form.is_valid():
        return _render(request, org, month, form, status=400)
    chosen = {request.POST["only"]} if request.POST.get("only") else set(request.POST.getlist("members"))
    current = collection_sheet(org, month, timezone.localdate())
    rows = current.rows_for([e for e in current.entries if e.code in chosen and e.status in OPEN])
    if not rows:
        form.add_error(None, _("Select at least one member whose dues are open."))
        return _render(request, org, month, form, status=400)
    try:
        count = _record(request, rows, form, month)
    except ValidationError as exc:
        form.add_error(None, exc.messages)
        return _render(request, org, month, form, status=400)
    messages.success(
        request, _("Dues for %(month)s recorded for %(n)d members.") % {"month": f"{month:%Y-%m}", "n": count}
    )
    return redirect(
        page_url("dues:sheet", org=org.pk, month=f"{month:%Y-%m}", page=request.POST.get("page") or None)
    )
