"""Moving an org and its subtree under another parent through orgs.services.org_move."""

import pytest
from django.urls import reverse

from xianfeng.core.models import AuditEvent
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org
from xianfeng.testing import make_org


def _url(org):
    return reverse("orgs:move", args=[org.pk])


def test_it_redirects_anonymous_to_login(client, world):
    response = client.get(_url(world.branch_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_an_org_from_an_outsider(client, world):
    client.force_login(world.charlie)
    assert client.get(_url(world.group_a1)).status_code == 404
    assert client.post(_url(world.group_a1), {"parent": world.branch_b.pk}).status_code == 404


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_it_refuses_users_who_see_but_do_not_manage_the_org(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(_url(world.group_a1)).status_code == 403
    assert client.post(_url(world.group_a1), {"parent": world.branch_a.pk}).status_code == 403


def test_it_offers_only_managed_parents_that_may_hold_the_type(client, world):
    client.force_login(world.boss)
    choices = set(client.get(_url(world.group_a1)).context["form"].fields["parent"].queryset)
    assert choices == {world.general_branch, world.branch_a, world.branch_b}


def test_it_moves_the_subtree_and_audits_it(client, world):
    client.force_login(world.boss)
    response = client.post(_url(world.branch_a), {"parent": world.committee.pk})
    assert response.status_code == 302
    branch = Org.objects.get(pk=world.branch_a.pk)
    assert branch.get_parent() == world.committee
    assert Org.objects.get(pk=world.group_a1.pk).get_parent() == branch
    assert AuditEvent.objects.filter(action="org.move", org=branch, actor=world.boss).exists()


def test_it_shows_the_rule_when_moving_under_its_own_sub_organization(client, world):
    outer = make_org(world.committee, OrgType.COMMITTEE, "二级党委")
    inner = make_org(outer, OrgType.COMMITTEE, "三级党委")
    client.force_login(world.boss)
    response = client.post(_url(outer), {"parent": inner.pk}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["form"].errors["parent"]
    assert response.templates[0].name == "orgs/partials/form.html"
    assert Org.objects.get(pk=outer.pk).get_parent() == world.committee
    assert not AuditEvent.objects.filter(action="org.move").exists()


def test_it_refuses_a_parent_outside_the_list(client, world):
    client.force_login(world.boss)
    response = client.post(_url(world.branch_a), {"parent": world.group_a1.pk})
    assert response.context["form"].errors["parent"]
    assert Org.objects.get(pk=world.branch_a.pk).get_parent() == world.general_branch
