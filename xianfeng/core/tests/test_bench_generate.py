"""bench/generate.py: a valid tree and valid records, built with bulk inserts, in the admins' scope."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.utils import timezone

from bench.common import resolve_target
from bench.generate import build_dataset
from xianfeng.core import crypto
from xianfeng.core.roles import Action
from xianfeng.orgs.choices import MEMBER_HOLDING_TYPES, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import rules
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership, Person, PostHolding

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset():
    return build_dataset(members=500, branches=20, seed=7)


def test_the_tree_is_valid_for_treebeard(dataset):
    assert Org.find_problems() == ([], [], [], [], [])
    paths = set(Org.objects.values_list("path", flat=True))
    for org in Org.objects.all():
        assert org.depth == len(org.path) // Org.steplen
        if org.depth > 1:
            assert org.path[: -Org.steplen] in paths, org.path
        assert org.numchild == Org.objects.filter(path__startswith=org.path, depth=org.depth + 1).count()
    assert Org.objects.filter(depth=1).count() == 1
    assert Org.objects.filter(org_type=OrgType.BRANCH).count() == dataset.branches == 20
    # treebeard reads the bulk-built tree as if add_child had built it
    root = Org.objects.get(depth=1)
    assert root.get_descendant_count() == Org.objects.count() - 1
    assert {child.org_type for child in root.get_children()} == {OrgType.COMMITTEE}


def test_a_child_added_later_through_the_service_gets_the_next_path(dataset):
    from xianfeng.testing import make_org

    branch = Org.objects.filter(org_type=OrgType.BRANCH).first()
    last = branch.get_children().last()
    group = make_org(branch, OrgType.PARTY_GROUP, "新党小组")
    assert group.path > last.path and group.path[: -Org.steplen] == branch.path
    assert Org.find_problems() == ([], [], [], [], [])


def test_members_are_valid_records_with_encrypted_personal_data(dataset):
    today = timezone.localdate()
    assert Membership.objects.count() == dataset.members == 500
    assert set(Membership.objects.values_list("status", flat=True)) >= {PoliticalStatus.FULL}
    for membership in Membership.objects.select_related("person", "org", "party_group"):
        person = membership.person
        assert rules.person_errors(person, today=today) == {}, person
        assert rules.membership_errors(membership, person, today=today) == {}, person
        assert membership.org.org_type in MEMBER_HOLDING_TYPES
        assert person.id_number_hash == crypto.lookup_hash(person.id_number)
    person = Person.objects.order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person WHERE id = %s", [person.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert stored_id != person.id_number and crypto.decrypt(stored_id) == person.id_number
    assert stored_phone != person.phone and crypto.decrypt(stored_phone) == person.phone


def test_post_holders_are_full_members_converted_before_they_took_office(dataset):
    holdings = PostHolding.objects.select_related("person__membership", "org")
    assert holdings.count() == dataset.posts > 20
    for holding in holdings:
        membership = holding.person.membership
        assert membership.status == PoliticalStatus.FULL
        assert membership.conversion_date <= holding.start_date
        assert membership.org.path.startswith(holding.org.path) or holding.org.path.startswith(
            membership.org.path
        )


def test_members_are_in_scope_for_the_generated_admins(dataset):
    users = get_user_model().objects
    committee_admin, branch_admin = users.get(username="bench_committee"), users.get(username="bench_branch")
    assert Membership.objects.restrict(committee_admin, Action.CHANGE).count() == 500
    branch = Org.objects.get(pk=dataset.branch_pk)
    visible = Membership.objects.restrict(branch_admin)
    assert visible.count() == Membership.objects.filter(org=branch).count() > 0
    assert not Membership.objects.restrict(branch_admin).exclude(org=branch).exists()


def test_the_benchmark_refuses_the_development_database():
    repo = Path(__file__).resolve().parents[3]
    with pytest.raises(SystemExit):
        resolve_target("", str(repo / "var" / "xianfeng.sqlite3"))
    with pytest.raises(SystemExit):
        resolve_target("postgres://postgres@127.0.0.1:5432/xianfeng", "")
    assert (
        resolve_target("", str(repo / "var" / "bench.sqlite3")).sqlite_path == repo / "var" / "bench.sqlite3"
    )
    target = resolve_target("postgres://postgres@127.0.0.1:5432/xianfeng_bench", "")
    assert target.is_postgres and target.pg_name == "xianfeng_bench"
