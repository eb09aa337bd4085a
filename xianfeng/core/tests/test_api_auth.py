"""API authentication (bearer tokens, lockout) and the OpenAPI schema."""

import datetime as dt
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.core.models import ApiToken, AuditEvent
from xianfeng.testing import DEMO_PASSWORD

TOKEN_URL = "/api/v1/auth/token"
ORGS_URL = "/api/v1/orgs/"


def bearer(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


class TestTokenObtain:
    def test_it_issues_a_token_for_the_right_password(self, world):
        response = APIClient().post(
            TOKEN_URL, {"username": "alice", "password": DEMO_PASSWORD}, format="json"
        )
        assert response.status_code == 200
        assert response.json()["token"].startswith("xf_")
        token = ApiToken.objects.get(user=world.alice)
        assert token.key_hash != response.json()["token"]  # only the hash is stored
        assert set(AuditEvent.objects.filter(actor=world.alice).values_list("action", flat=True)) >= {
            "auth.login",
            "api.token_issue",
        }

    def test_it_refuses_a_wrong_password_naming_the_field(self, world):
        response = APIClient().post(TOKEN_URL, {"username": "alice", "password": "nope"}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "password"
        assert not ApiToken.objects.exists()
        assert AuditEvent.objects.filter(action="auth.login_failed", actor_name="alice").exists()

    def test_it_requires_both_fields(self, world):
        response = APIClient().post(TOKEN_URL, {"username": "alice"}, format="json")
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == ["password"]

    def test_it_locks_the_account_after_repeated_failures(self, world, settings):
        client = APIClient()
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            client.post(TOKEN_URL, {"username": "alice", "password": "wrong"}, format="json")
        response = client.post(TOKEN_URL, {"username": "alice", "password": DEMO_PASSWORD}, format="json")
        assert response.status_code == 429
        assert response.json()["errors"][0]["code"] == "locked"
        assert not ApiToken.objects.exists()


class TestBearerAuthentication:
    def test_it_authenticates_with_a_bearer_token(self, world):
        key, _token = token_issue(user=world.alice)
        response = bearer(key).get(ORGS_URL)
        assert response.status_code == 200
        assert {org["id"] for org in response.json()["results"]} == {world.branch_a.pk, world.group_a1.pk}

    def test_it_answers_401_without_credentials(self, world):
        response = APIClient().get(ORGS_URL)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Bearer"
        assert response.json()["errors"][0]["code"] == "not_authenticated"

    @pytest.mark.parametrize("change", ["expired", "revoked", "inactive"])
    def test_it_rejects_expired_revoked_and_inactive_tokens(self, world, change):
        key, token = token_issue(user=world.alice)
        if change == "expired":
            ApiToken.objects.filter(pk=token.pk).update(expires=timezone.now() - dt.timedelta(seconds=1))
        elif change == "revoked":
            ApiToken.objects.filter(pk=token.pk).update(revoked_at=timezone.now())
        else:
            world.alice.is_active = False
            world.alice.save(update_fields=["is_active"])
        assert bearer(key).get(ORGS_URL).status_code == 401

    def test_it_rejects_unknown_and_malformed_tokens(self, world):
        assert bearer("xf_not-a-token").get(ORGS_URL).status_code == 401
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
        assert client.get(ORGS_URL).status_code == 401

    def test_it_revokes_the_token_in_use(self, world):
        key, token = token_issue(user=world.alice)
        client = bearer(key)
        assert client.post(f"{TOKEN_URL}/revoke").status_code == 200
        assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
        assert AuditEvent.objects.filter(action="api.token_revoke", actor=world.alice).exists()
        assert client.get(ORGS_URL).status_code == 401


class TestOpenApiSchema:
    def test_it_generates_the_schema_with_every_path_and_the_bearer_scheme(self, db):
        response = APIClient().get("/api/v1/openapi.json")
        assert response.status_code == 200
        schema = json.loads(response.content)
        assert schema["components"]["securitySchemes"]["bearerAuth"] == {"type": "http", "scheme": "bearer"}
        for path in (
            "/api/v1/auth/token",
            "/api/v1/orgs/",
            "/api/v1/orgs/{org_id}/",
            "/api/v1/orgs/{org_id}/move",
            "/api/v1/orgs/{org_id}/dissolve",
            "/api/v1/people/",
            "/api/v1/people/{code}/",
            "/api/v1/memberships/",
            "/api/v1/memberships/{code}/",
            "/api/v1/memberships/{code}/transfer",
            "/api/v1/memberships/{code}/leave",
            "/api/v1/members/import",
        ):
            assert path in schema["paths"], path

    def test_it_generates_without_warnings(self, db):
        from django.core.management import call_command

        call_command("spectacular", "--fail-on-warn", "--validate", "--file", "/dev/null")

    def test_it_serves_the_interactive_docs(self, world):
        client = APIClient()
        client.force_login(world.alice)
        response = client.get("/api/v1/docs/")
        assert response.status_code == 200
        assert b"swagger-ui" in response.content
