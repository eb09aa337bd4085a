from __future__ import annotations

import io

from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xianfeng.core.models import AuditEvent
from xianfeng.supervision import workbooks
from xianfeng.supervision.models import TaskItem
from xianfeng.supervision.tests.helpers import D, item, task_list

HEADER = ["序号", "类别", "重点任务", "牵头单位", "责任人", "配合单位", "完成时限", "验收标准", "节点"]


def xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["2026年重点任务清单"])  # a title row above the header is skipped
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def good_rows(world):
    return [
        [
            1,
            "党风廉政建设",
            "支委会专题研究党风廉政建设2次",
            world.branch_a.name,
            "王党员",
            world.branch_b.name,
            "2026-06-30",
            "会议记录",
            "2026-03-31 完成第1次",
        ],
        ["", "组织建设", "规范三会一课记录", world.branch_b.code, "", "", D(2026, 9, 30), "", ""],
    ]


class TestImport:
    def test_a_good_file_imports_every_row(self, world):
        tl = task_list(world)
        result, created = workbooks.import_items(actor=world.boss, task_list=tl, data=xlsx(good_rows(world)))
        assert result.ok and len(created) == 2
        first, second = TaskItem.objects.order_by("number")
        assert first.lead_person == world.dang_membership.person and first.milestones.count() == 1
        assert list(first.collaborators.all()) == [world.branch_b]
        assert (second.number, second.lead_org, second.deadline) == (2, world.branch_b, D(2026, 9, 30))
        assert AuditEvent.objects.filter(action="supervision.items_import").count() == 1

    def test_bad_rows_are_all_reported_and_nothing_is_written(self, world):
        tl = task_list(world)
        rows = [
            *good_rows(world),
            ["", "", "任务甲", "不存在的支部", "", "", "2026-06-30", "", ""],
            ["", "", "任务乙", world.branch_a.name, "查无此人", "", "2026-06-30", "", ""],
            ["", "", "任务丙", world.branch_a.name, "", "", "2026-01-01", "", ""],
            ["", "", "任务丁", world.branch_a.name, "", "", "不是日期", "", ""],
        ]
        result, created = workbooks.import_items(actor=world.boss, task_list=tl, data=xlsx(rows))
        assert not result.ok and created == []
        errors = {r.row: " ".join(r.errors) for r in result.bad_rows}
        assert "unknown organization “不存在的支部”" in errors[5]
        assert "unknown person “查无此人”" in errors[6]
        assert "before the list's issue date" in errors[7]
        assert "is not a date" in errors[8]
        assert not TaskItem.objects.exists()

    def test_a_missing_column_or_a_non_workbook_is_a_clear_message(self, world):
        tl = task_list(world)
        result, _ = workbooks.import_items(
            actor=world.boss, task_list=tl, data=xlsx([], header=["重点任务", "牵头单位"])
        )
        assert "完成时限" in result.error
        result, _ = workbooks.import_items(actor=world.boss, task_list=tl, data=b"not a workbook")
        assert result.error and not TaskItem.objects.exists()

    def test_the_import_page(self, client, world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        tl = task_list(world)
        client.force_login(world.boss)
        url = reverse("supervision:list_import", args=[tl.code])
        bad = xlsx([["", "", "任务", "不存在的支部", "", "", "2026-06-30", "", ""]])
        response = client.post(url, {"file": SimpleUploadedFile("t.xlsx", bad)})
        assert response.status_code == 400 and "不存在的支部" in response.content.decode()
        response = client.post(url, {"file": SimpleUploadedFile("t.xlsx", xlsx(good_rows(world)))})
        assert response.status_code == 302 and TaskItem.objects.count() == 2


class TestExport:
    def test_the_export_can_be_imported_again(self, client, world):
        tl = task_list(world)
        item(world, tl)
        client.force_login(world.boss)
        response = client.get(reverse("supervision:list_export", args=[tl.code]))
        assert response["Content-Type"] == workbooks.XLSX_CONTENT_TYPE
        sheet = load_workbook(io.BytesIO(response.content)).active
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0][: len(HEADER)]) == HEADER and rows[1][2] == "支委会专题研究党风廉政建设2次"
        assert AuditEvent.objects.filter(action="export.supervision_items").exists()
        other = task_list(world, title="另一份清单")
        again, created = workbooks.import_items(actor=world.boss, task_list=other, data=response.content)
        assert again.ok and len(created) == 1

    def test_the_template_downloads(self, client, world):
        client.force_login(world.boss)
        response = client.get(reverse("supervision:import_template"))
        assert load_workbook(io.BytesIO(response.content)).active.cell(1, 3).value == "重点任务"
