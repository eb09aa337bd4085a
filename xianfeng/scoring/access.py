"""Who may do what with schemes, on top of core.scoping (the one choke point for org scope).

- manage a scheme (edit, compute, lock, reopen, publish): CHANGE on the scheme's org;
- enter or approve a manual entry: CHANGE on the subject's org; nobody approves their own entry;
- score a dimension in the grid: the dimension's evaluators. A dimension names them by role (a grant
  of that role on the scheme's org or above it, or on the subject's org or above it), by department
  (the user's person record names that department and the user may view the scheme), or by a list
  of users. A dimension that names nobody is scored by whoever may change the subject's org.
"""

from __future__ import annotations

from typing import Any

from xianfeng.core.roles import Action
from xianfeng.core.scoping import _grants, can
from xianfeng.orgs.models import Org
from xianfeng.scoring.models import Dimension, Scheme


def may_manage(user: Any, scheme: Scheme) -> bool:
    return can(user, Action.CHANGE, scheme.org)


def _department(user: Any) -> str:
    person = user.__dict__.get("_xf_scoring_person", None)
    if person is None:
        from xianfeng.people.models import Person

        person = Person.objects.filter(user_id=user.pk).only("department").first() or False
        user.__dict__["_xf_scoring_person"] = person
    return person.department if person else ""


def may_evaluate(user: Any, dimension: Dimension, subject_org: Org | None = None) -> bool:
    """May `user` score `dimension` (for a subject in `subject_org`)?"""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    scheme = dimension.scheme
    if not dimension.has_evaluator and not dimension_has_listed(dimension):
        return can(user, Action.CHANGE, subject_org or scheme.org)
    if dimension_has_listed(dimension) and dimension.evaluators.filter(pk=user.pk).exists():
        return can(user, Action.VIEW, scheme.org) or (
            subject_org is not None and can(user, Action.VIEW, subject_org)
        )
    if dimension.evaluator_department and _department(user) == dimension.evaluator_department:
        return can(user, Action.VIEW, scheme.org)
    if dimension.evaluator_role:
        targets = [scheme.org.path] + ([subject_org.path] if subject_org is not None else [])
        return any(
            role == dimension.evaluator_role and any(t.startswith(path) for t in targets)
            for role, path in _grants(user)
        )
    return False


def dimension_has_listed(dimension: Dimension) -> bool:
    cached = dimension.__dict__.get("_xf_listed")
    if cached is None:
        cached = dimension.evaluators.exists()
        dimension.__dict__["_xf_listed"] = cached
    return bool(cached)


def evaluable_dimensions(user: Any, scheme: Scheme) -> list[Dimension]:
    """The scored dimensions of `scheme` the user may fill in the grid."""
    from xianfeng.scoring.choices import DimensionKind

    dims = scheme.dimensions.filter(kind=DimensionKind.SCORED).select_related("scheme__org")
    return [d for d in dims if may_evaluate(user, d, None) or _role_anywhere_below(user, d)]


def _role_anywhere_below(user: Any, dimension: Dimension) -> bool:
    """A role evaluator granted on a branch (not the committee) scores that branch's subjects."""
    if not dimension.evaluator_role or not getattr(user, "is_authenticated", False):
        return False
    root = dimension.scheme.org.path
    return any(role == dimension.evaluator_role and path.startswith(root) for role, path in _grants(user))
