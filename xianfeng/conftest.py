"""The shared test world (healthchecks' Alice/Bob/Charlie on our org tree).

committee (root)
└── general branch
    ├── branch A ── party group A1      alice: branch admin of A;  bob: viewer of A (read-only)
    └── branch B                        charlie: branch admin of B (outsider to A)
admin: system admin on the root;  boss: committee admin on the root;  dang: a member of A (self only)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from xianfeng.core.roles import Role
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership
from xianfeng.testing import make_member, make_org, make_user


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    """A transactional test ends by flushing the database, catalogues of the data migrations included
    (activity kinds, obligations, dues rates, drafting terms). pytest-django runs such tests last, but
    with xdist's file-by-file scheduling the next file's ordinary tests can follow on the same worker
    and would find the catalogues gone; the serialized contents are loaded back here, after the flush."""
    result = yield
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction") and nextitem is not None:
        _restore_serialized_database(item.config)
    return result


def _restore_serialized_database(config: pytest.Config) -> None:
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        for connection in connections.all():
            contents = getattr(connection, "_test_serialized_contents", None)
            if contents:
                connection.creation.deserialize_db_from_string(contents)


@dataclass
class World:
    committee: Org
    general_branch: Org
    branch_a: Org
    group_a1: Org
    branch_b: Org
    admin: Any
    boss: Any
    alice: Any
    bob: Any
    charlie: Any
    dang: Any
    member_a: Membership
    member_b: Membership
    dang_membership: Membership


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _english_source_strings(settings: Any) -> None:
    """Unit and view tests read the English source strings; the product default stays zh-hans.

    Real-browser tests send Accept-Language zh-CN and so see (and check) the Chinese interface;
    core/tests/test_i18n.py checks the default language and the completeness of the catalogue.
    """
    settings.LANGUAGE_CODE = "en"


@pytest.fixture
def world(db: Any) -> World:
    committee = make_org(None, OrgType.COMMITTEE, "测试供电公司党委", term_start=dt.date(2022, 1, 10))
    general = make_org(committee, OrgType.GENERAL_BRANCH, "运维检修党总支", term_start=dt.date(2024, 3, 1))
    branch_a = make_org(general, OrgType.BRANCH, "变电运维一班党支部", term_start=dt.date(2024, 3, 1))
    group_a1 = make_org(branch_a, OrgType.PARTY_GROUP, "第一党小组")
    branch_b = make_org(general, OrgType.BRANCH, "输电运检党支部", term_start=dt.date(2023, 6, 1))
    member_a = make_member(branch_a, name="张三")
    member_b = make_member(branch_b, name="李四", gender="female", birth_date=dt.date(1990, 2, 3))
    dang_membership = make_member(branch_a, name="王党员", birth_date=dt.date(1992, 8, 8))
    dang = make_user("dang", grants=[(Role.MEMBER, branch_a)])
    dang_membership.person.user = dang
    dang_membership.person.save(update_fields=["user"])
    return World(
        committee=committee,
        general_branch=general,
        branch_a=branch_a,
        group_a1=group_a1,
        branch_b=branch_b,
        admin=make_user("admin", grants=[(Role.SYSTEM_ADMIN, committee)]),
        boss=make_user("boss", grants=[(Role.COMMITTEE_ADMIN, committee)]),
        alice=make_user("alice", grants=[(Role.BRANCH_ADMIN, branch_a)]),
        bob=make_user("bob", grants=[(Role.VIEWER, branch_a)]),
        charlie=make_user("charlie", grants=[(Role.BRANCH_ADMIN, branch_b)]),
        dang=dang,
        member_a=member_a,
        member_b=member_b,
        dang_membership=dang_membership,
    )
