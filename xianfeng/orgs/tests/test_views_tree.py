"""The organization tree: the visible subtrees, member counts per subtree, lazy children, search."""

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from xianfeng.orgs import services
from xianfeng.orgs.choices import OrgType
from xianfeng.testing import make_member, make_org

TREE = reverse("orgs:tree")


def _shown(response):
    return {node["org"] for root in response.context["roots"] for node in [root, *root.get("children", [])]}


def test_it_redirects_anonymous_to_login(client, world):
    response = client.get(TREE)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_shows_a_committee_admin_the_whole_tree_two_levels_deep(client, world):
    client.force_login(world.boss)
    response = client.get(TREE)
    assert response.status_code == 200
    assert _shown(response) == {world.committee, world.general_branch}
    assert world.committee.name in response.content.decode()


def test_it_shows_a_branch_admin_only_their_branch(client, world):
    client.force_login(world.alice)
    response = client.get(TREE)
    assert _shown(response) == {world.branch_a, world.group_a1}
    assert world.branch_b.name not in response.content.decode()


def test_it_counts_current_members_per_subtree(client, world):
    make_member(world.branch_a)
    client.force_login(world.boss)
    response = client.get(TREE, {"parent": world.general_branch.pk}, HTTP_HX_REQUEST="true")
    counts = {node["org"]: node["members"] for node in response.context["nodes"]}
    assert counts == {world.branch_a: 3, world.branch_b: 1}
    assert response.templates[0].name == "orgs/partials/tree_children.html"


def test_it_lazy_loads_children_only_of_a_visible_parent(client, world):
    client.force_login(world.charlie)
    assert client.get(TREE, {"parent": world.branch_a.pk}, HTTP_HX_REQUEST="true").status_code == 404
    assert client.get(TREE, {"parent": "x"}).status_code == 404


def test_it_renders_a_focused_subtree_as_a_full_page_without_htmx(client, world):
    client.force_login(world.boss)
    response = client.get(TREE, {"parent": world.branch_a.pk})
    assert response.status_code == 200
    assert response.context["focus"] == world.branch_a
    assert _shown(response) == {world.branch_a, world.group_a1}


def test_it_greys_out_dissolved_orgs(client, world):
    gone = make_org(world.general_branch, OrgType.BRANCH, "已撤销的支部")
    services.org_dissolve(actor=None, org=gone, date=gone.created.date(), reason="merged")
    client.force_login(world.boss)
    response = client.get(TREE, {"parent": world.general_branch.pk}, HTTP_HX_REQUEST="true")
    assert 'class="xf-tree-node xf-dissolved"' in response.content.decode()


def test_it_searches_visible_orgs_by_name_or_code(client, world):
    client.force_login(world.alice)
    by_name = client.get(TREE, {"q": "第一党小组"})
    assert [row["org"] for row in by_name.context["results"]] == [world.group_a1]
    assert client.get(TREE, {"q": world.branch_b.code}).context["results"] == []
    by_code = client.get(TREE, {"q": world.branch_a.code}, HTTP_HX_REQUEST="true")
    assert by_code.templates[0].name == "orgs/partials/search_results.html"


def test_it_filters_orgs_by_type_and_due_term(client, world):
    client.force_login(world.boss)
    branches = client.get(TREE, {"org_type": OrgType.BRANCH}).context["results"]
    assert {row["org"] for row in branches} == {world.branch_a, world.branch_b}
    today = timezone.localdate()
    due_org = make_org(
        world.general_branch, OrgType.BRANCH, term_start=today - relativedelta(years=3, months=-1)
    )
    later = make_org(world.general_branch, OrgType.BRANCH, term_start=today - relativedelta(years=1))
    due = {row["org"] for row in client.get(TREE, {"term": "due"}).context["results"]}
    assert due_org in due
    assert later not in due


@pytest.mark.parametrize("extra_branches", [1, 6])
def test_it_uses_a_bounded_number_of_queries(client, world, django_assert_max_num_queries, extra_branches):
    for _ in range(extra_branches):
        branch = make_org(world.general_branch, OrgType.BRANCH)
        make_member(branch)
        make_org(branch, OrgType.PARTY_GROUP)
    client.force_login(world.boss)
    # session, user, grants, the bell and the session save (5) are the same for every page
    with django_assert_max_num_queries(10):
        client.get(TREE)
    with django_assert_max_num_queries(10):
        client.get(TREE, {"parent": world.general_branch.pk}, HTTP_HX_REQUEST="true")
    with django_assert_max_num_queries(10):
        client.get(TREE, {"q": "党"})
