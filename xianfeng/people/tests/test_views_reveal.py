"""Unmasking an ID number or phone: only with the unmask right, always audited."""

from django.urls import reverse

from xianfeng.core.models import AuditEvent

HTMX = {"HX-Request": "true"}


def url(membership, field="id_number"):
    return reverse("people:reveal", args=[membership.code, field])


def test_it_sends_anonymous_users_to_login(client, world):
    response = client.post(url(world.member_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_accepts_only_post(client, world):
    client.force_login(world.boss)
    assert client.get(url(world.member_a)).status_code == 405


def test_it_hides_a_member_from_an_outsider(client, world):
    client.force_login(world.charlie)
    assert client.post(url(world.member_a), headers=HTMX).status_code == 404


def test_it_forbids_users_without_the_unmask_right(client, world):
    for user in (world.bob, world.alice, world.dang):
        client.force_login(user)
        assert client.post(url(world.dang_membership), headers=HTMX).status_code == 403
    assert not AuditEvent.objects.filter(action="person.unmask").exists()


def test_it_returns_the_value_and_audits_it(client, world):
    client.force_login(world.boss)
    response = client.post(url(world.member_a), headers=HTMX)
    content = response.content.decode()
    assert response.status_code == 200
    assert world.member_a.person.id_number in content
    assert "<html" not in content
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="person.unmask")
    assert event.actor == world.boss
    assert event.message == "id_number"
    assert event.target_id == str(world.member_a.person.code)


def test_it_renders_a_page_without_htmx(client, world):
    client.force_login(world.boss)
    response = client.post(url(world.member_a))
    assert response.status_code == 200
    assert "<html" in response.content.decode()


def test_it_refuses_fields_that_are_not_sensitive(client, world):
    client.force_login(world.boss)
    assert client.post(url(world.member_a, "name"), headers=HTMX).status_code == 404
