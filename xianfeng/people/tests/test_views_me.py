"""My record: the member's own data on a phone, or a friendly page when the account is not linked."""

from django.urls import reverse

URL = "/members/me/"


def test_it_sends_anonymous_users_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_shows_the_members_own_record_masked(client, world):
    client.force_login(world.dang)
    response = client.get(URL)
    content = response.content.decode()
    person = world.dang_membership.person
    assert response.status_code == 200
    assert person.name in content
    assert person.id_number_masked in content
    assert person.id_number not in content
    assert world.branch_a.display_name in content
    assert "2018-08-08" in content  # conversion date (admitted at 25, converted a year later)


def test_it_is_a_single_column_without_tables(client, world):
    client.force_login(world.dang)
    content = client.get(URL).content.decode()
    assert "<table" not in content
    assert 'name="viewport"' in content


def test_it_tells_an_unlinked_user_whom_to_ask(client, world):
    client.force_login(world.alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert "not linked to a member record" in response.content.decode()
    assert "administrator" in response.content.decode()
