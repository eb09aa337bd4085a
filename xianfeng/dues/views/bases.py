"""The year's bases for a whole org on one grid (DUES-04: set in January, fixed for the year).

Empty rows are prefilled from the previous year; saving writes every changed row through
`dues_base_set`, all or nothing: one bad row and nothing is saved, with the error on its row.
A base with payments or adjustments is locked (changed by a mid-year adjustment on the member page).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can
from xianfeng.dues import services
from xianfeng.dues.choices import FIXED_CATEGORIES, DuesCategory
from xianfeng.dues.forms import parse_year
from xianfeng.dues.models import DuesBase, DuesBaseAdjustment, DuesPayment
from xianfeng.dues.views._common import org_choices, page_org, page_url
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership


@dataclass
class BaseRow:
    membership: Membership
    existing: DuesBase | None
    locked: bool
    category: str
    base: str
    fixed: str
    suggested: bool = False
    error: str = ""

    @property
    def key(self) -> str:
        return str(self.membership.code)


class _Rollback(Exception):
    pass


def _text(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _rows(org: Org, year: int) -> list[BaseRow]:
    """Current party members of the subtree, and anyone with a base that year. Four queries."""
    has_base = DuesBase.objects.filter(membership=OuterRef("pk"), year=year)
    members = list(
        Membership.objects.filter(org__path__startswith=org.path)
        .filter(Q(left_date__isnull=True, status__in=PARTY_MEMBER_STATUSES) | Q(Exists(has_base)))
        .with_people("org")
        .order_by("org__path", "person__name", "pk")
    )
    ids = [m.pk for m in members]
    bases = {
        (b.membership_id, b.year): b
        for b in DuesBase.objects.filter(membership__in=ids, year__in=[year, year - 1])
    }
    paid = set(
        DuesPayment.objects.filter(membership__in=ids, month_owed__year=year).values_list(
            "membership_id", flat=True
        )
    )
    adjusted = set(
        DuesBaseAdjustment.objects.filter(dues_base__membership__in=ids, dues_base__year=year).values_list(
            "dues_base__membership_id", flat=True
        )
    )
    rows = []
    for m in members:
        existing = bases.get((m.pk, year))
        source = existing or bases.get((m.pk, year - 1))
        rows.append(
            BaseRow(
                membership=m,
                existing=existing,
                locked=existing is not None and (m.pk in paid or m.pk in adjusted),
                category=source.category if source else DuesCategory.EMPLOYED,
                base=_text(source.base) if source and source.category not in FIXED_CATEGORIES else "",
                fixed=_text(source.fixed_amount) if source else "",
                suggested=existing is None and source is not None,
            )
        )
    return rows


def _money(text: str) -> Decimal | str | None:
    """A typed amount; the raw text when it is not a number (the service names the error)."""
    text = text.strip().replace(",", "")
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        return text


def _changed(row: BaseRow, shown: str, category: str, base: Any, fixed: Any) -> bool:
    """Whether a row asks for a write: a new row with a figure or a category picked (a fixed 0.2
    category needs no figure), an existing one with anything different."""
    e = row.existing
    if e is None:
        return base is not None or fixed is not None or category != shown
    fixed_now = e.fixed_amount if e.category in FIXED_CATEGORIES else None
    return (category, base if category not in FIXED_CATEGORIES else None, fixed) != (
        e.category,
        e.base if e.category not in FIXED_CATEGORIES else None,
        fixed_now,
    )


def _write_rows(request: HttpRequest, rows: list[BaseRow], year: int) -> int:
    saved = 0
    for row in rows:
        if row.locked:
            continue
        shown = row.category
        row.category = request.POST.get(f"cat-{row.key}", row.category)
        row.base = request.POST.get(f"base-{row.key}", "")
        row.fixed = request.POST.get(f"fixed-{row.key}", "")
        base, fixed = _money(row.base), _money(row.fixed)
        if row.category in FIXED_CATEGORIES:
            base = None
        else:
            fixed = None
        if not _changed(row, shown, row.category, base, fixed):
            continue
        try:
            services.dues_base_set(
                actor=request.user,
                membership=row.membership,
                year=year,
                category=row.category,
                base=base if base is not None else (0 if row.category in FIXED_CATEGORIES else ""),
                fixed_amount=fixed,
            )
            saved += 1
        except ValidationError as exc:
            row.error = " ".join(exc.messages)
    return saved


def _save(request: HttpRequest, rows: list[BaseRow], year: int) -> int:
    """Write the changed rows; on any row error roll every write back and return -1."""
    try:
        with transaction.atomic():
            saved = _write_rows(request, rows, year)
            if any(row.error for row in rows):
                raise _Rollback
    except _Rollback:
        return -1
    return saved


@login_required
@require_http_methods(["GET", "POST"])
def bases(request: HttpRequest) -> HttpResponse:
    org = page_org(request)
    year = parse_year(request.GET.get("year") or request.POST.get("year"), timezone.localdate().year)
    can_change = can(request.user, Action.CHANGE, org)
    rows = _rows(org, year)
    status = 200
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        saved = _save(request, rows, year)
        if saved >= 0:
            messages.success(request, _("%(n)d dues bases saved for %(y)d.") % {"n": saved, "y": year})
            return redirect(page_url("dues:bases", org=org.pk, year=year))
        messages.error(request, _("Nothing was saved: correct the rows marked below."))
        status = 400
    context = {
        "org": org,
        "year": year,
        "years": list(range(timezone.localdate().year + 1, timezone.localdate().year - 4, -1)),
        "rows": rows,
        "orgs": org_choices(request.user, org),
        "can_change": can_change,
        "categories": DuesCategory.choices,
        "fixed_categories": sorted(FIXED_CATEGORIES),
        "suggested": sum(1 for r in rows if r.suggested),
        "missing": sum(1 for r in rows if r.existing is None),
    }
    return render(request, "dues/bases.html", context, status=status)
