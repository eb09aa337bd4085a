"""The payroll import of dues bases: columns mapped once, every row checked and named when wrong,
then every base set with dues_base_set in one transaction, or none."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import Workbook

from xianfeng.core.models import AuditEvent
from xianfeng.dues import imports, services
from xianfeng.dues.choices import DuesCategory
from xianfeng.dues.models import DuesBase, PayrollColumnMap
from xianfeng.dues.tests.helpers import m, pay, set_base
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import id_number_for, make_member

YEAR = 2025
HEADERS = ["序号", "姓名", "部门", "公民身份号码", "应发工资", "税后工资", "人员类别"]
MAPPING = imports.ColumnMapping(
    header_row=1, id_number_column="D", base_column="F", name_column="B", category_column="G"
)


def payroll_row(membership, base="4000", category="", name=None, id_number=None):
    person = membership.person
    return [
        1,
        person.name if name is None else name,
        "运维",
        person.id_number if id_number is None else id_number,
        "9999",
        base,
        category,
    ]


def workbook(*rows, headers=HEADERS, title=None):
    book = Workbook()
    sheet = book.active
    if title:
        sheet.append([title])
    sheet.append(headers)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def run(actor, org, data, mapping=MAPPING, year=YEAR):
    return imports.payroll_import(
        actor=actor,
        org=org,
        year=year,
        rows=imports.read_rows(data),
        mapping=mapping,
        filename="工资表.xlsx",
        sha256="ab" * 32,
    )


def state():
    return (
        DuesBase.objects.count(),
        sorted(DuesBase.objects.values_list("membership_id", "monthly_amount")),
        AuditEvent.objects.filter(action__startswith="dues.").count(),
    )


def errors_of(exc_info):
    return [(e.row, e.field, e.message) for e in exc_info.value.check.errors]


class TestHappyPath:
    def test_it_sets_every_base_and_writes_one_summary_audit_row(self, world):
        data = workbook(payroll_row(world.member_a, "4000"), payroll_row(world.dang_membership, "8000.50"))
        check = run(world.alice, world.branch_a, data)
        assert [(r.number, r.amount) for r in check.rows] == [(2, D("40.00")), (3, D("120.01"))]
        bases = {b.membership: b for b in DuesBase.objects.filter(year=YEAR)}
        assert bases[world.member_a].monthly_amount == D("40.00")
        assert bases[world.dang_membership].base == D("8000.50")
        assert bases[world.dang_membership].category == DuesCategory.EMPLOYED
        summary = AuditEvent.objects.get(action="dues.payroll_import")
        assert summary.actor == world.alice and summary.org == world.branch_a
        assert (summary.after["rows"], summary.after["created"], summary.after["year"]) == (2, 2, YEAR)
        assert AuditEvent.objects.filter(action="dues.base_set").count() == 2
        assert world.member_a.person.id_number not in str(summary.after) + summary.message

    def test_categories_accept_chinese_names_and_default_to_employed(self, world):
        retired = make_member(world.branch_a, name="老王")
        student = make_member(world.branch_a, name="小李")
        data = workbook(
            payroll_row(world.member_a, "4000", category=""),
            payroll_row(retired, "6000", category="离退休"),
            payroll_row(student, "", category="学生"),
            payroll_row(world.dang_membership, "3000", category="employed"),
        )
        run(world.alice, world.branch_a, data)
        got = {b.membership_id: (b.category, b.monthly_amount) for b in DuesBase.objects.all()}
        assert got[world.member_a.pk] == (DuesCategory.EMPLOYED, D("40.00"))
        assert got[retired.pk] == (DuesCategory.RETIRED, D("60.00"))  # DUES-07: > 5000 → 1%
        assert got[student.pk] == (DuesCategory.STUDENT, D("0.20"))  # DUES-08, the base is ignored
        assert got[world.dang_membership.pk] == (DuesCategory.EMPLOYED, D("15.00"))

    def test_a_january_reimport_replaces_bases_without_payments(self, world):
        set_base(world.member_a, "3000", year=YEAR)
        check = run(world.alice, world.branch_a, workbook(payroll_row(world.member_a, "6000")))
        assert check.rows[0].previous == D("15.00")
        assert DuesBase.objects.get(membership=world.member_a, year=YEAR).monthly_amount == D("90.00")
        assert AuditEvent.objects.get(action="dues.payroll_import").after["replaced"] == 1

    def test_empty_rows_are_skipped_and_rows_keep_their_excel_numbers(self, world):
        data = workbook(
            payroll_row(world.member_a),
            [None] * 7,
            ["", "  ", None],
            payroll_row(world.dang_membership, "-1"),
        )
        with pytest.raises(imports.PayrollRejected) as exc:
            run(world.alice, world.branch_a, data)
        assert errors_of(exc) == [(5, "base", "The dues base cannot be negative.")]

    def test_text_amounts_and_formula_floats_are_read(self, world):
        data = workbook(
            payroll_row(world.member_a, "5,000.00元"), payroll_row(world.dang_membership, 4200.000000000001)
        )
        run(world.alice, world.branch_a, data)
        assert sorted(DuesBase.objects.values_list("base", flat=True)) == [D("4200.00"), D("5000.00")]

    def test_a_committee_imports_for_its_whole_subtree(self, world):
        run(world.boss, world.committee, workbook(payroll_row(world.member_a), payroll_row(world.member_b)))
        assert DuesBase.objects.count() == 2
        assert AuditEvent.objects.get(action="dues.payroll_import").org == world.committee


def _activist(world):
    return make_member(world.branch_a, name="积极分子", status=PoliticalStatus.ACTIVIST)


BAD_ROWS = {
    "unknown ID": (
        lambda w: {"id_number": id_number_for(dt.date(1970, 1, 1))},
        "id_number",
        "No current Party member",
    ),
    "member of a sibling branch": (
        lambda w: {"id_number": w.member_b.person.id_number},
        "id_number",
        "No current",
    ),
    "not yet a party member": (
        lambda w: {"id_number": _activist(w).person.id_number},
        "id_number",
        "No current",
    ),
    "name mismatch": (lambda w: {"name": "张叁"}, "name", "does not match the member recorded"),
    "negative base": (lambda w: {"base": "-5"}, "base", "cannot be negative"),
    "non-numeric base": (lambda w: {"base": "面议"}, "base", "Enter an amount in yuan"),
    "absurd base": (lambda w: {"base": "1000000.01"}, "base", "not plausible"),
    "three decimals": (lambda w: {"base": "4000.123"}, "base", "at most two decimals"),
    "missing base": (lambda w: {"base": ""}, "base", "Enter the member's monthly base"),
    "ID typed as a number": (lambda w: {"id_number": 110101199001011234}, "id_number", "as text"),
    "mistyped ID": (
        lambda w: {"id_number": mistyped(w.member_a.person.id_number)},
        "id_number",
        "check digit",
    ),
    "unknown category": (lambda w: {"category": "临时工"}, "category", "Unknown category “临时工”"),
    "rural needs a chosen amount": (lambda w: {"category": "农民"}, "category", "between 0.20 and 1.00"),
}


def mistyped(id_number: str) -> str:
    """The same number with a wrong check digit (never the right one by chance)."""
    return id_number[:-1] + ("1" if id_number[-1] == "0" else "0")


class TestBadInput:
    @pytest.mark.parametrize("case", BAD_ROWS)
    def test_each_bad_row_is_named_and_nothing_is_written(self, world, case):
        over, field, message = BAD_ROWS[case]
        values = over(world)
        bad = payroll_row(world.member_a, **values)
        before = state()
        data = workbook(payroll_row(world.dang_membership), bad)
        check = imports.check_payroll(
            actor=world.alice, org=world.branch_a, year=YEAR, rows=imports.read_rows(data), mapping=MAPPING
        )
        assert not check.ok
        assert [(e.row, e.field) for e in check.errors] == [(3, field)]
        assert message in check.errors[0].message
        assert check.errors[0].column.startswith(MAPPING.columns()[field])  # "D（公民身份号码）"
        with pytest.raises(imports.PayrollRejected):
            run(world.alice, world.branch_a, data)
        assert state() == before

    def test_a_duplicate_id_names_both_rows(self, world):
        data = workbook(
            payroll_row(world.member_a), payroll_row(world.dang_membership), payroll_row(world.member_a)
        )
        with pytest.raises(imports.PayrollRejected) as exc:
            run(world.alice, world.branch_a, data)
        assert errors_of(exc) == [(4, "id_number", "The same ID number is also on row 2.")]
        assert state() == (0, [], 0)

    @pytest.mark.parametrize("fixed_by", ["payment", "adjustment"])
    def test_a_year_already_fixed_by_payments_or_adjustments_is_refused(self, world, fixed_by):
        base = set_base(world.member_a, "4000", year=YEAR)
        if fixed_by == "payment":
            pay(world.member_a, m(2, YEAR))
        else:
            services.dues_base_adjust(
                actor=None, dues_base=base, effective_month=m(6, YEAR), base=D("6000"), reason="调岗"
            )
        before = state()
        with pytest.raises(imports.PayrollRejected) as exc:
            run(world.alice, world.branch_a, workbook(payroll_row(world.member_a, "5000")))
        ((row, field, message),) = errors_of(exc)
        assert (row, field) == (2, "base") and "mid-year adjustment" in message
        assert state() == before

    def test_every_error_of_a_file_is_listed_in_row_order(self, world):
        data = workbook(
            payroll_row(world.member_a, "abc", name="别人"),
            payroll_row(world.dang_membership, "-1", category="?"),
        )
        check = imports.check_payroll(
            actor=world.alice, org=world.branch_a, year=YEAR, rows=imports.read_rows(data), mapping=MAPPING
        )
        assert [(e.row, e.field) for e in check.errors] == [(2, "name"), (2, "base"), (3, "category")]

    def test_a_failure_while_writing_rolls_every_row_back_and_names_the_row(self, world, monkeypatch):
        real = services.dues_base_set

        def failing(**kwargs):
            if kwargs["membership"] == world.dang_membership:
                raise ValidationError({"year": "locked meanwhile"})
            return real(**kwargs)

        monkeypatch.setattr(services, "dues_base_set", failing)
        data = workbook(payroll_row(world.member_a), payroll_row(world.dang_membership))
        with pytest.raises(imports.PayrollRejected) as exc:
            run(world.alice, world.branch_a, data)
        assert errors_of(exc) == [(3, "base", "locked meanwhile")]
        assert state() == (0, [], 0)  # the first row was rolled back too

    def test_outsiders_may_not_import_into_a_branch_they_do_not_manage(self, world):
        data = workbook(payroll_row(world.member_a))
        for actor in (world.charlie, world.bob, world.dang):
            with pytest.raises(PermissionDenied):
                run(actor, world.branch_a, data)
        assert state() == (0, [], 0)


class TestFiles:
    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"name,id\n", "not an Excel workbook"),
            (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "old Excel"),
            (b"PK\x03\x04damaged", "may be damaged"),
        ],
    )
    def test_unreadable_files_are_explained(self, data, message):
        with pytest.raises(imports.ImportFileError, match=message):
            imports.read_rows(data)

    def test_an_empty_workbook_is_refused(self):
        with pytest.raises(imports.ImportFileError, match="empty"):
            imports.read_rows(workbook(headers=[]))

    def test_a_file_without_data_rows_is_refused(self, world):
        rows = imports.read_rows(workbook())
        with pytest.raises(imports.ImportFileError, match="no data rows below the header row"):
            imports.check_payroll(
                actor=world.alice, org=world.branch_a, year=YEAR, rows=rows, mapping=MAPPING
            )

    def test_a_file_over_the_size_limit_is_refused(self, settings):
        settings.XIANFENG_DUES_IMPORT_MAX_BYTES = 1024
        with pytest.raises(imports.ImportFileError, match="larger than"):
            imports.read_rows(workbook(*[[n] * 7 for n in range(200)]))


class TestMapping:
    def test_headers_are_guessed_below_a_title_row(self):
        rows = imports.read_rows(workbook(title="2025年1月工资表"))
        assert imports.guess_mapping(rows) == {
            "header_row": 2,
            "id_number_column": "D",
            "name_column": "B",
            "base_column": "F",  # 税后 before 应发 (DUES-01: after-tax pay)
            "category_column": "G",
        }

    def test_without_an_id_header_only_the_header_row_is_guessed(self):
        assert imports.guess_mapping(imports.read_rows(workbook(headers=["a", "b"]))) == {"header_row": 1}

    def test_the_mapping_is_saved_once_and_updated(self, world):
        imports.column_map_save(actor=world.alice, org=world.branch_a, mapping=MAPPING)
        changed = imports.ColumnMapping(header_row=2, id_number_column="A", base_column="C")
        imports.column_map_save(actor=world.alice, org=world.branch_a, mapping=changed)
        saved = PayrollColumnMap.objects.get(org=world.branch_a)
        assert imports.ColumnMapping.of(saved) == changed
        with pytest.raises(PermissionDenied):
            imports.column_map_save(actor=world.charlie, org=world.branch_a, mapping=MAPPING)

    def test_a_mapping_with_a_header_row_further_down_reads_the_rows_below_it(self, world):
        data = workbook(payroll_row(world.member_a), title="2025年1月工资表")
        run(world.alice, world.branch_a, data, mapping=imports.ColumnMapping(2, "D", "F", "B", "G"))
        assert DuesBase.objects.get().monthly_amount == D("40.00")
