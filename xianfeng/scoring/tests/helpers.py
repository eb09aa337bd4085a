"""Builders of the scoring tests: schemes from the shipped templates on the shared world."""

from __future__ import annotations

from typing import Any

from xianfeng.core.roles import Role
from xianfeng.people.models import Person
from xianfeng.scoring import services
from xianfeng.scoring.models import Dimension, Scheme
from xianfeng.testing import make_member, make_user

YEAR = 2026


def branch_scheme(world: Any, *, active: bool = True) -> Scheme:
    scheme = services.scheme_create(
        actor=world.boss, org=world.committee, year=YEAR, template="branch_six_dimension"
    )
    if active:
        services.scheme_activate(actor=world.boss, scheme=scheme)
    return scheme


def member_scheme(world: Any, *, active: bool = True) -> Scheme:
    scheme = services.scheme_create(
        actor=world.boss, org=world.committee, year=YEAR, template="member_points_3_2"
    )
    if active:
        services.scheme_activate(actor=world.boss, scheme=scheme)
    return scheme


def department_head(world: Any, username: str, department: str) -> Any:
    """A department head: a viewer on the committee whose person record names the department (a
    member of the general branch, so not a subject of any test scheme's branches)."""
    user = make_user(username, grants=[(Role.VIEWER, world.committee)])
    membership = make_member(world.general_branch, name=f"{department}负责人")
    Person.objects.filter(pk=membership.person_id).update(user=user, department=department)
    return user


def dim(scheme: Scheme, code: str) -> Dimension:
    return scheme.dimensions.get(code=code)
