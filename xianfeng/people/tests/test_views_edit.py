"""Editing personal data: masked fields stay masked, changes are validated and audited."""

import datetime as dt

import pytest
from django.urls import reverse

from xianfeng.core.models import AuditEvent
from xianfeng.people.models import Person
from xianfeng.testing import id_number_for


def url(membership):
    return reverse("people:edit", args=[membership.code])


def form_data(person, **overrides):
    data = {
        "name": person.name,
        "id_number": "",
        "gender": person.gender,
        "birth_date": person.birth_date.isoformat(),
        "ethnicity": person.ethnicity,
        "phone": "",
    }
    return {**data, **overrides}


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
    response = getattr(client, method)(url(world.member_a), form_data(world.member_a.person, name="改名"))
    assert response.status_code == 403
    assert Person.objects.get(pk=world.member_a.person.pk).name == "张三"


def test_it_forbids_self_service_edits(client, world):
    client.force_login(world.dang)
    assert client.get(url(world.dang_membership)).status_code == 403
    assert client.post(url(world.dang_membership), form_data(world.dang_membership.person)).status_code == 403
    assert client.get(url(world.member_a)).status_code == 404


def test_it_never_puts_the_full_id_number_or_phone_in_the_form(client, world):
    person = world.member_a.person
    client.force_login(world.alice)
    content = client.get(url(world.member_a)).content.decode()
    assert person.id_number not in content
    assert person.id_number_masked in content


def test_it_saves_changes_keeps_masked_values_and_audits(client, world):
    person = world.member_a.person
    client.force_login(world.alice)
    response = client.post(url(world.member_a), form_data(person, name="张三丰", phone="13900001111"))
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "张三丰"
    assert person.phone == "13900001111"
    assert person.id_number == world.member_a.person.id_number
    event = AuditEvent.objects.get(action="person.update")
    assert event.actor == world.alice
    assert "13900001111" not in str(event.after)


def test_it_takes_birth_date_and_gender_from_a_corrected_id_number(client, world):
    person = world.member_a.person
    corrected = id_number_for(dt.date(1986, 7, 1), "female")
    client.force_login(world.alice)
    assert client.post(url(world.member_a), form_data(person, id_number=corrected)).status_code == 302
    person.refresh_from_db()
    assert (person.id_number, person.birth_date, person.gender) == (corrected, dt.date(1986, 7, 1), "female")


def test_it_rejects_a_birth_date_that_disagrees_with_the_id(client, world):
    person = world.member_a.person
    client.force_login(world.alice)
    response = client.post(url(world.member_a), form_data(person, birth_date="1985-06-16"))
    assert "does not match the ID number" in response.context["form"].errors["birth_date"][0]
    assert 'value="1985-06-16"' in response.content.decode()
    person.refresh_from_db()
    assert person.birth_date == dt.date(1985, 6, 15)
    assert not AuditEvent.objects.filter(action="person.update").exists()


def test_it_rejects_a_duplicate_id_number(client, world):
    client.force_login(world.alice)
    data = form_data(world.member_a.person, id_number=world.member_b.person.id_number)
    response = client.post(url(world.member_a), data)
    assert "already recorded" in response.context["form"].errors["id_number"][0]
    assert not AuditEvent.objects.filter(action="person.update").exists()
