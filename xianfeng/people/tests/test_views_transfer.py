"""Transferring a member to another org inside the system, and recording that a member left."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.models import AuditEvent, RoleGrant
from xianfeng.core.roles import Role
from xianfeng.orgs.choices import OrgType
from xianfeng.people.models import Membership
from xianfeng.testing import make_org


def url(membership, name="transfer"):
    return reverse(f"people:{name}", args=[membership.code])


@pytest.fixture
def branch_c(world):
    """A second branch that alice also administers, so she has somewhere to transfer to."""
    branch = make_org(world.general_branch, OrgType.BRANCH, "配电运检党支部")
    RoleGrant.objects.create(user=world.alice, org=branch, role=Role.BRANCH_ADMIN)
    return branch


def org_of(membership):
    return Membership.objects.get(pk=membership.pk).org


def today():
    return timezone.localdate()


@pytest.mark.parametrize("name", ["transfer", "leave"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_login(client, world, name, method):
    response = getattr(client, method)(url(world.member_a, name))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", ["transfer", "leave"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_a_member_from_an_outsider(client, world, name, method):
    client.force_login(world.charlie)
    assert getattr(client, method)(url(world.member_a, name)).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_forbids_a_read_only_user(client, world, branch_c, method):
    client.force_login(world.bob)
    transfer = {"to_org": branch_c.pk, "date": today().isoformat(), "reason": "调动"}
    assert getattr(client, method)(url(world.member_a), transfer).status_code == 403
    leave = {"reason": "death", "date": today().isoformat()}
    assert getattr(client, method)(url(world.member_a, "leave"), leave).status_code == 403
    assert org_of(world.member_a) == world.branch_a
    assert Membership.objects.get(pk=world.member_a.pk).is_current


def test_it_forbids_self_service_edits(client, world):
    client.force_login(world.dang)
    for name in ("transfer", "leave"):
        assert client.get(url(world.dang_membership, name)).status_code == 403
        assert client.post(url(world.dang_membership, name)).status_code == 403
        assert client.get(url(world.member_a, name)).status_code == 404


def test_it_transfers_to_an_org_the_user_may_change_and_audits(client, world, branch_c):
    client.force_login(world.alice)
    data = {"to_org": branch_c.pk, "date": today().isoformat(), "reason": "岗位调整"}
    response = client.post(url(world.member_a), data)
    assert response.status_code == 302
    assert org_of(world.member_a) == branch_c
    assert AuditEvent.objects.filter(action="membership.transfer", actor=world.alice).count() == 2


def test_it_rejects_a_transfer_outside_the_users_scope(client, world, branch_c):
    client.force_login(world.alice)
    data = {"to_org": world.branch_b.pk, "date": today().isoformat(), "reason": "岗位调整"}
    response = client.post(url(world.member_a), data)
    assert "organizations you manage" in response.context["form"].errors["to_org"][0]
    assert org_of(world.member_a) == world.branch_a


def test_it_rejects_a_transfer_date_in_the_future(client, world, branch_c):
    client.force_login(world.alice)
    data = {"to_org": branch_c.pk, "date": (today() + dt.timedelta(days=3)).isoformat(), "reason": "调动"}
    response = client.post(url(world.member_a), data)
    assert "future" in response.context["form"].errors["date"][0]
    assert 'id="id_date_error"' in response.content.decode()
    assert org_of(world.member_a) == world.branch_a


def test_it_rejects_a_party_group_of_another_org(client, world, branch_c):
    client.force_login(world.alice)
    data = {
        "to_org": branch_c.pk,
        "party_group": world.group_a1.pk,
        "date": today().isoformat(),
        "reason": "调动",
    }
    response = client.post(url(world.member_a), data)
    assert response.context["form"].errors["party_group"]
    assert org_of(world.member_a) == world.branch_a


def test_it_records_leaving_and_audits(client, world):
    client.force_login(world.alice)
    data = {"reason": "transfer_out", "date": "2025-05-01", "note": "转往外单位"}
    assert client.post(url(world.member_a, "leave"), data).status_code == 302
    membership = Membership.objects.get(pk=world.member_a.pk)
    assert (membership.left_date, membership.left_reason) == (dt.date(2025, 5, 1), "transfer_out")
    assert AuditEvent.objects.filter(action="membership.leave", actor=world.alice).exists()


def test_it_requires_a_note_when_the_reason_is_other(client, world):
    client.force_login(world.alice)
    response = client.post(url(world.member_a, "leave"), {"reason": "other", "date": "2025-05-01"})
    assert response.context["form"].errors["note"]
    assert Membership.objects.get(pk=world.member_a.pk).is_current


def test_it_rejects_a_leaving_date_in_the_future(client, world):
    client.force_login(world.alice)
    data = {"reason": "death", "date": (today() + dt.timedelta(days=1)).isoformat()}
    response = client.post(url(world.member_a, "leave"), data)
    assert "future" in response.context["form"].errors["date"][0]
    assert Membership.objects.get(pk=world.member_a.pk).is_current
