"""Writes of the reports module: build jobs, edits of a built summary, the unit's layout profile and
template, the drafting-term list, and the audit of exports. Every write is audited."""

from __future__ import annotations

import contextlib
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import OperationalError, transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, require
from xianfeng.orgs.models import Org
from xianfeng.reports import breakdown, checks, docx_builder, facts, profile, template
from xianfeng.reports.models import (
    DraftingTerm,
    JobStatus,
    LayoutProfile,
    ReportJob,
    SummaryDocument,
    SummaryTemplate,
)

BUILD_ACTION = Action.EXPORT  # building and exporting a summary: the same right as any export
MIN_YEAR = 2000


# --- What a build uses -----------------------------------------------------------------------------------


def profile_for(org: Org) -> tuple[dict[str, Any], Org | None]:
    """The stored profile of the org or its nearest ancestor that has one (overrides), and whose."""
    paths = [org.path[:n] for n in range(Org.steplen, len(org.path) + 1, Org.steplen)]
    rows = {p.org.path: p for p in LayoutProfile.objects.select_related("org").filter(org__path__in=paths)}
    for path in reversed(paths):
        if path in rows:
            return dict(rows[path].data), rows[path].org
    return {}, None


def template_for(org: Org) -> tuple[str, Org | None]:
    """The template text of the org or its nearest ancestor that has one, else the default file."""
    paths = [org.path[:n] for n in range(Org.steplen, len(org.path) + 1, Org.steplen)]
    rows = {t.org.path: t for t in SummaryTemplate.objects.select_related("org").filter(org__path__in=paths)}
    for path in reversed(paths):
        if path in rows:
            return rows[path].text, rows[path].org
    return template.default_text(), None


def declared_names() -> set[str]:
    return set(facts.declared_specs())


def _period(year: int, today: dt.date) -> facts.Period:
    if not MIN_YEAR <= year <= today.year:
        raise ValidationError({"year": f"年度应在 {MIN_YEAR} 至 {today.year} 之间。"})
    return facts.Period.year(year)


# --- Jobs ------------------------------------------------------------------------------------------------


def summary_job_create(*, actor: Any, org: Org, year: int, today: dt.date | None = None) -> ReportJob:
    """Queue the build of `org`'s annual summary for `year`; reports.jobs runs it."""
    require(actor, BUILD_ACTION, org)
    today = today or timezone.localdate()
    period = _period(year, today)
    with transaction.atomic():
        pending = (
            ReportJob.objects.select_for_update()
            .filter(
                org=org, start=period.start, end=period.end, status__in=(JobStatus.QUEUED, JobStatus.RUNNING)
            )
            .first()
        )
        if pending is not None:  # a second click while the first build runs: follow the first
            return pending
        job = ReportJob.objects.create(
            org=org,
            start=period.start,
            end=period.end,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
        )
        audit.record(
            actor=actor,
            action="reports.job_create",
            org=org,
            target=job,
            target_repr=f"{org.name} {year}",
        )
    return job


class BuildError(Exception):
    """Why a build stopped, in words for the user (the job shows it)."""


def _progress(job: ReportJob, value: int, stage: str) -> None:
    """Progress is for the eyes only: a write that loses a race for the database (SQLite busy) is
    skipped rather than failing the build."""
    with contextlib.suppress(OperationalError):
        ReportJob.objects.filter(pk=job.pk).update(progress=value, stage=stage[:100])


def build_summary(job: ReportJob, *, today: dt.date | None = None) -> SummaryDocument:
    """Compute the facts, render the template, lay out the .docx, run the checks and store it all in
    one transaction. Any BuildError (and any other exception) leaves no document."""
    today = today or timezone.localdate()
    org = job.org
    period = facts.Period(job.start, job.end)
    _progress(job, 2, "统计数据")
    fact_set = facts.compute(
        org, period, today=today, progress=lambda p, area: _progress(job, 2 + int(p * 0.78), f"统计：{area}")
    )
    if not fact_set.has_records:
        raise BuildError(
            f"{period.label()}{org.name}及所属党组织没有任何可统计的记录（活动、党员、党费等），无法生成总结。"
            "请确认年度和党组织是否选对。"
        )
    _progress(job, 82, "套用模板")
    text, _owner = template_for(org)
    variables = template.variables_for(org.name, job.start.year, period.label(), today)
    try:
        blocks = template.parse(text, declared_names(), variables)
    except template.TemplateError as exc:
        raise BuildError("总结模板有误：" + "；".join(exc.problems)) from exc
    overrides, _owner_org = profile_for(org)
    try:
        layout = profile.load(overrides)
    except profile.ProfileError as exc:
        raise BuildError("版式配置有误：" + "；".join(exc.problems)) from exc
    _progress(job, 88, "排版")
    by_name = fact_set.facts
    table = breakdown.by_child(fact_set)
    docx = docx_builder.build(
        blocks=blocks, facts=by_name, areas=fact_set.by_area(), profile=layout, breakdown=table
    )
    found = checks.run(blocks, by_name, checks.current_terms())
    _progress(job, 95, "保存")
    title = template.plain(template.render(next(b.source for b in blocks if b.kind == "title"), by_name))
    with transaction.atomic():
        document = SummaryDocument.objects.create(
            org=org,
            start=job.start,
            end=job.end,
            title=title[:300],
            facts={**fact_set.to_json(), "breakdown": table},
            blocks=[b.to_json() for b in blocks],
            profile=layout.data,
            template_text=text,
            checks=[c.to_json() for c in found],
            docx=docx,
            created_by=job.created_by,
        )
        ReportJob.objects.filter(pk=job.pk).update(
            status=JobStatus.DONE, progress=100, stage="完成", finished=timezone.now(), document=document
        )
        audit.record(actor=job.created_by, action="reports.summary_build", org=org, target=document)
    return document


# --- Editing a built summary -----------------------------------------------------------------------------


def blocks_of(document: SummaryDocument) -> list[template.Block]:
    return [template.Block(**b) for b in document.blocks]


def facts_of(document: SummaryDocument, *, with_ids: bool = False) -> facts.FactSet:
    """The document's facts snapshot; without the record ids unless asked (rendering needs values)."""
    return facts.from_snapshot(document.facts, document.org, with_ids=with_ids)


@transaction.atomic
def block_update(*, actor: Any, document: SummaryDocument, block_id: str, source: str) -> SummaryDocument:
    """Replace the text of one block; figures stay tokens of the snapshot's facts, so an edit can
    rephrase the prose but cannot invent a number that has no provenance ({{…}} must name a fact)."""
    require(actor, BUILD_ACTION, document.org)
    document = SummaryDocument.objects.select_for_update().get(pk=document.pk)
    before = audit.snapshot(document)
    source = " ".join(source.split())
    blocks = blocks_of(document)
    target = next((b for b in blocks if b.id == block_id), None)
    if target is None:
        raise ValidationError({"block": "没有这一段。"})
    if not source and target.kind in ("title", "h1", "h2"):
        raise ValidationError({"source": "标题不能为空。"})
    fact_set = facts_of(document)
    problems = template.unknown_names(source, set(fact_set.facts))
    if problems:
        raise ValidationError({"source": problems})
    target.source = source
    layout = profile.Profile(document.profile)
    document.blocks = [b.to_json() for b in blocks]
    document.docx = docx_builder.build(
        blocks=blocks,
        facts=fact_set.facts,
        areas=fact_set.by_area(),
        profile=layout,
        breakdown=document.facts.get("breakdown"),
    )
    document.checks = [c.to_json() for c in checks.run(blocks, fact_set.facts, checks.current_terms())]
    if target.kind == "title":
        document.title = template.plain(template.render(source, fact_set.facts))[:300]
    document.edited = True
    document.full_clean(exclude=["docx"])
    document.save()
    audit.record(
        actor=actor,
        action="reports.summary_edit",
        org=document.org,
        target=document,
        before=before,
        after=audit.snapshot(document),
        message=block_id,
    )
    return document


def export_record(*, actor: Any, document: SummaryDocument, fmt: str) -> None:
    require(actor, BUILD_ACTION, document.org)
    audit.record(actor=actor, action="reports.export", org=document.org, target=document, message=fmt)


# --- Unit settings ---------------------------------------------------------------------------------------


@transaction.atomic
def profile_save(*, actor: Any, org: Org, text: str) -> LayoutProfile | None:
    """Store the org's layout profile from JSON text (empty: back to the inherited/default one)."""
    require(actor, Action.CHANGE, org)
    existing = LayoutProfile.objects.filter(org=org).first()
    if not text.strip():
        if existing is not None:
            audit.record(
                actor=actor, action="reports.profile_reset", org=org, before=audit.snapshot(existing)
            )
            existing.delete()
        return None
    try:
        data = profile.parse_json(text)
    except profile.ProfileError as exc:
        raise ValidationError({"profile": exc.problems}) from exc
    before = audit.snapshot(existing) if existing else None
    row = existing or LayoutProfile(org=org)
    row.data = data
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action="reports.profile_save",
        org=org,
        target=row,
        before=before,
        after=audit.snapshot(row),
    )
    return row


@transaction.atomic
def template_save(*, actor: Any, org: Org, text: str) -> SummaryTemplate | None:
    """Store the org's template (checked: every name must be a declared fact); empty: the default."""
    require(actor, Action.CHANGE, org)
    existing = SummaryTemplate.objects.filter(org=org).first()
    if not text.strip():
        if existing is not None:
            audit.record(
                actor=actor, action="reports.template_reset", org=org, before=audit.snapshot(existing)
            )
            existing.delete()
        return None
    try:
        template.parse(text, declared_names(), template.variables_for("", 2000, "", dt.date(2000, 1, 1)))
    except template.TemplateError as exc:
        raise ValidationError({"template": exc.problems}) from exc
    before = audit.snapshot(existing) if existing else None
    row = existing or SummaryTemplate(org=org)
    row.text = text
    row.full_clean()
    row.save()
    audit.record(
        actor=actor,
        action="reports.template_save",
        org=org,
        target=row,
        before=before,
        after=audit.snapshot(row),
    )
    return row


def may_edit_terms(user: Any) -> bool:
    """The term list is shared by the whole installation: committee and system administrators."""
    return can(user, Action.MANAGE_ORGS, None)


def parse_terms(text: str) -> list[tuple[str, str]]:
    """One term a line: `错误写法 => 正确写法` (the correction may be left out)."""
    out: dict[str, str] = {}
    problems = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        wrong, _sep, right = line.partition("=>")
        wrong, right = wrong.strip(), right.strip()
        if not wrong:
            problems.append(f"第{number}行：缺少错误写法。")
        elif len(wrong) > 100 or len(right) > 100:
            problems.append(f"第{number}行：写法不能超过100字。")
        elif wrong == right:
            problems.append(f"第{number}行：错误写法与正确写法相同。")
        else:
            out[wrong] = right
    if problems:
        raise ValidationError({"terms": problems})
    return list(out.items())


@transaction.atomic
def terms_save(*, actor: Any, text: str) -> int:
    if not may_edit_terms(actor):
        raise PermissionDenied("not allowed: manage drafting terms")
    terms = parse_terms(text)
    before = sorted(DraftingTerm.objects.values_list("wrong", "right"))
    DraftingTerm.objects.all().delete()
    DraftingTerm.objects.bulk_create([DraftingTerm(wrong=w, right=r) for w, r in terms])
    audit.record(
        actor=actor,
        action="reports.terms_save",
        before=audit.Snapshot(terms=[f"{w}=>{r}" for w, r in before]),
        after=audit.Snapshot(terms=[f"{w}=>{r}" for w, r in sorted(terms)]),
        target_repr=f"{len(terms)}",
    )
    return len(terms)
