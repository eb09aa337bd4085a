"""Dissolving an org through orgs.services.org_dissolve: never with members or active children."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.testing import make_org


def _url(org):
    return reverse("orgs:dissolve", args=[org.pk])


def _data(**extra):
    return {"date": timezone.localdate().isoformat(), "reason": "支部合并", **extra}


def test_it_redirects_anonymous_to_login(client, world):
    response = client.get(_url(world.group_a1))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_an_org_from_an_outsider(client, world):
    client.force_login(world.charlie)
    assert client.get(_url(world.group_a1)).status_code == 404
    assert client.post(_url(world.group_a1), _data()).status_code == 404


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_it_refuses_users_who_see_but_do_not_manage_the_org(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(_url(world.group_a1)).status_code == 403
    assert client.post(_url(world.group_a1), _data()).status_code == 403
    assert Org.objects.get(pk=world.group_a1.pk).status == OrgStatus.ACTIVE


def test_it_dissolves_an_empty_org_and_audits_it(client, world):
    client.force_login(world.boss)
    response = client.post(_url(world.group_a1), _data())
    assert response.status_code == 302
    group = Org.objects.get(pk=world.group_a1.pk)
    assert (group.status, group.dissolved_reason) == (OrgStatus.DISSOLVED, "支部合并")
    assert AuditEvent.objects.filter(action="org.dissolve", org=group, actor=world.boss).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_data(date=(timezone.localdate() + dt.timedelta(days=1)).isoformat()), "date"),
        (_data(reason=""), "reason"),
        (_data(date="yesterday"), "date"),
    ],
)
def test_it_shows_rule_errors_under_the_field_and_writes_nothing(client, world, data, field):
    client.force_login(world.boss)
    response = client.post(_url(world.group_a1), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert Org.objects.get(pk=world.group_a1.pk).status == OrgStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="org.dissolve").exists()


def test_it_refuses_an_org_that_still_has_members(client, world):
    client.force_login(world.boss)
    response = client.post(_url(world.branch_b), _data(), HTTP_HX_REQUEST="true")
    assert response.context["form"].non_field_errors()
    assert "支部合并" in response.content.decode()  # the typed reason is kept
    assert Org.objects.get(pk=world.branch_b.pk).status == OrgStatus.ACTIVE
    assert not AuditEvent.objects.filter(action="org.dissolve").exists()


def test_it_refuses_an_org_with_active_sub_organizations(client, world):
    empty = make_org(world.general_branch, OrgType.BRANCH)
    make_org(empty, OrgType.PARTY_GROUP)
    client.force_login(world.boss)
    response = client.post(_url(empty), _data())
    assert response.context["form"].non_field_errors()
    assert Org.objects.get(pk=empty.pk).status == OrgStatus.ACTIVE
