"""POST /api/v1/members/import: per-row errors, dry runs, all rows or none."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.core.models import AuditEvent
from xianfeng.people.models import Person
from xianfeng.people.tests.test_import import member_row, workbook
from xianfeng.testing import id_number_for

URL = "/api/v1/members/import"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def upload(client, data, **extra):
    file = SimpleUploadedFile("members.xlsx", data)
    return client.post(URL, {"file": file, **extra}, format="multipart")


def good_rows(world, count=3):
    return [
        member_row(world.branch_a, id_number=id_number_for(dt.date(1981, 1, n))) for n in range(1, count + 1)
    ]


class TestMemberImportApi:
    def test_it_imports_every_row_with_audit_rows(self, world):
        response = upload(api(world.alice), workbook(*good_rows(world)))
        assert response.status_code == 201
        assert response.json() | {"batch": None} == {
            "rows": 3,
            "created": 3,
            "dry_run": False,
            "batch": None,
            "errors": [],
        }
        assert Person.objects.filter(name="赵六").count() == 3
        assert AuditEvent.objects.filter(action="person.create", actor=world.alice).count() == 3
        assert AuditEvent.objects.filter(action="members.import", target_id=response.json()["batch"]).exists()

    def test_it_only_checks_on_a_dry_run(self, world):
        response = upload(api(world.alice), workbook(*good_rows(world)), dry_run="true")
        assert response.status_code == 200
        assert (response.json()["rows"], response.json()["created"]) == (3, 0)
        assert not Person.objects.filter(name="赵六").exists()

    @pytest.mark.parametrize("dry_run", ["false", "true"])
    def test_it_reports_the_bad_row_and_writes_nothing(self, world, dry_run):
        rows = [
            *good_rows(world),
            member_row(world.branch_a, id_number=id_number_for(dt.date(1981, 2, 1)), status=""),
        ]
        people = Person.objects.count()
        response = upload(api(world.alice), workbook(*rows), dry_run=dry_run)
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {
                "row": 5,
                "field": "status",
                "column": "政治面貌",
                "message": "Unknown political status.",
                "code": "invalid",
            }
        ]
        assert Person.objects.count() == people

    def test_it_reports_an_org_outside_the_scope(self, world):
        response = upload(api(world.charlie), workbook(*good_rows(world, 1)))
        assert response.status_code == 400
        assert [(e["row"], e["field"]) for e in response.json()["errors"]] == [(2, "org")]

    def test_it_names_the_file_field_for_a_broken_file(self, world):
        response = upload(api(world.alice), b"\x00garbage")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "file"

    def test_it_refuses_a_file_over_the_size_limit(self, world, settings):
        settings.XIANFENG_IMPORT_MAX_BYTES = 1000
        response = upload(api(world.alice), workbook(*good_rows(world, 1)))
        assert response.status_code == 400
        assert "larger than" in response.json()["errors"][0]["message"]

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("bob", 403), ("dang", 403)])
    def test_it_refuses_users_without_the_import_right(self, world, user, status):
        response = upload(api(getattr(world, user) if user else None), workbook(*good_rows(world, 1)))
        assert response.status_code == status
        assert not Person.objects.filter(name="赵六").exists()
