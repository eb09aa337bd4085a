"""The evaluator's grid: every subject × the evaluator's dimension(s) for one period, one number per
cell, saved on change through htmx with the version the cell was loaded at (services.cell_save)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from xianfeng.core.roles import Action
from xianfeng.core.scoping import scope_q
from xianfeng.core.workbooks import read_first_sheet
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership
from xianfeng.scoring import selectors, services
from xianfeng.scoring.access import may_evaluate
from xianfeng.scoring.choices import DimensionKind
from xianfeng.scoring.forms import ImportForm
from xianfeng.scoring.models import Dimension, Period
from xianfeng.scoring.views._common import get_period

MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _dims(period: Period, request: HttpRequest) -> list[Dimension]:
    scored = list(period.scheme.dimensions.filter(kind=DimensionKind.SCORED).select_related("scheme__org"))
    wanted = request.GET.get("dimension") or request.POST.get("dimension")
    if wanted:
        scored = [d for d in scored if d.code == wanted]
        if not scored:
            raise Http404
    return scored


@login_required
@require_GET
def grid(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_period(request.user, pk)
    dims = _dims(period, request)
    mine = {d.pk for d in dims if may_evaluate(request.user, d, None) or _below(request.user, d)}
    if not request.GET.get("dimension") and mine:
        dims = [d for d in dims if d.pk in mine]  # the evaluator's own dimensions first and only
    rows = selectors.grid(period, dims)
    path_field = "org__path"
    visible = (
        set(
            (Membership if period.scheme.is_person_scheme else Org)
            .objects.filter(pk__in=[r.subject.id for r in rows])
            .filter(
                scope_q(request.user, Action.VIEW, path_field if period.scheme.is_person_scheme else "path")
            )
            .values_list("pk", flat=True)
        )
        if not _sees_all(request.user, period)
        else None
    )
    if visible is not None:
        rows = [r for r in rows if r.subject.id in visible]
    editable = {d.pk for d in dims if d.pk in mine} if not period.is_closed else set()
    for row in rows:
        for c in row.cells:
            c.editable = c.dimension.pk in editable
    context = {
        "period": period,
        "scheme": period.scheme,
        "dims": dims,
        "rows": rows,
        "editable": editable,
        "all_scored": list(period.scheme.dimensions.filter(kind=DimensionKind.SCORED)),
        "import_form": ImportForm(),
    }
    return render(request, "scoring/grid.html", context)


def _below(user: Any, dim: Dimension) -> bool:
    from xianfeng.scoring.access import _role_anywhere_below

    return _role_anywhere_below(user, dim)


def _sees_all(user: Any, period: Period) -> bool:
    from xianfeng.core.scoping import can

    return can(user, Action.VIEW, period.scheme.org)


def _subject(period: Period, raw: str) -> Org | Membership:
    try:
        if period.scheme.is_person_scheme:
            return Membership.objects.select_related("org").get(code=raw)
        return Org.objects.get(pk=int(raw))
    except (Org.DoesNotExist, Membership.DoesNotExist, ValueError, ValidationError) as exc:
        raise Http404 from exc


@login_required
@require_POST
def cell(request: HttpRequest, pk: int) -> HttpResponse:
    """Save one cell; answers with the cell fragment (200), or with the current value and the reason
    (400 bad value, 403 not your dimension, 409 changed by someone else)."""
    period = get_period(request.user, pk)
    dimension = (
        period.scheme.dimensions.filter(code=request.POST.get("dimension", ""))
        .select_related("scheme__org")
        .first()
    )
    if dimension is None:
        raise Http404
    subject = _subject(period, request.POST.get("subject", ""))
    try:
        version = int(request.POST.get("version", "0"))
    except ValueError:
        version = -1
    raw = request.POST.get("points", "").strip()
    status, error, points, entry = 200, "", raw, None
    try:
        entry = services.cell_save(
            actor=request.user,
            period=period,
            dimension=dimension,
            subject=subject,
            points=raw,
            version=version,
        )
        points, version = _plain(entry.points), entry.version
    except services.Conflict as exc:
        status, error = 409, " ".join(exc.messages)
        if exc.current is not None:
            points, version = _plain(exc.current.points), exc.current.version
    except ValidationError as exc:
        status, error = 400, " ".join(exc.messages)
    except PermissionDenied as exc:
        status, error = 403, str(exc)
    subject_key = str(subject.code) if isinstance(subject, Membership) else str(subject.pk)
    context = {
        "period": period,
        "dimension": dimension,
        "subject_key": subject_key,
        "points": points,
        "version": version,
        "error": error,
        "saved": status == 200,
        "editable": status != 403,
        "label": request.POST.get("label", ""),
    }
    return render(request, "scoring/partials/cell.html", context, status=status)


def _plain(value: Decimal) -> str:
    """30.00 → "30", 31.50 → "31.5" (never "3E+1")."""
    return f"{value.normalize():f}"


def _read_rows(sheet: Any) -> list[tuple[int, str, Any]]:
    rows = []
    for line, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if not values or all(v in (None, "") for v in values[:2]):
            continue
        rows.append(
            (line, "" if values[0] is None else str(values[0]), values[1] if len(values) > 1 else None)
        )
    return rows


@login_required
@require_POST
def scores_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Scores of one dimension from an .xlsx (column A: branch name or code, column B: score). All or
    nothing: an unknown branch or a bad score refuses the file with the row, column and rule."""
    period = get_period(request.user, pk)
    dims = _dims(period, request)
    if len(dims) != 1:
        raise Http404
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose an Excel file (.xlsx)."))
        return redirect(f"{_grid_url(period)}?dimension={dims[0].code}")
    limit = getattr(settings, "XIANFENG_SCORING_IMPORT_MAX_BYTES", MAX_IMPORT_BYTES)
    try:
        rows = read_first_sheet(
            form.cleaned_data["file"].read(), max_bytes=limit, read=_read_rows, error=ValueError
        )
        count = services.scores_import(actor=request.user, period=period, dimension=dims[0], rows=rows)
    except ValueError as exc:
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except PermissionDenied as exc:
        messages.error(request, str(exc) or _("You may not score this dimension."))
    else:
        messages.success(request, _("%(n)d scores imported.") % {"n": count})
    return redirect(f"{_grid_url(period)}?dimension={dims[0].code}")


def _grid_url(period: Period) -> str:
    from django.urls import reverse

    return reverse("scoring:grid", kwargs={"pk": period.pk})
