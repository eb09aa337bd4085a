"""The import pages: template, upload and preview, confirmation by the uploader only."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xianfeng.core.models import AuditEvent
from xianfeng.people import imports
from xianfeng.people.models import ImportBatch, ImportStatus, Person
from xianfeng.people.tests.test_import import member_row, workbook
from xianfeng.testing import id_number_for, make_member

IMPORT_URL = reverse("people_io:import")


def rows(world, count=2):
    return [
        member_row(world.branch_a, id_number=id_number_for(dt.date(1982, 1, n))) for n in range(1, count + 1)
    ]


def upload(client, data):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile("党员.xlsx", data)})


def stored_id_number(batch, index):
    _number, cells = imports.Sheet.from_json(batch.content).rows[index]
    return cells[imports.HEADERS.index("身份证号码")]


def confirm_url(batch):
    return reverse("people_io:confirm", args=[batch.code])


@pytest.fixture
def preview(client, world):
    client.force_login(world.alice)
    response = upload(client, workbook(*rows(world)))
    assert response.status_code == 200
    return response, ImportBatch.objects.get(owner=world.alice)


class TestTemplate:
    def test_it_downloads_the_template_with_headers_and_instructions(self, client, world):
        client.force_login(world.alice)
        response = client.get(reverse("people_io:template"))
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        assert [cell.value for cell in book.worksheets[0][1]] == list(imports.HEADERS)
        help_values = {cell.value for row in book["填写说明"].iter_rows() for cell in row}
        assert {"正式党员", "汉族", "男", world.branch_a.name, world.branch_a.code} <= help_values
        assert world.branch_b.name not in help_values  # only orgs alice may import into

    @pytest.mark.parametrize(("user", "status"), [("bob", 403), ("dang", 403)])
    def test_it_refuses_users_without_the_import_right(self, client, world, user, status):
        client.force_login(getattr(world, user))
        assert client.get(reverse("people_io:template")).status_code == status
        assert client.get(IMPORT_URL).status_code == status

    def test_it_sends_anonymous_users_to_log_in(self, client, world):
        assert client.get(IMPORT_URL).url.startswith(reverse("login"))


class TestPreview:
    def test_it_checks_every_row_and_writes_nothing(self, preview, world):
        response, batch = preview
        assert b"All rows are valid" in response.content
        assert confirm_url(batch).encode() in response.content
        assert not Person.objects.filter(name="赵六").exists()
        assert batch.status == ImportStatus.PENDING and batch.row_count == 2

    def test_it_stores_the_rows_encrypted(self, preview, world):
        _response, batch = preview
        with connection.cursor() as cursor:
            cursor.execute("SELECT content FROM people_importbatch WHERE id = %s", [batch.pk])
            stored = cursor.fetchone()[0]
        assert "赵六" in batch.content
        assert "赵六" not in stored and stored_id_number(batch, 0) not in stored

    def test_it_lists_the_bad_row_and_offers_no_confirmation(self, client, world):
        client.force_login(world.alice)
        bad = member_row(world.branch_b, id_number=id_number_for(dt.date(1982, 2, 1)))
        response = upload(client, workbook(*rows(world), bad))
        assert response.status_code == 400
        assert (
            b"<td>4</td><td>\xe6\x89\x80\xe5\x9c\xa8\xe7\xbb\x84\xe7\xbb\x87" in response.content
        )  # row 4, 所在组织
        assert b"outside the organizations you may import into" in response.content
        assert not ImportBatch.objects.exists()

    def test_it_explains_a_file_that_is_not_a_workbook(self, client, world):
        client.force_login(world.alice)
        response = upload(client, b"name,id\n")
        assert response.status_code == 400
        assert b"not an Excel workbook" in response.content


class TestConfirm:
    def test_it_imports_all_rows_with_audit_rows_and_wipes_the_stored_rows(self, client, preview, world):
        _response, batch = preview
        response = client.post(confirm_url(batch))
        assert response.status_code == 200
        assert Person.objects.filter(name="赵六").count() == 2
        assert AuditEvent.objects.filter(action="membership.create", actor=world.alice).count() == 2
        assert AuditEvent.objects.filter(action="members.import", target_id=str(batch.code)).exists()
        batch.refresh_from_db()
        assert (batch.status, batch.imported_count, batch.content) == (ImportStatus.IMPORTED, 2, "")

    def test_it_refuses_a_second_confirmation(self, client, preview, world):
        _response, batch = preview
        client.post(confirm_url(batch))
        response = client.post(confirm_url(batch), follow=True)
        assert b"already been used or has expired" in response.content
        assert Person.objects.filter(name="赵六").count() == 2

    @pytest.mark.parametrize("user", ["boss", "bob", "charlie"])
    def test_it_refuses_the_confirmation_by_anyone_but_the_uploader(self, client, preview, world, user):
        _response, batch = preview
        client.force_login(getattr(world, user))
        assert client.post(confirm_url(batch)).status_code == 404
        assert not Person.objects.filter(name="赵六").exists()
        assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.PENDING

    def test_it_refuses_an_expired_upload(self, client, preview, world):
        _response, batch = preview
        ImportBatch.objects.filter(pk=batch.pk).update(created=timezone.now() - imports.BATCH_TTL)
        client.post(confirm_url(batch))
        assert not Person.objects.filter(name="赵六").exists()
        assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.EXPIRED

    def test_it_checks_again_and_writes_nothing_if_the_data_changed(self, client, preview, world):
        _response, batch = preview
        taken = stored_id_number(batch, 1)
        make_member(world.branch_a, name="抢先", id_number=taken, birth_date=dt.date(1982, 1, 2))  # meanwhile
        response = client.post(confirm_url(batch))
        assert response.status_code == 400
        assert b"A person with this ID number is already recorded." in response.content
        assert not Person.objects.filter(name="赵六").exists()
        assert ImportBatch.objects.get(pk=batch.pk).status == ImportStatus.FAILED

    def test_it_expires_old_uploads_when_a_new_one_arrives(self, client, preview, world):
        _response, batch = preview
        ImportBatch.objects.filter(pk=batch.pk).update(created=timezone.now() - imports.BATCH_TTL * 2)
        upload(client, workbook(*rows(world)))
        old = ImportBatch.objects.get(pk=batch.pk)
        assert (old.status, old.content) == (ImportStatus.EXPIRED, "")
