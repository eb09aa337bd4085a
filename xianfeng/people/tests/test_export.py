"""The member export: the list's filters and the user's scope; masked unless unmasking is allowed; audited."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from xianfeng.core.models import AuditEvent
from xianfeng.people.exports import EXPORT_HEADERS
from xianfeng.testing import make_member

URL = reverse("people_io:export")


def export(client, user, **params):
    client.force_login(user)
    response = client.get(URL, params)
    assert response.status_code == 200, response.content[:200]
    assert response["Content-Disposition"].startswith("attachment")
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header, *rows = ([cell.value for cell in row] for row in sheet.iter_rows())
    assert header == list(EXPORT_HEADERS)
    return {row[0]: dict(zip(header, row, strict=True)) for row in rows}


class TestExport:
    def test_it_exports_the_scope_masked_for_a_branch_admin(self, client, world):
        rows = export(client, world.alice)
        assert set(rows) == {"张三", "王党员"}
        person = world.member_a.person
        assert rows["张三"]["身份证号码"] == person.id_number_masked != person.id_number
        assert rows["张三"]["政治面貌"] == "正式党员"
        assert rows["张三"]["所在组织(名称或编码)"] == world.branch_a.name
        assert rows["张三"]["出生日期"].date() == person.birth_date  # a real Excel date
        event = AuditEvent.objects.get(action="export.members", actor=world.alice)
        assert (event.after["rows"], event.after["unmasked_rows"]) == (2, 0)
        assert not AuditEvent.objects.filter(action="export.unmask").exists()

    def test_it_exports_unmasked_for_a_user_who_may_unmask_and_logs_it(self, client, world):
        rows = export(client, world.boss)
        assert rows["李四"]["身份证号码"] == world.member_b.person.id_number
        assert AuditEvent.objects.get(action="export.unmask", actor=world.boss).after["unmasked_rows"] == 3
        assert AuditEvent.objects.filter(action="export.members", actor=world.boss).exists()

    def test_it_follows_the_member_list_filters(self, client, world):
        make_member(world.branch_b, name="预备乙", status="probationary")
        assert set(export(client, world.boss, status="probationary")) == {"预备乙"}
        assert set(export(client, world.boss, org=world.branch_b.pk)) == {"李四", "预备乙"}
        assert set(export(client, world.boss, q="张")) == {"张三"}
        event = AuditEvent.objects.filter(action="export.members").first()
        assert event.after["filters"] == {"q": ["张"]}

    def test_it_never_exports_outside_the_scope(self, client, world):
        assert set(export(client, world.charlie, org=world.branch_a.pk)) == set()
        assert set(export(client, world.charlie)) == {"李四"}

    def test_it_runs_a_constant_number_of_queries(self, client, world):
        def queries():
            with CaptureQueriesContext(connection) as context:
                b"".join(client.get(URL).streaming_content)
            return len(context.captured_queries)

        client.force_login(world.alice)
        before = queries()
        for _n in range(10):
            make_member(world.branch_a)
        assert queries() == before <= 12  # session, user, grants, one query for the rows, audit

    @pytest.mark.parametrize("user", ["bob", "dang"])
    def test_it_refuses_users_without_the_export_right(self, client, world, user):
        client.force_login(getattr(world, user))
        assert client.get(URL).status_code == 403
        assert not AuditEvent.objects.filter(action="export.members").exists()

    def test_it_sends_anonymous_users_to_log_in(self, client, world):
        assert client.get(URL).status_code == 302

    def test_it_refuses_a_bad_filter(self, client, world):
        client.force_login(world.alice)
        assert client.get(URL, {"status": "emperor"}).status_code == 400
