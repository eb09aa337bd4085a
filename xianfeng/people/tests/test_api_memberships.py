"""/api/v1/memberships/: the member list's filters, create, transfer and leave through the services."""

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.core.models import AuditEvent
from xianfeng.people.models import Membership, Person
from xianfeng.testing import id_number_for, make_member

URL = "/api/v1/memberships/"


def today():
    return timezone.localdate().isoformat()


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def client_of(world, user):
    return api(getattr(world, user) if user else None)


def codes(response):
    return {row["code"] for row in response.json()["results"]}


def new_member(org, **over):
    return {
        "person": {"name": "孙八", "id_number": id_number_for(dt.date(1990, 5, 5)), "phone": "13900000000"},
        "org": org.pk,
        "status": "full",
        "application_date": "2015-01-01",
        "activist_date": "2015-04-01",
        "candidate_date": "2016-05-01",
        "admission_date": "2017-01-01",
        "conversion_date": "2018-01-02",
        **over,
    }


class TestMembershipList:
    def test_it_lists_the_callers_scope(self, world):
        assert codes(api(world.alice).get(URL)) == {str(world.member_a.code), str(world.dang_membership.code)}

    def test_it_applies_the_member_list_filters(self, world):
        make_member(world.branch_b, name="预备甲", status="probationary")
        client = api(world.boss)
        assert len(codes(client.get(URL, {"status": "probationary"}))) == 1
        assert codes(client.get(URL, {"org": world.branch_b.pk, "q": "李四"})) == {str(world.member_b.code)}

    def test_it_names_a_bad_filter(self, world):
        response = api(world.boss).get(URL, {"status": "emperor"})
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "status"

    def test_it_masks_sensitive_fields(self, world):
        row = api(world.boss).get(URL, {"q": "张三"}).json()["results"][0]
        assert row["person"]["id_number"] == world.member_a.person.id_number_masked
        assert row["org"] == {"id": world.branch_a.pk, "name": world.branch_a.name}

    def test_it_answers_401_to_anonymous(self, world):
        assert api().get(URL).status_code == 401

    def test_it_runs_a_constant_number_of_queries(self, world, django_assert_num_queries):
        client = api(world.boss)
        client.get(URL)
        with django_assert_num_queries(5):  # token, grants, own rows, count, page with person, org, group
            client.get(URL)
        for _n in range(6):
            make_member(world.branch_a)
        with django_assert_num_queries(5):
            assert client.get(URL).json()["count"] == 9


class TestMembershipDetail:
    def test_it_shows_a_membership_to_a_viewer_and_to_the_member(self, world):
        assert api(world.bob).get(f"{URL}{world.member_a.code}/").status_code == 200
        assert api(world.dang).get(f"{URL}{world.dang_membership.code}/").status_code == 200

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("charlie", 404), ("dang", 404)])
    def test_it_hides_a_membership_from_others(self, world, user, status):
        assert client_of(world, user).get(f"{URL}{world.member_a.code}/").status_code == status


class TestMembershipCreate:
    def test_it_records_a_person_and_membership_with_audit_rows(self, world):
        response = api(world.alice).post(
            URL, new_member(world.branch_a, party_group=world.group_a1.pk), format="json"
        )
        assert response.status_code == 201, response.json()
        membership = Membership.objects.get(code=response.json()["code"])
        assert (membership.org, membership.party_group) == (world.branch_a, world.group_a1)
        assert membership.person.gender == "male"  # from the ID number
        assert response.json()["person"]["phone"] == "139****0000"
        actions = set(AuditEvent.objects.filter(actor=world.alice).values_list("action", flat=True))
        assert {"person.create", "membership.create"} <= actions

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("bob", 403), ("charlie", 400)])
    def test_it_refuses_others(self, world, user, status):
        response = client_of(world, user).post(URL, new_member(world.branch_a), format="json")
        assert response.status_code == status
        assert not Person.objects.filter(name="孙八").exists()

    def test_it_names_the_nested_field_and_the_rule(self, world):
        bad_id = new_member(world.branch_a, person={"name": "孙八", "id_number": "110101199001011234"})
        response = api(world.alice).post(URL, bad_id, format="json")
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == ["person.id_number"]
        early = new_member(world.branch_a, conversion_date="2017-06-01")
        response = api(world.alice).post(URL, early, format="json")
        assert response.json()["errors"][0]["field"] == "conversion_date"
        assert "党章 art. 7" in response.json()["errors"][0]["message"]
        assert not Person.objects.filter(name="孙八").exists()

    def test_it_reports_a_duplicate_id_number(self, world):
        payload = new_member(
            world.branch_a, person={"name": "孙八", "id_number": world.member_b.person.id_number}
        )
        response = api(world.alice).post(URL, payload, format="json")
        assert response.json()["errors"][0]["field"] == "person.id_number"


class TestMembershipTransferAndLeave:
    def test_it_transfers_a_member_with_audit_rows(self, world):
        payload = {"to_org": world.branch_b.pk, "date": today(), "reason": "岗位调整"}
        response = api(world.boss).post(f"{URL}{world.member_a.code}/transfer", payload, format="json")
        assert response.status_code == 200
        assert response.json()["org"]["id"] == world.branch_b.pk
        assert (
            AuditEvent.objects.filter(
                action="membership.transfer", target_id=str(world.member_a.code)
            ).count()
            == 2
        )

    def test_it_hides_a_target_org_outside_the_scope(self, world):
        payload = {"to_org": world.branch_b.pk, "date": today()}
        response = api(world.alice).post(f"{URL}{world.member_a.code}/transfer", payload, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "to_org"

    def test_it_names_a_future_date(self, world):
        payload = {"to_org": world.branch_b.pk, "date": "2999-01-01"}
        response = api(world.boss).post(f"{URL}{world.member_a.code}/transfer", payload, format="json")
        assert [e["field"] for e in response.json()["errors"]] == ["date"]

    def test_it_records_leaving_with_an_audit_row(self, world):
        payload = {"reason": "death", "date": today()}
        response = api(world.alice).post(f"{URL}{world.member_a.code}/leave", payload, format="json")
        assert response.status_code == 200
        assert response.json()["left_reason"] == "death"
        assert AuditEvent.objects.filter(action="membership.leave", actor=world.alice).exists()

    def test_it_asks_for_a_note_when_the_reason_is_other(self, world):
        payload = {"reason": "other", "date": today()}
        response = api(world.alice).post(f"{URL}{world.member_a.code}/leave", payload, format="json")
        assert [e["field"] for e in response.json()["errors"]] == ["note"]
        assert Membership.objects.get(pk=world.member_a.pk).is_current

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("bob", 403), ("charlie", 404)])
    @pytest.mark.parametrize("operation", ["transfer", "leave"])
    def test_it_refuses_others(self, world, user, status, operation):
        payload = {"to_org": world.branch_a.pk, "reason": "death", "date": today()}
        response = client_of(world, user).post(
            f"{URL}{world.member_a.code}/{operation}", payload, format="json"
        )
        assert response.status_code == status
        membership = Membership.objects.get(pk=world.member_a.pk)
        assert membership.is_current and membership.org == world.branch_a
