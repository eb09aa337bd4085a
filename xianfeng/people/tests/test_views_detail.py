"""A member's record: who may see it, what is masked, which actions are offered."""

import datetime as dt
import uuid

from django.urls import reverse

from xianfeng.people import services
from xianfeng.people.choices import Post


def url(membership):
    return reverse("people:detail", args=[membership.code])


def test_it_sends_anonymous_users_to_login(client, world):
    response = client.get(url(world.member_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_a_member_from_an_outsider(client, world):
    client.force_login(world.charlie)
    assert client.get(url(world.member_a)).status_code == 404


def test_it_answers_404_for_an_unknown_code(client, world):
    client.force_login(world.boss)
    assert client.get(reverse("people:detail", args=[uuid.uuid4()])).status_code == 404


def test_it_shows_a_read_only_user_the_masked_record_without_actions(client, world):
    client.force_login(world.bob)
    response = client.get(url(world.member_a))
    content = response.content.decode()
    person = world.member_a.person
    assert response.status_code == 200
    assert person.id_number_masked in content
    assert person.id_number not in content
    assert reverse("people:edit", args=[world.member_a.code]) not in content
    assert reverse("people:reveal", args=[world.member_a.code, "id_number"]) not in content


def test_it_offers_the_actions_to_a_branch_admin_but_no_unmasking(client, world):
    client.force_login(world.alice)
    content = client.get(url(world.member_a)).content.decode()
    for name in ("edit", "membership_edit", "transfer", "leave", "post_assign"):
        assert reverse(f"people:{name}", args=[world.member_a.code]) in content
    assert reverse("people:reveal", args=[world.member_a.code, "id_number"]) not in content


def test_it_offers_unmasking_to_a_committee_admin(client, world):
    client.force_login(world.boss)
    content = client.get(url(world.member_a)).content.decode()
    assert reverse("people:reveal", args=[world.member_a.code, "id_number"]) in content


def test_it_shows_a_member_their_own_record_only(client, world):
    client.force_login(world.dang)
    own = client.get(url(world.dang_membership))
    assert own.status_code == 200
    assert reverse("people:edit", args=[world.dang_membership.code]) not in own.content.decode()
    assert client.get(url(world.member_a)).status_code == 404


def test_it_shows_posts_history_and_party_age(client, world):
    services.post_assign(
        actor=None,
        person=world.member_a.person,
        org=world.branch_a,
        post=Post.SECRETARY,
        start_date=dt.date(2024, 3, 1),
    )
    client.force_login(world.alice)
    response = client.get(url(world.member_a))
    content = response.content.decode()
    assert response.context["current_posts"][0].post == Post.SECRETARY
    assert reverse("people:post_end", args=[response.context["current_posts"][0].pk]) in content
    assert "2024-03-01" in content
    assert len(response.context["events"]) == 1  # recorded
    assert response.context["party_age"] >= 13  # converted 2011-06-15
