"""Assigning and ending posts (secretary, committee member, group leader…)."""

import datetime as dt

import pytest
from django.urls import reverse

from xianfeng.core.models import AuditEvent
from xianfeng.people import services
from xianfeng.people.choices import PoliticalStatus, Post
from xianfeng.people.models import PostHolding
from xianfeng.testing import make_member


def assign_url(membership):
    return reverse("people:post_assign", args=[membership.code])


def end_url(holding):
    return reverse("people:post_end", args=[holding.pk])


@pytest.fixture
def holding(world):
    return services.post_assign(
        actor=None,
        person=world.member_a.person,
        org=world.branch_a,
        post=Post.SECRETARY,
        start_date=dt.date(2024, 3, 1),
    )


def secretary(world):
    return {"org": world.branch_a.pk, "post": Post.SECRETARY, "start_date": "2024-03-01"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_login(client, world, holding, method):
    for target in (assign_url(world.member_a), end_url(holding)):
        response = getattr(client, method)(target)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_hides_a_member_from_an_outsider(client, world, holding, method):
    client.force_login(world.charlie)
    assert getattr(client, method)(assign_url(world.member_a)).status_code == 404
    assert getattr(client, method)(end_url(holding)).status_code == 404


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_forbids_a_read_only_user(client, world, holding, method):
    client.force_login(world.bob)
    assert getattr(client, method)(assign_url(world.dang_membership), secretary(world)).status_code == 403
    assert getattr(client, method)(end_url(holding), {"end_date": "2025-01-01"}).status_code == 403
    assert PostHolding.objects.get(pk=holding.pk).end_date is None


def test_it_forbids_self_service_edits(client, world):
    client.force_login(world.dang)
    assert client.get(assign_url(world.dang_membership)).status_code == 403
    assert client.post(assign_url(world.dang_membership), secretary(world)).status_code == 403
    assert client.get(assign_url(world.member_a)).status_code == 404


def test_it_offers_the_members_org_its_groups_and_superiors_in_scope(client, world):
    client.force_login(world.boss)
    form = client.get(assign_url(world.member_a)).context["form"]
    assert set(form.fields["org"].queryset) == {
        world.committee,
        world.general_branch,
        world.branch_a,
        world.group_a1,
    }
    client.force_login(world.alice)
    form = client.get(assign_url(world.member_a)).context["form"]
    assert set(form.fields["org"].queryset) == {world.branch_a, world.group_a1}


def test_it_assigns_a_post_and_audits(client, world):
    client.force_login(world.alice)
    assert client.post(assign_url(world.member_a), secretary(world)).status_code == 302
    assert PostHolding.objects.filter(person=world.member_a.person, post=Post.SECRETARY).exists()
    assert AuditEvent.objects.filter(action="post.assign", actor=world.alice).exists()


def test_it_rejects_a_probationary_member(client, world):
    probationary = make_member(
        world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=dt.date(2025, 1, 1)
    )
    client.force_login(world.alice)
    response = client.post(assign_url(probationary), secretary(world))
    assert "Only full members" in response.context["form"].non_field_errors()[0]
    assert not PostHolding.objects.exists()


def test_it_rejects_a_group_leader_of_a_branch(client, world):
    client.force_login(world.alice)
    data = {"org": world.branch_a.pk, "post": Post.GROUP_LEADER, "start_date": "2024-03-01"}
    response = client.post(assign_url(world.member_a), data)
    assert response.context["form"].errors["post"]
    assert not PostHolding.objects.exists()


def test_it_ends_a_post_and_audits(client, world, holding):
    client.force_login(world.alice)
    response = client.post(end_url(holding), {"end_date": "2025-01-01"})
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[world.member_a.code])
    assert PostHolding.objects.get(pk=holding.pk).end_date == dt.date(2025, 1, 1)
    assert AuditEvent.objects.filter(action="post.end", actor=world.alice).exists()


def test_it_rejects_an_end_date_before_the_start(client, world, holding):
    client.force_login(world.alice)
    response = client.post(end_url(holding), {"end_date": "2024-02-01"})
    assert "before the start date" in response.context["form"].errors["end_date"][0]
    assert PostHolding.objects.get(pk=holding.pk).end_date is None
