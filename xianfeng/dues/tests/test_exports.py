"""The dues workbooks and the members' publication, read back: figures, totals, no ID numbers,
audited like every export, and a bounded number of queries."""

import datetime as dt
import io
import re
from decimal import Decimal as D

import pytest
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from xianfeng.core.audit_actions import ACTION_LABELS
from xianfeng.core.models import AuditEvent
from xianfeng.dues import exports, services
from xianfeng.dues.choices import PaymentKind, PaymentMethod
from xianfeng.dues.exports.sheets import COLLECTION_HEADERS
from xianfeng.dues.publication import Period, publication_export, publication_period
from xianfeng.dues.summaries import dues_totals
from xianfeng.dues.tests.helpers import m, pay, set_base
from xianfeng.people.models import Person
from xianfeng.testing import make_member

YEAR = 2025
ID_LIKE = re.compile(r"\d{6}[\d*]{8,}[\dX]{4}")


@pytest.fixture
def dues(world):
    """March 2025 in branch A: 张三 paid (by transfer, via his wife) plus 100 voluntary; 王党员 owes."""
    set_base(world.member_a, "4000")  # 40.00
    set_base(world.dang_membership, "8000")  # 120.00
    set_base(world.member_b, "3000")  # 15.00
    for month in (1, 2):
        pay(world.member_a, m(month))
    services.dues_payment_record(
        actor=world.alice,
        membership=world.member_a,
        month_owed=m(3),
        amount=D("40.00"),
        paid_on=dt.date(2025, 3, 12),
        method=PaymentMethod.TRANSFER,
        paid_by_proxy="张三的妻子",
    )
    pay(world.member_a, m(3), "100.00", kind=PaymentKind.VOLUNTARY_EXTRA)
    pay(world.dang_membership, m(1), "120.00")
    pay(world.member_b, m(1), "15.00")
    return world


def money(value):
    return D(str(value)).quantize(D("0.01"))


def cells(book):
    return [cell for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row]


def assert_no_id_numbers(values):
    texts = " ".join(str(v) for v in values if v is not None)
    for id_number in (p.id_number for p in Person.objects.all()):
        assert id_number not in texts and id_number[-4:] + " " not in texts
    assert not ID_LIKE.search(texts)


def table(sheet, first=4):
    """Data rows below the header row, keyed by column title."""
    headers = [c.value for c in sheet[3]]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=first)]
    return headers, rows


class TestCollectionSheet:
    def test_it_lists_each_member_with_the_month_and_the_totals(self, dues):
        export = exports.collection_export(actor=dues.alice, org=dues.branch_a, month=m(3))
        book = load_workbook(io.BytesIO(export.data))
        sheet = book.worksheets[0]
        assert sheet["A1"].value == "变电运维一班党支部2025年3月党费收缴表"
        headers, rows = table(sheet)
        assert tuple(headers) == COLLECTION_HEADERS
        by_name = {r[1]: dict(zip(headers, r, strict=True)) for r in rows if r[1] in ("张三", "王党员")}
        zhang, wang = by_name["张三"], by_name["王党员"]
        assert (zhang["组织"], zhang["类别"], money(zhang["月缴纳额"]), zhang["状态"]) == (
            "变电运维一班党支部",
            "在职",
            D("40.00"),
            "已缴",
        )
        assert zhang["缴纳日期"].date() == dt.date(2025, 3, 12)
        assert (zhang["方式"], zhang["收缴人"], zhang["代缴人"]) == ("银行转账", "alice", "张三的妻子")
        assert money(zhang["自愿多缴"]) == D("100.00")
        assert (money(wang["月缴纳额"]), wang["状态"], wang["缴纳日期"], wang["自愿多缴"]) == (
            D("120.00"),
            "未缴",
            None,
            None,
        )
        totals = {r[0]: r for r in rows if r[0] in ("应缴合计", "实缴合计")}
        assert money(totals["应缴合计"][3]) == D("160.00") and money(totals["应缴合计"][9]) == D("100.00")
        assert money(totals["实缴合计"][3]) == D("40.00")
        summary = next(r[0] for r in rows if r[0] and str(r[0]).startswith("应缴1"))
        assert summary.startswith("应缴160.00元，实缴40.00元，收缴率25.0%；已缴1人，未缴1人")
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.print_title_rows == "$1:$3"
        assert_no_id_numbers(cells(book))

    def test_it_is_audited_as_an_export(self, dues):
        exports.collection_export(actor=dues.alice, org=dues.branch_a, month=m(3))
        event = AuditEvent.objects.get(action=exports.A_COLLECTION)
        assert (event.actor, event.org, event.after) == (
            dues.alice,
            dues.branch_a,
            {"period": "2025-03", "rows": 2},
        )

    def test_it_reads_a_bounded_number_of_queries(self, dues, django_assert_max_num_queries):
        for n in range(12):
            set_base(make_member(dues.branch_a, name=f"党员{n:02d}"), "5000")
        with django_assert_max_num_queries(11):
            export = exports.collection_export(actor=dues.alice, org=dues.branch_a, month=m(3))
        assert len(table(load_workbook(io.BytesIO(export.data)).worksheets[0])[1]) == 14 + 4


class TestReconciliation:
    def test_it_compares_expected_and_collected_per_member_and_in_total(self, dues):
        export = exports.reconciliation_export(actor=dues.alice, org=dues.branch_a, start=m(1), end=m(3))
        book = load_workbook(io.BytesIO(export.data))
        sheet = book.worksheets[0]
        assert sheet["A1"].value == "变电运维一班党支部2025年1月至3月党费应缴与实缴对账表"
        headers, rows = table(sheet)
        assert headers[2:5] == ["2025年1月", "2025年2月", "2025年3月"]
        by_name = {r[1]: dict(zip(headers, r, strict=True)) for r in rows if r[1] in ("张三", "王党员")}
        wang = by_name["王党员"]
        assert (money(wang["2025年1月"]), wang["2025年2月"], wang["2025年3月"]) == (
            D("120.00"),
            "未缴",
            "未缴",
        )
        assert [money(wang[k]) for k in ("应缴合计", "实缴合计", "差额")] == [
            D("360.00"),
            D("120.00"),
            D("240.00"),
        ]
        assert (wang["未缴月数"], wang["未缴月份"]) == (2, "2025-02、2025-03")
        zhang = by_name["张三"]
        assert [money(zhang[k]) for k in ("应缴合计", "实缴合计", "差额", "自愿多缴")] == [
            D("120.00"),
            D("120.00"),
            D("0.00"),
            D("100.00"),
        ]
        total = next(r for r in rows if r[0] == "合计")
        totals = dues_totals(dues.branch_a, m(1), m(3), timezone.localdate()).total
        assert [money(v) for v in total[2:8]] == [
            D("160.00"),
            D("40.00"),
            D("40.00"),
            D("480.00"),
            D("240.00"),
            D("240.00"),
        ]
        assert (money(total[5]), money(total[6])) == (totals.expected, totals.collected)  # the same figures
        orgs = {r[0]: r for r in book["按组织汇总"].iter_rows(min_row=2, values_only=True)}
        assert money(orgs["合计"][2]) == D("480.00") and orgs["合计"][5] == "50.0%"
        assert_no_id_numbers(cells(book))
        assert AuditEvent.objects.get(action=exports.A_RECONCILIATION).after["period"] == "2025-01/2025-03"


class TestRemittance:
    def test_it_states_collected_due_and_remitted(self, dues):
        services.remittance_ratio_set(actor=None, org=dues.general_branch, valid_from=m(1), ratio="0.05")
        services.remittance_record(
            actor=None,
            org=dues.general_branch,
            period_start=m(1),
            period_end=m(3),
            amount="10.00",
            remitted_on=dt.date(2025, 4, 10),
            reference="转账0410",
        )
        export = exports.remittance_export(actor=dues.boss, org=dues.general_branch, start=m(1), end=m(3))
        book = load_workbook(io.BytesIO(export.data))
        sheet = book.worksheets[0]
        assert sheet["A1"].value == "运维检修党总支2025年1月至3月党费收缴及上缴情况表"
        _headers, rows = table(sheet)
        by_org = {r[0]: r for r in rows if r[0]}
        assert [money(v) for v in by_org["变电运维一班党支部"][2:4]] == [D("480.00"), D("240.00")]
        assert by_org["变电运维一班党支部"][5] == 100  # voluntary extra
        assert [money(v) for v in by_org["输电运检党支部"][2:4]] == [D("45.00"), D("15.00")]
        assert [money(v) for v in by_org["合计"][2:4]] == [D("525.00"), D("255.00")]
        assert by_org["上缴比例"][1] == "5%"
        assert money(by_org["应上缴金额"][1]) == D("17.75")  # (255 + 100) × 5 %
        assert money(by_org["已上缴金额"][1]) == D("10.00") and money(by_org["尚未上缴"][1]) == D("7.75")
        record = next(r for r in rows if r[4] == "转账0410")
        assert (record[1], record[2], money(record[3])) == ("2025年4月10日", "2025年1月至3月", D("10.00"))
        assert AuditEvent.objects.filter(action=exports.A_REMITTANCE, actor=dues.boss).count() == 1


class TestPublication:
    def test_the_quarter_sheet_lists_each_member_month_by_month(self, dues):
        export = publication_export(actor=dues.alice, org=dues.branch_a, period=Period(YEAR, 1), fmt="xlsx")
        assert export.filename == "变电运维一班党支部2025年第一季度党费收缴情况公示.xlsx"
        book = load_workbook(io.BytesIO(export.data))
        sheet = book.worksheets[0]
        assert sheet["A1"].value == "变电运维一班党支部2025年第一季度党费收缴情况公示"
        headers, rows = table(sheet)
        assert headers == ["序号", "姓名", "1月", "2月", "3月", "合计", "自愿多缴"]
        by_name = {r[1]: r for r in rows if r[1] in ("张三", "王党员")}
        assert [money(v) for v in by_name["张三"][2:7]] == [D("40.00")] * 3 + [D("120.00"), D("100.00")]
        assert by_name["王党员"][2:6] == [120, "未缴", "未缴", 120]
        total = next(r for r in rows if r[0] == "合计")
        assert [money(v) for v in total[2:7]] == [
            D("160.00"),
            D("40.00"),
            D("40.00"),
            D("240.00"),
            D("100.00"),
        ]
        lines = [r[0] for r in rows[len(by_name) + 1 :]]
        assert lines[0] == "本期应缴党费480.00元，实缴240.00元，收缴率50.0%；另有自愿多缴党费100.00元。"
        assert lines[1:] == ["变电运维一班党支部", _today_text()]
        assert_no_id_numbers(cells(book))
        event = AuditEvent.objects.get(action=exports.A_PUBLICATION)
        assert event.after == {"period": "2025年第一季度", "rows": 2, "format": "xlsx"}

    def test_the_word_notice_has_the_title_the_table_the_org_and_the_date(self, dues):
        export = publication_export(actor=dues.alice, org=dues.branch_a, period=Period(YEAR, 1), fmt="docx")
        document = Document(io.BytesIO(export.data))
        title = document.paragraphs[0]
        assert title.text == "变电运维一班党支部2025年第一季度党费收缴情况公示"
        assert title.runs[0]._element.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "方正小标宋简体"
        section = document.sections[0]
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # A4
        (grid,) = document.tables
        rows = [[c.text for c in row.cells] for row in grid.rows]
        assert rows[0] == ["序号", "姓名", "1月", "2月", "3月", "合计", "自愿多缴"]
        assert ["2", "王党员", "120.00", "未缴", "未缴", "120.00", ""] in rows or [
            "1",
            "王党员",
            "120.00",
            "未缴",
            "未缴",
            "120.00",
            "",
        ] in rows
        assert rows[-1] == ["合计", "2人", "160.00", "40.00", "40.00", "240.00", "100.00"]
        texts = [p.text for p in document.paragraphs if p.text]
        assert texts[-3:] == [
            "本期应缴党费480.00元，实缴240.00元，收缴率50.0%；另有自愿多缴党费100.00元。",
            "变电运维一班党支部",
            _today_text(),
        ]
        assert_no_id_numbers(texts + [c for r in rows for c in r])

    def test_a_yearly_publication_when_configured(self, dues, settings):
        settings.XIANFENG_DUES_PUBLICATION = "year"
        assert publication_period() == "year"
        export = publication_export(actor=dues.alice, org=dues.branch_a, period=Period(YEAR), fmt="docx")
        document = Document(io.BytesIO(export.data))
        assert document.paragraphs[0].text == "变电运维一班党支部2025年度党费收缴情况公示"
        assert len(document.tables[0].columns) == 2 + 12 + 2
        assert round(document.sections[0].page_width.mm) == 297  # landscape A4 for twelve months

    def test_a_committee_publication_names_each_members_org(self, dues):
        export = publication_export(
            actor=dues.boss, org=dues.general_branch, period=Period(YEAR, 1), fmt="xlsx"
        )
        headers, rows = table(load_workbook(io.BytesIO(export.data)).worksheets[0])
        assert headers[:3] == ["序号", "组织", "姓名"]
        assert {r[1] for r in rows if r[2] == "李四"} == {"输电运检党支部"}


def _today_text():
    today = timezone.localdate()
    return f"{today.year}年{today.month}月{today.day}日"


def test_every_dues_export_action_has_a_label():
    assert set(exports.EXPORT_ACTIONS) <= set(ACTION_LABELS)
