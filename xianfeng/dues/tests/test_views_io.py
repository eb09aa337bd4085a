"""The payroll import pages (upload → columns → preview → confirmation) and the dues downloads:
the access matrix of every page, the stored file, and form errors instead of server errors."""

import datetime as dt
import io
import json
from decimal import Decimal as D

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from xianfeng.core.models import AuditEvent
from xianfeng.dues import exports
from xianfeng.dues.imports.pending import SESSION_KEY
from xianfeng.dues.models import DuesBase, PayrollColumnMap
from xianfeng.dues.tests.helpers import m, pay, set_base
from xianfeng.dues.tests.test_imports import YEAR, payroll_row, workbook

IMPORT = reverse("dues_io:import")
MAP = reverse("dues_io:import_map")
PREVIEW = reverse("dues_io:import_preview")
CONFIRM = reverse("dues_io:import_confirm")


def upload(client, org, data, year=YEAR, name="工资表.xlsx"):
    return client.post(IMPORT, {"org": org.pk, "year": year, "file": SimpleUploadedFile(name, data)})


def token(client):
    return client.session[SESSION_KEY]["token"]


@pytest.fixture
def alice(client, world):
    client.force_login(world.alice)
    return client


def written():
    return DuesBase.objects.count(), AuditEvent.objects.filter(action__startswith="dues.").count()


class TestImportAccess:
    @pytest.mark.parametrize("url", [IMPORT, MAP, PREVIEW])
    def test_anonymous_users_are_sent_to_log_in(self, client, world, url):
        assert client.get(url).url.startswith(reverse("login"))

    @pytest.mark.parametrize("who", ["bob", "dang"])
    @pytest.mark.parametrize("url", [IMPORT, MAP, PREVIEW])
    def test_read_only_users_and_members_are_refused(self, client, world, who, url):
        client.force_login(getattr(world, who))
        assert client.get(url).status_code == 403
        assert client.post(CONFIRM).status_code == 403

    def test_an_outsider_cannot_reach_or_choose_a_sibling_branch(self, client, world):
        client.force_login(world.charlie)
        assert client.get(IMPORT, {"org": world.branch_a.pk}).status_code == 404
        response = upload(client, world.branch_a, workbook(payroll_row(world.member_a)))
        assert response.status_code == 400 and b"Select a valid choice" in response.content
        assert SESSION_KEY not in client.session

    def test_a_branch_admin_sees_the_form_with_her_orgs(self, alice, world):
        response = alice.get(IMPORT, {"org": world.branch_a.pk})
        assert response.status_code == 200
        assert world.branch_a.name.encode() in response.content
        assert world.branch_b.name.encode() not in response.content


class TestImportFlow:
    def test_first_upload_maps_columns_then_previews_then_confirms(self, alice, world):
        data = workbook(payroll_row(world.member_a, "4000"), payroll_row(world.dang_membership, "8000"))
        response = upload(alice, world.branch_a, data)
        assert response.status_code == 302 and response.url == MAP
        page = alice.get(MAP)
        assert page.status_code == 200
        form = page.context["form"]
        assert (
            form["id_number_column"].value(),
            form["base_column"].value(),
            form["name_column"].value(),
        ) == (
            "D",
            "F",
            "B",
        )
        assert "公民身份号码" in page.content.decode()  # the titles of the header row, to choose from
        response = alice.post(
            MAP,
            {
                "header_row": 1,
                "id_number_column": "d",
                "base_column": "F",
                "name_column": "B",
                "category_column": "G",
            },
        )
        assert response.status_code == 302 and response.url == PREVIEW
        saved = PayrollColumnMap.objects.get(org=world.branch_a)
        assert (saved.id_number_column, saved.base_column, saved.category_column) == ("D", "F", "G")
        preview = alice.get(PREVIEW)
        assert preview.status_code == 200 and b"All 2 rows are valid" in preview.content
        assert written() == (0, 0)
        response = alice.post(CONFIRM, {"token": token(alice)})
        assert response.status_code == 200 and b"2 dues bases for 2025 were set" in response.content
        assert sorted(DuesBase.objects.values_list("monthly_amount", flat=True)) == [D("40.00"), D("120.00")]
        assert AuditEvent.objects.filter(action="dues.payroll_import", actor=world.alice).count() == 1
        assert SESSION_KEY not in alice.session

    def test_the_saved_mapping_is_reused_and_stays_editable(self, alice, world):
        PayrollColumnMap.objects.create(
            org=world.branch_a, header_row=1, id_number_column="D", base_column="E"
        )
        response = upload(alice, world.branch_a, workbook(payroll_row(world.member_a, "4000")))
        assert response.url == PREVIEW  # no mapping step
        preview = alice.get(PREVIEW)
        assert preview.context["check"].rows[0].base == D("9999")  # column E as saved (应发)
        assert alice.get(MAP).context["form"]["base_column"].value() == "E"
        alice.post(MAP, {"header_row": 1, "id_number_column": "D", "base_column": "F"})
        assert PayrollColumnMap.objects.get(org=world.branch_a).base_column == "F"
        assert alice.get(PREVIEW).context["check"].rows[0].base == D("4000")

    def test_an_ancestors_mapping_prefills_a_branchs_first_mapping(self, client, world):
        PayrollColumnMap.objects.create(
            org=world.committee, header_row=1, id_number_column="D", base_column="E"
        )
        client.force_login(world.alice)
        assert upload(client, world.branch_a, workbook(payroll_row(world.member_a))).url == MAP
        assert client.get(MAP).context["form"]["base_column"].value() == "E"

    def test_the_file_waits_encrypted_in_the_session(self, alice, world):
        upload(alice, world.branch_a, workbook(payroll_row(world.member_a)))
        stored = json.dumps(alice.session[SESSION_KEY], ensure_ascii=False)
        assert world.member_a.person.id_number not in stored and "张三" not in stored

    def test_the_confirmation_uses_the_checked_file_not_a_new_upload(self, alice, world):
        PayrollColumnMap.objects.create(
            org=world.branch_a, header_row=1, id_number_column="D", base_column="F"
        )
        upload(alice, world.branch_a, workbook(payroll_row(world.member_a, "4000")))
        other = SimpleUploadedFile("x.xlsx", workbook(payroll_row(world.member_a, "9000")))
        alice.post(CONFIRM, {"token": token(alice), "file": other})
        assert DuesBase.objects.get().base == D("4000.00")

    def test_a_stale_token_or_a_missing_upload_writes_nothing(self, alice, world):
        PayrollColumnMap.objects.create(
            org=world.branch_a, header_row=1, id_number_column="D", base_column="F"
        )
        upload(alice, world.branch_a, workbook(payroll_row(world.member_a)))
        response = alice.post(CONFIRM, {"token": "an-older-preview"})
        assert response.status_code == 302 and response.url == PREVIEW
        alice.post(reverse("dues_io:import_cancel"))
        response = alice.post(CONFIRM, {"token": "x"}, follow=True)
        assert b"no uploaded file waiting" in response.content
        assert written() == (0, 0)

    def test_errors_are_listed_by_row_and_column_and_nothing_can_be_confirmed(self, alice, world):
        PayrollColumnMap.objects.create(
            org=world.branch_a, header_row=1, id_number_column="D", base_column="F", name_column="B"
        )
        data = workbook(payroll_row(world.member_a), payroll_row(world.member_b))
        upload(alice, world.branch_a, data)
        response = alice.get(PREVIEW)
        assert response.status_code == 400
        content = response.content.decode()
        assert "<td>3</td><td>D（公民身份号码）</td>" in content and "No current Party member" in content
        assert CONFIRM not in content
        assert alice.post(CONFIRM, {"token": token(alice)}).status_code == 400
        assert written() == (0, 0)

    def test_a_change_between_preview_and_confirmation_is_caught(self, alice, world):
        PayrollColumnMap.objects.create(
            org=world.branch_a, header_row=1, id_number_column="D", base_column="F"
        )
        set_base(world.member_a, "3000", year=YEAR)
        upload(alice, world.branch_a, workbook(payroll_row(world.member_a, "4000")))
        assert alice.get(PREVIEW).status_code == 200
        pay(world.member_a, m(1, YEAR), "15.00")  # someone records January meanwhile
        before = written()
        response = alice.post(CONFIRM, {"token": token(alice)})
        assert response.status_code == 400 and b"mid-year adjustment" in response.content
        assert written() == before

    @pytest.mark.parametrize(
        ("data", "message"),
        [(b"id,name\n1,2\n", b"not an Excel workbook"), (b"PK\x03\x04broken", b"may be damaged")],
    )
    def test_a_wrong_or_damaged_file_is_explained(self, alice, world, data, message):
        response = upload(alice, world.branch_a, data, name="工资.csv")
        assert response.status_code == 400 and message in response.content
        assert SESSION_KEY not in alice.session

    def test_a_file_without_data_rows_is_explained(self, alice, world):
        PayrollColumnMap.objects.create(
            org=world.branch_a, header_row=1, id_number_column="D", base_column="F"
        )
        upload(alice, world.branch_a, workbook())
        response = alice.get(PREVIEW)
        assert response.status_code == 400 and b"no data rows below the header row" in response.content

    def test_bad_column_letters_are_form_errors(self, alice, world):
        upload(alice, world.branch_a, workbook(payroll_row(world.member_a)))
        response = alice.post(MAP, {"header_row": 0, "id_number_column": "D1", "base_column": "D"})
        assert response.status_code == 400
        errors = response.context["form"].errors
        assert set(errors) == {"header_row", "id_number_column"}
        assert not PayrollColumnMap.objects.exists()


EXPORTS = {
    "export_collection": {"month": "2025-03"},
    "export_reconciliation": {"start": "2025-01", "end": "2025-03"},
    "export_remittance": {"start": "2025-01", "end": "2025-03"},
    "export_publication": {"year": "2025", "quarter": "1", "format": "docx"},
}


def download(client, name, org, **over):
    return client.get(reverse(f"dues_io:{name}"), {"org": org.pk, **EXPORTS[name], **over})


class TestDownloads:
    @pytest.mark.parametrize("name", EXPORTS)
    def test_the_access_matrix(self, client, world, name):
        assert download(client, name, world.branch_a).url.startswith(reverse("login"))
        for who, status in (("bob", 403), ("dang", 403), ("charlie", 404), ("alice", 200), ("boss", 200)):
            client.force_login(getattr(world, who))
            assert download(client, name, world.branch_a).status_code == status, who
        assert AuditEvent.objects.filter(action__in=exports.EXPORT_ACTIONS).count() == 2

    def test_the_exports_page(self, client, world):
        assert client.get(reverse("dues_io:exports")).url.startswith(reverse("login"))
        client.force_login(world.bob)
        assert client.get(reverse("dues_io:exports")).status_code == 403
        client.force_login(world.alice)
        response = client.get(reverse("dues_io:exports"), {"org": world.branch_a.pk})
        assert response.status_code == 200 and b"Remittance statement" in response.content
        client.force_login(world.charlie)
        assert client.get(reverse("dues_io:exports"), {"org": world.branch_a.pk}).status_code == 404

    @pytest.mark.parametrize(
        ("name", "over", "field"),
        [
            ("export_collection", {"month": "2025-13"}, "month"),
            ("export_collection", {"month": ""}, "month"),
            ("export_reconciliation", {"start": "2025-04", "end": "2025-01"}, "end"),
            ("export_reconciliation", {"start": "2020-01", "end": "2025-01"}, "end"),
            ("export_remittance", {"start": "2999-01", "end": "2999-02"}, "end"),
            ("export_publication", {"quarter": "5"}, "quarter"),
            ("export_publication", {"year": "abc"}, "year"),
            ("export_publication", {"format": "pdf"}, "format"),
        ],
    )
    def test_bad_parameters_give_the_form_with_its_error(self, client, world, name, over, field):
        client.force_login(world.alice)
        response = download(client, name, world.branch_a, **over)
        assert response.status_code == 400
        key = name.removeprefix("export_")
        assert field in response.context["forms"][key].errors
        assert not AuditEvent.objects.filter(action__in=exports.EXPORT_ACTIONS).exists()

    def test_a_period_ending_after_the_current_month_is_refused(self, client, world):
        client.force_login(world.alice)
        this_month = timezone.localdate().replace(day=1)
        next_month = (this_month + dt.timedelta(days=31)).replace(day=1)
        for name in ("export_reconciliation", "export_remittance"):
            response = download(
                client, name, world.branch_a, start=f"{this_month:%Y-%m}", end=f"{next_month:%Y-%m}"
            )
            assert response.status_code == 400
            assert "up to the current one" in str(
                response.context["forms"][name.removeprefix("export_")].errors
            )

    def test_a_missing_or_malformed_org(self, client, world):
        client.force_login(world.alice)
        url = reverse("dues_io:export_collection")
        response = client.get(url, {"month": "2025-03"})
        assert response.status_code == 400 and "org" in response.context["forms"]["collection"].errors
        assert client.get(url, {"org": "abc", "month": "2025-03"}).status_code == 404

    def test_the_collection_sheet_download_has_its_figures(
        self, client, world, django_assert_max_num_queries
    ):
        set_base(world.member_a, "4000")
        pay(world.member_a, m(3))
        client.force_login(world.alice)
        with django_assert_max_num_queries(19):
            response = download(client, "export_collection", world.branch_a)
        assert response["Content-Type"] == exports.XLSX_CONTENT_TYPE
        assert response["Content-Disposition"].startswith("attachment")
        sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
        rows = {r[1]: r for r in sheet.iter_rows(min_row=4, values_only=True)}
        assert rows["张三"][3:5] == (40, "已缴") and rows["王党员"][4] == "未核定"

    def test_the_publication_follows_the_configured_period(self, client, world, settings):
        settings.XIANFENG_DUES_PUBLICATION = "year"
        client.force_login(world.alice)
        response = download(client, "export_publication", world.branch_a, quarter="")
        assert response.status_code == 200
        assert "2025%E5%B9%B4%E5%BA%A6" in response["Content-Disposition"]  # 2025年度, URL-encoded
