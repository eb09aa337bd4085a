"""Editing status, key dates and party group: a reason is required and kept in the history."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.people.choices import MembershipEventKind
from xianfeng.people.models import Membership


def url(membership):
    return reverse("people:membership_edit", args=[membership.code])


def form_data(membership, **overrides):
    data = {
        name: getattr(membership, name).isoformat() if getattr(membership, name) else ""
        for name in (
            "application_date",
            "activist_date",
            "candidate_date",
            "admission_date",
            "conversion_date",
        )
    }
    data |= {"status": membership.status, "party_group": membership.party_group_id or "", "reason": ""}
    return {**data, **overrides}


def group_of(membership):
    return Membership.objects.get(pk=membership.pk).party_group_id


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_login(client, world, method):
    response = getattr(client, method)(url(world.member_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_a_member_from_an_outsider(client, world, method):
    client.force_login(world.charlie)
    assert getattr(client, method)(url(world.member_a)).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_forbids_a_read_only_user(client, world, method):
    client.force_login(world.bob)
    data = form_data(world.member_a, party_group=world.group_a1.pk, reason="分组")
    assert getattr(client, method)(url(world.member_a), data).status_code == 403
    assert group_of(world.member_a) is None


def test_it_forbids_self_service_edits(client, world):
    client.force_login(world.dang)
    assert client.get(url(world.dang_membership)).status_code == 403
    assert client.post(url(world.dang_membership), form_data(world.dang_membership)).status_code == 403
    assert client.get(url(world.member_a)).status_code == 404


def test_it_changes_the_party_group_with_a_reason_and_audits(client, world):
    client.force_login(world.alice)
    data = form_data(world.member_a, party_group=world.group_a1.pk, reason="支部委员会决定分组")
    assert client.post(url(world.member_a), data).status_code == 302
    assert group_of(world.member_a) == world.group_a1.pk
    event = world.member_a.events.get(kind=MembershipEventKind.GROUP)
    assert event.reason == "支部委员会决定分组"
    assert AuditEvent.objects.filter(action="membership.update", actor=world.alice).exists()


def test_it_requires_a_reason(client, world):
    client.force_login(world.alice)
    response = client.post(url(world.member_a), form_data(world.member_a, party_group=world.group_a1.pk))
    assert response.context["form"].errors["reason"]
    assert 'id="id_reason_error"' in response.content.decode()
    assert group_of(world.member_a) is None


def test_it_says_when_nothing_changed(client, world):
    client.force_login(world.alice)
    response = client.post(url(world.member_a), form_data(world.member_a, reason="无"))
    assert "Nothing was changed." in response.context["form"].non_field_errors()
    assert not AuditEvent.objects.filter(action="membership.update").exists()


def test_it_rejects_a_conversion_date_in_the_future(client, world):
    future = (timezone.localdate() + dt.timedelta(days=10)).isoformat()
    client.force_login(world.alice)
    response = client.post(
        url(world.member_a), form_data(world.member_a, conversion_date=future, reason="更正")
    )
    assert "future" in response.context["form"].errors["conversion_date"][0]
    assert Membership.objects.get(pk=world.member_a.pk).conversion_date == world.member_a.conversion_date
