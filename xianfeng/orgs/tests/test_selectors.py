"""Tree reads: subtree member counts in one query, visible roots, search, term states."""

import datetime as dt

from django.utils import timezone

from xianfeng.orgs import selectors
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import services as people_services
from xianfeng.testing import make_member, make_org


def test_it_counts_current_members_in_each_subtree(world, django_assert_num_queries):
    people_services.membership_update(
        actor=None, membership=world.member_a, data={"party_group": world.group_a1}, reason="分组"
    )
    people_services.member_leave(
        actor=None, membership=world.member_b, reason="death", date=timezone.localdate()
    )
    nodes = list(Org.objects.all())
    with django_assert_num_queries(1):
        counts = selectors.subtree_member_counts(nodes)
    assert counts == {
        world.committee.pk: 2,
        world.general_branch.pk: 2,
        world.branch_a.pk: 2,
        world.group_a1.pk: 1,
        world.branch_b.pk: 0,
    }


def test_it_finds_the_top_of_each_visible_subtree(world):
    assert selectors.visible_roots(world.admin) == [world.committee]
    assert selectors.visible_roots(world.alice) == [world.branch_a]
    assert selectors.visible_roots(world.dang) == []


def test_it_groups_children_by_parent_in_one_query(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        children = selectors.children_by_parent([world.general_branch, world.branch_a, world.branch_b])
    assert children == {
        world.general_branch.pk: [world.branch_a, world.branch_b],
        world.branch_a.pk: [world.group_a1],
        world.branch_b.pk: [],
    }


def test_it_searches_only_visible_orgs(world):
    assert selectors.search_orgs(world.alice, q="党支部") == [world.branch_a]
    assert set(selectors.search_orgs(world.boss, q="党支部")) == {world.branch_a, world.branch_b}
    assert selectors.search_orgs(world.alice, org_type=OrgType.BRANCH) == [world.branch_a]


def test_it_names_only_visible_ancestors(world):
    names = selectors.ancestor_names(world.alice, [world.group_a1])
    assert names == {world.branch_a.path: world.branch_a.display_name}


def test_it_grades_the_term_by_the_six_month_reminder():
    org = Org(org_type=OrgType.BRANCH, term_end=dt.date(2026, 9, 14))
    assert selectors.term_state(org, dt.date(2026, 3, 13)).level == "ok"
    assert selectors.term_state(org, dt.date(2026, 3, 14)).level == "due"
    assert selectors.term_state(org, dt.date(2026, 9, 14)).days_left == 0
    expired = selectors.term_state(org, dt.date(2026, 9, 15))
    assert (expired.level, expired.days_overdue) == ("expired", 1)
    assert selectors.term_state(Org(org_type=OrgType.PARTY_GROUP), dt.date(2026, 3, 14)) is None


def test_it_lists_expiring_terms_soonest_first(world):
    today = timezone.localdate()
    soon = make_org(world.general_branch, OrgType.BRANCH, term_start=today.replace(year=today.year - 3))
    make_member(soon)
    expiring = selectors.expiring_terms(world.boss, today)
    assert soon in expiring
    assert expiring == sorted(expiring, key=lambda org: org.term_end)
    assert soon not in selectors.expiring_terms(world.charlie, today)
