"""/api/v1/orgs/: the access matrix, audit rows, errors naming the field, query counts."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.core.models import AuditEvent
from xianfeng.orgs.models import Org
from xianfeng.testing import make_org

URL = "/api/v1/orgs/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def audited(action, org):
    return AuditEvent.objects.filter(action=action, target_id=str(org.pk)).exists()


class TestOrgList:
    def test_it_lists_only_the_callers_subtree(self, world):
        ids = {org["id"] for org in api(world.charlie).get(URL).json()["results"]}
        assert ids == {world.branch_b.pk}

    def test_it_shows_a_parent_only_when_visible(self, world):
        rows = {org["id"]: org for org in api(world.alice).get(URL).json()["results"]}
        assert rows[world.group_a1.pk]["parent"] == world.branch_a.pk
        assert rows[world.branch_a.pk]["parent"] is None  # the general branch is outside alice's scope

    def test_it_filters_children_and_types(self, world):
        response = api(world.boss).get(URL, {"parent": world.general_branch.pk, "org_type": "branch"})
        assert {org["id"] for org in response.json()["results"]} == {world.branch_a.pk, world.branch_b.pk}

    def test_it_answers_401_to_anonymous(self, world):
        assert api().get(URL).status_code == 401

    def test_it_runs_a_constant_number_of_queries(self, world, django_assert_num_queries):
        client = api(world.boss)
        client.get(URL)  # the token's first use records last_used
        with django_assert_num_queries(5):  # token, grants, count, page, visible parents
            client.get(URL)
        for n in range(10):
            make_org(world.branch_a, "party_group", f"小组{n}")
        with django_assert_num_queries(5):
            assert len(client.get(URL).json()["results"]) == 15


class TestOrgDetail:
    def test_it_shows_an_org_to_a_viewer(self, world):
        response = api(world.bob).get(f"{URL}{world.branch_a.pk}/")
        assert response.status_code == 200
        assert response.json()["code"] == world.branch_a.code

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("charlie", 404)])
    def test_it_hides_an_org_from_anonymous_and_outsiders(self, world, user, status):
        client = api(getattr(world, user) if user else None)
        assert client.get(f"{URL}{world.branch_a.pk}/").status_code == status


class TestOrgCreate:
    def payload(self, world, **over):
        return {
            "parent": world.branch_a.pk,
            "org_type": "party_group",
            "name": "第二党小组",
            "code": "G2",
            **over,
        }

    def test_it_creates_an_org_under_a_parent_with_an_audit_row(self, world):
        response = api(world.boss).post(URL, self.payload(world), format="json")
        assert response.status_code == 201
        org = Org.objects.get(code="G2")
        assert response.json()["parent"] == world.branch_a.pk
        assert org.get_parent() == world.branch_a
        assert audited("org.create", org)

    @pytest.mark.parametrize(
        ("user", "status"), [(None, 401), ("bob", 403), ("alice", 403), ("charlie", 400)]
    )
    def test_it_refuses_without_the_right_to_manage_orgs(self, world, user, status):
        response = api(getattr(world, user) if user else None).post(URL, self.payload(world), format="json")
        assert response.status_code == status
        assert not Org.objects.filter(code="G2").exists()

    def test_it_names_the_field_and_rule_of_bad_input(self, world):
        response = api(world.boss).post(URL, self.payload(world, org_type="branch"), format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "parent"
        response = api(world.boss).post(URL, self.payload(world, code=world.branch_b.code), format="json")
        assert response.json()["errors"] == [
            {"field": "code", "message": "Another organization already uses this code.", "code": "invalid"}
        ]
        assert not Org.objects.filter(name="第二党小组").exists()


class TestOrgUpdate:
    def test_it_renames_an_org_with_an_audit_row(self, world):
        response = api(world.boss).patch(f"{URL}{world.branch_a.pk}/", {"short_name": "一班"}, format="json")
        assert response.status_code == 200
        assert Org.objects.get(pk=world.branch_a.pk).short_name == "一班"
        assert audited("org.update", world.branch_a)

    @pytest.mark.parametrize(
        ("user", "status"), [(None, 401), ("bob", 403), ("alice", 403), ("charlie", 404)]
    )
    def test_it_refuses_others(self, world, user, status):
        client = api(getattr(world, user) if user else None)
        assert (
            client.patch(f"{URL}{world.branch_a.pk}/", {"short_name": "x"}, format="json").status_code
            == status
        )
        assert Org.objects.get(pk=world.branch_a.pk).short_name == ""

    def test_it_names_the_field_of_a_rule_broken(self, world):
        response = api(world.boss).patch(f"{URL}{world.branch_a.pk}/", {"term_years": 4}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "term_years"
        assert "3 or 5" in response.json()["errors"][0]["message"]


class TestOrgMoveAndDissolve:
    def test_it_moves_a_party_group_with_an_audit_row(self, world):
        response = api(world.boss).post(
            f"{URL}{world.group_a1.pk}/move", {"parent": world.branch_b.pk}, format="json"
        )
        assert response.status_code == 200
        assert Org.objects.get(pk=world.group_a1.pk).get_parent() == world.branch_b
        assert audited("org.move", world.group_a1)

    def test_it_refuses_a_move_under_the_org_itself(self, world):
        response = api(world.boss).post(
            f"{URL}{world.branch_a.pk}/move", {"parent": world.group_a1.pk}, format="json"
        )
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "parent"

    def test_it_dissolves_an_empty_org_with_an_audit_row(self, world):
        payload = {"date": timezone.localdate().isoformat(), "reason": "合并"}
        response = api(world.boss).post(f"{URL}{world.group_a1.pk}/dissolve", payload, format="json")
        assert response.status_code == 200
        assert response.json()["status"] == "dissolved"
        assert audited("org.dissolve", world.group_a1)

    def test_it_refuses_to_dissolve_an_org_with_members(self, world):
        payload = {"date": timezone.localdate().isoformat(), "reason": "合并"}
        response = api(world.boss).post(f"{URL}{world.branch_a.pk}/dissolve", payload, format="json")
        assert response.status_code == 400
        assert Org.objects.get(pk=world.branch_a.pk).is_active

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("bob", 403), ("charlie", 404)])
    @pytest.mark.parametrize("operation", ["move", "dissolve"])
    def test_it_refuses_others(self, world, user, status, operation):
        payload = {"parent": world.branch_a.pk, "date": timezone.localdate().isoformat(), "reason": "x"}
        client = api(getattr(world, user) if user else None)
        assert (
            client.post(f"{URL}{world.group_a1.pk}/{operation}", payload, format="json").status_code == status
        )
        assert Org.objects.get(pk=world.group_a1.pk).is_active

    def test_it_requires_a_reason_to_dissolve(self, world):
        response = api(world.boss).post(
            f"{URL}{world.group_a1.pk}/dissolve", {"date": "2024-01-01"}, format="json"
        )
        assert [e["field"] for e in response.json()["errors"]] == ["reason"]
