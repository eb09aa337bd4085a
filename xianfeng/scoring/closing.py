"""Period close: compute every subject's result, rank (competition ranking), grade, apply outcome rules;
lock; reopen (audited, with a reason); publish. Writers, like services.py."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import require
from xianfeng.scoring import engine, hooks
from xianfeng.scoring.bulk import insert_rows, json_value
from xianfeng.scoring.choices import CLOSED_STATES, EntrySource, EntryStatus, PeriodState
from xianfeng.scoring.models import Entry, Period, Result, Scheme
from xianfeng.scoring.selectors import subjects

A_COMPUTE = "scoring.period_compute"
A_LOCK = "scoring.period_lock"
A_REOPEN = "scoring.period_reopen"
A_PUBLISH = "scoring.period_publish"


def specs(scheme: Scheme) -> tuple[list[engine.DimSpec], dict[int, engine.ItemSpec]]:
    dims = list(scheme.dimensions.all())
    items = {
        i.pk: engine.ItemSpec(i.pk, i.cap, i.award_once)
        for i in (i for d in scheme.dimensions.prefetch_related("items") for i in d.items.all())
    }
    return [engine.DimSpec(d.pk, d.code, d.kind, d.maximum, d.weight) for d in dims], items


def _previous_totals(period: Period) -> dict[int, Decimal]:
    """The previous period's totals of the same scheme (most improved), or of last year's scheme of
    the same template and org (carry-over for a year-long period)."""
    prev = Period.objects.filter(scheme=period.scheme, start__lt=period.start).order_by("-start").first()
    if prev is None and period.scheme.carry_over:
        prev = (
            Period.objects.filter(
                scheme__org=period.scheme.org,
                scheme__template=period.scheme.template,
                scheme__year=period.scheme.year - 1,
                state__in=CLOSED_STATES,
            )
            .order_by("-start")
            .first()
        )
    if prev is None:
        return {}
    key = "membership_id" if period.scheme.is_person_scheme else "subject_org_id"
    return {r[key]: r["total"] for r in prev.results.values(key, "total")}


RESULT_FIELDS = (
    "period",
    "org",
    "subject_org",
    "membership",
    "subject_name",
    "total",
    "carried_in",
    "dimensions",
    "vetoed",
    "rank",
    "grade",
    "excellent_blocked",
    "outcomes",
)


def compute_results(period: Period) -> list[tuple[Any, ...]]:
    """Every subject's result row (values in RESULT_FIELDS order) from the period's approved entries:
    four queries whatever the number of subjects, plain tuples rather than model instances."""
    scheme = period.scheme
    dims, items = specs(scheme)
    people = scheme.is_person_scheme
    subject_list = subjects(scheme)
    per_subject: dict[int, list[engine.Points]] = defaultdict(list)
    key = "membership_id" if people else "subject_org_id"
    grid = EntrySource.GRID
    for sid, dim_id, points, item_id, source in Entry.objects.filter(
        period=period, status=EntryStatus.APPROVED
    ).values_list(key, "dimension_id", "points", "item_id", "source"):
        per_subject[sid].append(engine.Points(dim_id, points, item_id, source == grid))
    previous = _previous_totals(period)
    is_first = not Period.objects.filter(scheme=scheme, start__lt=period.start).exists()
    carry = previous if scheme.carry_over and is_first else {}
    zero = Decimal(0)
    computed = {
        s.id: engine.compute(
            s.id,
            per_subject.get(s.id, ()),
            dims,
            items,
            scheme.aggregation,
            scheme.base_points,
            carry.get(s.id, zero),
        )
        for s in subject_list
    }
    ranks = engine.competition_ranks([(sid, c.total) for sid, c in computed.items()])
    totals = {sid: c.total for sid, c in computed.items()}
    labels = engine.outcomes(ranks, scheme.outcome_rules, totals=totals, previous=previous)
    blocked = hooks.sanctioned(list(computed), period.end) if people else set()
    bands = engine.prepare_bands(scheme.grade_bands)
    rows = []
    for s in subject_list:
        c = computed[s.id]
        is_blocked = s.id in blocked
        grade = (
            scheme.veto_grade if c.vetoed else engine.grade_for(c.total, bands, excellent_blocked=is_blocked)
        )
        rows.append(
            (
                period.pk,
                s.org_id,
                None if people else s.id,
                s.id if people else None,
                s.name[:100],
                c.total,
                c.carried_in,
                json_value({k: str(v) for k, v in c.dimensions.items()}),
                c.vetoed,
                ranks[s.id],
                grade,
                is_blocked,
                json_value(labels.get(s.id, [])),
            )
        )
    return rows


def _transition(actor: Any, period: Period, action: str, state: str, **extra: Any) -> Period:
    before = audit.snapshot(period)
    period.state = state
    for k, v in extra.items():
        setattr(period, k, v)
    period.save()
    audit.record(
        actor=actor,
        action=action,
        target=period,
        org=period.scheme.org,
        before=before,
        after=audit.snapshot(period),
    )
    return period


def _locked_period(actor: Any, period: Period) -> Period:
    period = Period.objects.select_for_update().select_related("scheme__org").get(pk=period.pk)
    require(actor, Action.CHANGE, period.scheme.org)
    return period


@transaction.atomic
def period_compute(*, actor: Any, period: Period, recompute_records: bool = True) -> int:
    """Rebuild the automatic entries from records, then every result; ranks and outcomes included."""
    from xianfeng.scoring.recompute import recompute_period

    period = _locked_period(actor, period)
    if period.state in CLOSED_STATES:
        raise ValidationError(
            {"period": _("%(period)s is locked; reopen it first.") % {"period": period.label}}
        )
    if recompute_records:
        recompute_period(period)
    rows = compute_results(period)
    period.results.all().delete()
    insert_rows(Result, RESULT_FIELDS, rows)
    _transition(actor, period, A_COMPUTE, PeriodState.COMPUTED, computed_at=timezone.now())
    return len(rows)


@transaction.atomic
def period_lock(*, actor: Any, period: Period) -> Period:
    period = _locked_period(actor, period)
    if period.state != PeriodState.COMPUTED:
        raise ValidationError({"period": _("Compute the results before locking the period.")})
    pending = period.entries.filter(status=EntryStatus.PENDING).count()
    if pending:
        raise ValidationError(
            {"period": _("%(n)d entries still await approval; decide them before locking.") % {"n": pending}}
        )
    return _transition(actor, period, A_LOCK, PeriodState.LOCKED, locked_at=timezone.now())


@transaction.atomic
def period_reopen(*, actor: Any, period: Period, reason: str) -> Period:
    period = _locked_period(actor, period)
    if period.state not in CLOSED_STATES:
        raise ValidationError({"period": _("Only a locked or published period can be reopened.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for reopening: it is kept in the audit log.")})
    return _transition(
        actor, period, A_REOPEN, PeriodState.COMPUTED, reopen_reason=reason.strip(), published_at=None
    )


@transaction.atomic
def period_publish(*, actor: Any, period: Period) -> Period:
    """Publish a locked period to the people concerned: members see their result (and their position,
    or the ranking, as the scheme's visibility allows); branches see their assessment."""
    period = _locked_period(actor, period)
    if period.state != PeriodState.LOCKED:
        raise ValidationError({"period": _("Lock the period before publishing it.")})
    return _transition(actor, period, A_PUBLISH, PeriodState.PUBLISHED, published_at=timezone.now())
