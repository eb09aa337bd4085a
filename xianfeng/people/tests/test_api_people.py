"""/api/v1/people/: masked, restricted, addressed by code; changes through person_update."""

import pytest
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.core.models import AuditEvent
from xianfeng.people.models import Person
from xianfeng.testing import make_member

URL = "/api/v1/people/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def url(membership, suffix=""):
    return f"{URL}{membership.person.code}/{suffix}"


class TestPersonList:
    def test_it_lists_the_callers_scope_with_masked_numbers(self, world):
        rows = api(world.alice).get(URL).json()["results"]
        assert {row["code"] for row in rows} == {
            str(world.member_a.person.code),
            str(world.dang_membership.person.code),
        }
        person = world.member_a.person
        row = next(row for row in rows if row["code"] == str(person.code))
        assert row["id_number"] == person.id_number_masked != person.id_number
        assert "id" not in row

    def test_a_member_sees_only_themselves(self, world):
        rows = api(world.dang).get(URL).json()["results"]
        assert [row["code"] for row in rows] == [str(world.dang_membership.person.code)]

    def test_it_answers_401_to_anonymous(self, world):
        assert api().get(URL).status_code == 401

    def test_it_runs_a_constant_number_of_queries(self, world, django_assert_num_queries):
        client = api(world.boss)
        client.get(URL)
        with django_assert_num_queries(5):  # token, grants, own rows, count, page
            client.get(URL)
        for _n in range(5):
            make_member(world.branch_b)
        with django_assert_num_queries(5):
            assert client.get(URL).json()["count"] == 8


class TestPersonDetail:
    def test_it_shows_a_person_to_a_viewer(self, world):
        response = api(world.bob).get(url(world.member_a))
        assert response.status_code == 200
        assert response.json()["name"] == "张三"

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("charlie", 404)])
    def test_it_hides_a_person_from_anonymous_and_outsiders(self, world, user, status):
        assert api(getattr(world, user) if user else None).get(url(world.member_a)).status_code == status

    def test_it_answers_404_to_an_unknown_code(self, world):
        assert api(world.boss).get(f"{URL}00000000-0000-0000-0000-000000000000/").status_code == 404


class TestPersonUpdate:
    def test_it_changes_employee_data_with_an_audit_row(self, world):
        response = api(world.alice).patch(url(world.member_a), {"department": "变电运维室"}, format="json")
        assert response.status_code == 200
        assert Person.objects.get(pk=world.member_a.person.pk).department == "变电运维室"
        assert AuditEvent.objects.filter(
            action="person.update", target_id=str(world.member_a.person.code)
        ).exists()

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("bob", 403), ("charlie", 404), ("dang", 404)])
    def test_it_refuses_others(self, world, user, status):
        client = api(getattr(world, user) if user else None)
        assert client.patch(url(world.member_a), {"department": "x"}, format="json").status_code == status
        assert Person.objects.get(pk=world.member_a.person.pk).department == ""

    def test_it_names_the_field_and_the_rule(self, world):
        response = api(world.alice).patch(url(world.member_a), {"phone": "12345"}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "phone"
        response = api(world.alice).patch(
            url(world.member_a), {"id_number": "110101199001011234"}, format="json"
        )
        assert response.json()["errors"][0]["field"] == "id_number"
        assert "GB 11643" in response.json()["errors"][0]["message"]
        assert Person.objects.get(pk=world.member_a.person.pk).phone == ""


class TestPersonReveal:
    def test_it_reveals_to_a_user_with_the_unmask_right_and_logs_it(self, world):
        response = api(world.boss).post(url(world.member_a, "reveal"), {"field": "id_number"}, format="json")
        assert response.status_code == 200
        assert response.json()["value"] == world.member_a.person.id_number
        assert AuditEvent.objects.filter(action="person.unmask", actor=world.boss).exists()

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("alice", 403), ("charlie", 404)])
    def test_it_refuses_others(self, world, user, status):
        client = api(getattr(world, user) if user else None)
        assert (
            client.post(url(world.member_a, "reveal"), {"field": "id_number"}, format="json").status_code
            == status
        )
        assert not AuditEvent.objects.filter(action="person.unmask").exists()
