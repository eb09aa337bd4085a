"""Demo data for this module, built through its services after the members and activities exist.

- the six-dimension branch assessment for this year: two department evaluators (党建部, 纪委办) as
  accounts; every past quarter scored, computed, locked and published; the current quarter partly
  scored and open;
- the "3+2" member points for this year: automatic entries from the demo's meetings and dues, a few
  manual entries (entered by the branch secretary, approved by the committee), computed;
- the five-dimension portrait and the team evaluation as drafts to look at in the editor.
Deterministic (a fixed seed), a second or two.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.contrib.auth import get_user_model

from xianfeng.core.roles import Role
from xianfeng.core.services import role_grant
from xianfeng.scoring import closing, services
from xianfeng.scoring.choices import DimensionKind
from xianfeng.scoring.selectors import subject_memberships, subject_orgs

if TYPE_CHECKING:
    from xianfeng.demo import DemoResult

SEED = 20260501
EVALUATORS = (
    ("dangjianbu", "党建部考核员", ("party", "publicity", "innovation", "union", "youth")),
    ("jiwei", "纪委办考核员", ("discipline",)),
)


def _user(username: str, label: str, root: Any) -> Any:
    model = get_user_model()
    template = model.objects.filter(username="admin").first()
    user = model.objects.create(
        username=username, first_name=label, password=template.password if template else "!"
    )
    role_grant(actor=None, user=user, org=root, role=Role.VIEWER)
    return user


def _branch_assessment(result: DemoResult, today: dt.date, boss: Any, rng: random.Random) -> None:
    root = result.root
    scheme = services.scheme_create(actor=boss, org=root, year=today.year, template="branch_six_dimension")
    services.scheme_activate(actor=boss, scheme=scheme)
    evaluators = []
    for username, label, codes in EVALUATORS:
        user = _user(username, label, root)
        for dimension in scheme.dimensions.filter(code__in=codes):
            dimension.evaluators.add(user)
        evaluators.append((user, codes))
        result.accounts.append((username, label, root.name, ""))
    branches = list(subject_orgs(scheme))
    strength = {b.pk: rng.uniform(0.7, 0.97) for b in branches}
    for period in scheme.periods.order_by("start"):
        if period.start > today:
            break
        current = period.end >= today
        for user, codes in evaluators:
            for dimension in scheme.dimensions.filter(code__in=codes, kind=DimensionKind.SCORED):
                for index, branch in enumerate(branches):
                    if current and index % 3 == 0:
                        continue  # the current quarter is still being scored
                    share = min(1.0, strength[branch.pk] + rng.uniform(-0.08, 0.05))
                    points = (dimension.maximum * Decimal(str(round(share, 2)))).quantize(Decimal("0.5"))
                    services.cell_save(
                        actor=user,
                        period=period,
                        dimension=dimension,
                        subject=branch,
                        points=points,
                        version=0,
                    )
        if current:
            continue
        closing.period_compute(actor=boss, period=period, recompute_records=False)
        closing.period_lock(actor=boss, period=period)
        closing.period_publish(actor=boss, period=period)


def _member_points(result: DemoResult, today: dt.date, boss: Any, secretary: Any, rng: random.Random) -> None:
    scheme = services.scheme_create(
        actor=boss, org=result.root, year=today.year, template="member_points_3_2"
    )
    services.scheme_activate(actor=boss, scheme=scheme)
    period = scheme.periods.get()
    items = {i.code: i for d in scheme.dimensions.prefetch_related("items") for i in d.items.all()}
    branch = result.orgs.get("chengdong")
    members = list(subject_memberships(scheme).filter(org=branch)[:12]) if branch else []
    notes = {
        "volunteer": "参加“以电连心”志愿服务",
        "skill": "市公司技能竞赛三等奖",
        "innovation": "QC成果入围公司储备项目",
        "discipline": "无故缺席安全例会",
    }
    for membership in members:
        code = rng.choice(list(notes))
        item = items[code]
        points = item.points_min if item.fixed else item.points_min + (item.points_max - item.points_min) / 2
        entry = services.entry_create(
            actor=secretary,
            period=period,
            dimension=item.dimension,
            item=item,
            subject=membership,
            points=points,
            note=notes[code],
        )
        services.entry_approve(actor=boss, entry=entry)
    closing.period_compute(actor=boss, period=period)


def build_demo(result: DemoResult, *, today: dt.date) -> None:
    rng = random.Random(SEED)
    model = get_user_model()
    boss = model.objects.get(username="dangwei")
    secretary = model.objects.get(username="zhibu")
    _branch_assessment(result, today, boss, rng)
    _member_points(result, today, boss, secretary, rng)
    for code in ("candidate_portrait", "team_business"):
        services.scheme_create(actor=boss, org=result.root, year=today.year, template=code)
