"""Recording a new member: person and membership on one page, validated and audited by the service."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.people.models import Membership, Person
from xianfeng.testing import id_number_for

URL = "/members/new/"


def form_data(world, **overrides):
    data = {
        "name": "赵六",
        "id_number": id_number_for(dt.date(1995, 3, 4), "female"),
        "gender": "",
        "birth_date": "",
        "ethnicity": "01",
        "phone": "13812345678",
        "education": "bachelor",
        "org": world.branch_a.pk,
        "party_group": world.group_a1.pk,
        "status": "probationary",
        "application_date": "2019-01-10",
        "activist_date": "2019-04-10",
        "candidate_date": "2020-05-10",
        "admission_date": "2021-06-01",
    }
    return {**data, **overrides}


def people_count():
    return Person.objects.count()


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_sends_anonymous_users_to_login(client, world, method):
    response = getattr(client, method)(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("user", ["bob", "dang"])
def test_it_forbids_users_who_may_not_change(client, world, user):
    client.force_login(getattr(world, user))
    before = people_count()
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(world)).status_code == 403
    assert people_count() == before


def test_it_offers_only_orgs_the_user_may_change(client, world):
    client.force_login(world.alice)
    form = client.get(URL).context["form"]  # her only branch is chosen for her
    assert list(form.fields["org"].queryset) == [world.branch_a]
    assert list(form.fields["party_group"].queryset) == [world.group_a1]
    assert form.initial["org"] == world.branch_a.pk


def test_it_records_a_member_taking_birth_date_and_gender_from_the_id(client, world):
    client.force_login(world.alice)
    response = client.post(URL, form_data(world))
    membership = Membership.objects.get(person__name="赵六")
    assert response.status_code == 302
    assert response.url == reverse("people:detail", args=[membership.code])
    assert membership.person.birth_date == dt.date(1995, 3, 4)
    assert membership.person.gender == "female"
    assert membership.party_group == world.group_a1
    assert AuditEvent.objects.filter(action="person.create", actor=world.alice).exists()
    assert AuditEvent.objects.filter(action="membership.create", actor=world.alice).exists()


def assert_error(response, field, words):
    form = response.context["form"]
    assert response.status_code == 200
    assert any(words in error for error in form.errors[field]), form.errors
    assert f'id="id_{field}_error"' in response.content.decode()


def test_it_rejects_a_wrong_check_digit_and_keeps_the_input(client, world):
    valid = id_number_for(dt.date(1995, 3, 4))
    wrong = valid[:17] + ("0" if valid[17] != "0" else "1")
    client.force_login(world.alice)
    before = people_count()
    response = client.post(URL, form_data(world, id_number=wrong))
    assert_error(response, "id_number", "check digit")
    assert people_count() == before
    content = response.content.decode()
    assert 'value="赵六"' in content
    assert f'value="{wrong}"' in content


def test_it_rejects_a_birth_date_that_disagrees_with_the_id(client, world):
    client.force_login(world.alice)
    before = people_count()
    response = client.post(URL, form_data(world, birth_date="1995-03-05"))
    assert_error(response, "birth_date", "does not match the ID number")
    assert people_count() == before


def test_it_rejects_a_date_in_the_future(client, world):
    client.force_login(world.alice)
    before = people_count()
    future = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    response = client.post(URL, form_data(world, admission_date=future))
    assert_error(response, "admission_date", "future")
    assert people_count() == before


def test_it_rejects_a_duplicate_id_number(client, world):
    client.force_login(world.alice)
    before = people_count()
    response = client.post(URL, form_data(world, id_number=world.member_b.person.id_number))
    assert_error(response, "id_number", "already recorded")
    assert people_count() == before


def test_it_rejects_an_org_outside_the_users_scope(client, world):
    client.force_login(world.alice)
    before = people_count()
    response = client.post(URL, form_data(world, org=world.branch_b.pk, party_group=""))
    assert "org" in response.context["form"].errors
    assert people_count() == before


def test_it_names_the_missing_key_date_of_the_status(client, world):
    client.force_login(world.alice)
    response = client.post(URL, form_data(world, admission_date=""))
    assert_error(response, "admission_date", "Required for the status")


def test_it_preselects_the_org_from_the_query_and_offers_its_groups(client, world):
    client.force_login(world.boss)
    form = client.get(URL, {"org": world.branch_a.pk}).context["form"]
    assert form.initial["org"] == world.branch_a.pk
    assert list(form.fields["party_group"].queryset) == [world.group_a1]
    assert (
        not client.get(URL, {"org": world.branch_b.pk})
        .context["form"]
        .fields["party_group"]
        .queryset.exists()
    )
