"""The import engine: every row validated, then all rows written in one transaction, or none."""

import datetime as dt

import pytest

from xianfeng.core.models import AuditEvent
from xianfeng.people import imports
from xianfeng.people.exports import template_workbook
from xianfeng.people.models import ImportBatch, Membership, MembershipEvent, Person
from xianfeng.testing import id_number_for, make_member


def member_row(place, **over):
    """One valid row (a full member) in the template's column order; `over` keyed by field."""
    values = {
        "name": "赵六",
        "id_number": id_number_for(dt.date(1990, 1, 1)),
        "phone": "13800138000",
        "education": "大学本科",
        "employee_no": "",
        "business_unit": "测试供电公司",
        "org": place.code,
        "status": "正式党员",
        "application_date": "2015-01-01",
        "activist_date": "2015/4/1",
        "candidate_date": "2016.05.01",
        "admission_date": dt.datetime(2017, 1, 1),  # noqa: DTZ001  (an Excel date cell has no time zone)
        "conversion_date": "2018-01-02",
        **over,
    }
    return [values.get(column.field) for column in imports.COLUMNS]


def workbook(*rows):
    return template_workbook(rows=rows)


def run_import(actor, data, filename="members.xlsx"):
    return imports.import_file(actor=actor, filename=filename, data=data)


def audit_rows(membership):
    """The audit rows of a member's creation, without what differs between two members."""
    codes = [str(membership.code), str(membership.person.code)]
    same = ("action", "actor_name", "source", "org", "target_type", "target_repr", "message", "before")
    return [
        ({name: getattr(event, name) for name in same}, sorted(event.after), event.after.get("id_number"))
        for event in AuditEvent.objects.filter(target_id__in=codes).order_by("action")
    ]


def errors_of(exc_info):
    return [(e.row, e.column, e.message) for e in exc_info.value.check.errors]


class TestImportCheck:
    def test_it_accepts_valid_rows_and_writes_nothing(self, world):
        people = Person.objects.count()
        check = imports.import_check(actor=world.alice, data=workbook(member_row(world.branch_a)))
        assert check.ok and check.row_count == 1
        assert Person.objects.count() == people

    def test_it_reads_chinese_labels_dates_and_org_names(self, world):
        row = member_row(
            world.branch_a, org=world.branch_a.name, party_group=world.group_a1.name, ethnicity="回族"
        )
        check = imports.import_check(actor=world.alice, data=workbook(row))
        membership = check.rows[0].membership
        assert check.ok
        assert (membership.org, membership.party_group, membership.status) == (
            world.branch_a,
            world.group_a1,
            "full",
        )
        assert membership.activist_date == dt.date(2015, 4, 1)
        assert membership.candidate_date == dt.date(2016, 5, 1)
        assert check.rows[0].person.ethnicity == "03"
        assert check.rows[0].person.education == "bachelor"

    def test_it_reports_each_bad_row_with_its_column_and_rule(self, world):
        data = workbook(
            member_row(world.branch_a),
            member_row(world.branch_a, id_number="110101199001011234", name="钱七"),
            member_row(world.branch_a, id_number=id_number_for(dt.date(1991, 1, 1)), status="党委书记"),
        )
        check = imports.import_check(actor=world.alice, data=data)
        assert not check.ok
        assert [(e.row, e.column) for e in check.errors] == [(3, "身份证号码"), (4, "政治面貌")]
        assert "GB 11643" in check.errors[0].message
        assert "正式党员" in check.errors[1].message

    def test_it_reports_an_org_outside_the_importers_scope(self, world):
        check = imports.import_check(actor=world.alice, data=workbook(member_row(world.branch_b)))
        assert [(e.row, e.field) for e in check.errors] == [(2, "org")]
        assert "outside" in check.errors[0].message

    def test_it_reports_unknown_orgs_and_foreign_party_groups(self, world):
        data = workbook(
            member_row(world.branch_a, org="不存在的支部"),
            member_row(
                world.branch_a, id_number=id_number_for(dt.date(1991, 1, 1)), party_group="第九党小组"
            ),
        )
        check = imports.import_check(actor=world.alice, data=data)
        assert [(e.row, e.field) for e in check.errors] == [(2, "org"), (3, "party_group")]

    def test_it_reports_duplicates_inside_the_file(self, world):
        same_id = member_row(world.branch_a)
        same_staff = member_row(
            world.branch_a, id_number=id_number_for(dt.date(1992, 1, 1)), employee_no="E1"
        )
        data = workbook(
            same_id,
            same_id,
            same_staff,
            [*same_staff[:1], id_number_for(dt.date(1993, 1, 1)), *same_staff[2:]],
        )
        check = imports.import_check(actor=world.alice, data=data)
        assert [(e.row, e.field, e.message) for e in check.errors] == [
            (3, "id_number", "The same ID number is also on row 2."),
            (5, "employee_no", "The same employee number and unit are also on row 4."),
        ]

    def test_it_reports_duplicates_against_the_database_in_one_query(
        self, world, django_assert_max_num_queries
    ):
        existing = world.member_a.person
        rows = [member_row(world.branch_a, id_number=existing.id_number)]
        rows += [
            member_row(world.branch_a, id_number=id_number_for(dt.date(1980, 1, n))) for n in range(1, 20)
        ]
        data = workbook(*rows)
        with django_assert_max_num_queries(5):  # grants, orgs, (no groups), ID hashes, employee numbers
            check = imports.import_check(actor=world.alice, data=data)
        assert [(e.row, e.message) for e in check.errors] == [
            (2, "A person with this ID number is already recorded.")
        ]

    def test_it_reports_bad_dates_and_numeric_id_numbers(self, world):
        data = workbook(
            member_row(world.branch_a, hire_date="2020-13-40"),
            member_row(world.branch_a, id_number=110101199001011237),
        )
        check = imports.import_check(actor=world.alice, data=data)
        assert [(e.row, e.column) for e in check.errors] == [(2, "入职日期"), (3, "身份证号码")]
        assert "2020/1/2" in check.errors[0].message

    @pytest.mark.parametrize(
        ("data", "message"),
        [
            (b"not a spreadsheet", "not an Excel workbook"),
            (b"PK\x03\x04broken zip", "damaged"),
            (b"\xd0\xcf\x11\xe0old", ".xls"),
        ],
    )
    def test_it_rejects_files_that_are_not_xlsx(self, world, data, message):
        with pytest.raises(imports.ImportFileError, match=message):
            imports.import_check(actor=world.alice, data=data)

    def test_it_rejects_files_over_the_size_and_row_limits(self, world, settings, monkeypatch):
        data = workbook(member_row(world.branch_a), member_row(world.branch_a))
        monkeypatch.setattr(imports, "MAX_ROWS", 1)
        with pytest.raises(imports.ImportFileError, match="more than"):
            imports.read_workbook(data, max_rows=1)
        settings.XIANFENG_IMPORT_MAX_BYTES = 100
        with pytest.raises(imports.ImportFileError, match="larger than"):
            imports.import_check(actor=world.alice, data=data)

    def test_it_requires_the_template_headers(self, world):
        from openpyxl import Workbook

        book = Workbook()
        book.active.append(["姓名", "身份证"])
        import io

        buffer = io.BytesIO()
        book.save(buffer)
        with pytest.raises(imports.ImportFileError, match="所在组织"):
            imports.import_check(actor=world.alice, data=buffer.getvalue())


class TestImportWrite:
    def test_it_imports_all_rows_with_history_and_audit_rows(self, world):
        rows = [member_row(world.branch_a, id_number=id_number_for(dt.date(1980, 2, n))) for n in range(1, 4)]
        batch, _check = run_import(world.alice, workbook(*rows))
        created = Membership.objects.filter(person__name="赵六")
        assert created.count() == 3
        assert MembershipEvent.objects.filter(membership__in=created, kind="joined").count() == 3
        codes = {str(m.code) for m in created} | {str(m.person.code) for m in created}
        audited = AuditEvent.objects.filter(target_id__in=codes, actor=world.alice)
        assert (
            sorted(audited.values_list("action", flat=True))
            == ["membership.create"] * 3 + ["person.create"] * 3
        )
        assert all(e.after["id_number"] == "********" for e in audited.filter(action="person.create"))
        assert AuditEvent.objects.get(action="members.import").target_id == str(batch.code)
        person = created.first().person
        assert person.id_number == rows[0][1] or person.id_number in {r[1] for r in rows}
        assert ImportBatch.objects.get(pk=batch.pk).imported_count == 3

    def test_it_writes_the_same_audit_rows_as_member_create(self, world):
        made = make_member(world.branch_a, name="赵六", actor=world.alice, employee_no="E9")
        _batch, check = run_import(world.alice, workbook(member_row(world.branch_a, employee_no="E8")))
        assert audit_rows(check.rows[0].membership) == audit_rows(made)

    def test_it_writes_nothing_when_one_row_is_bad(self, world):
        people, audits = Person.objects.count(), AuditEvent.objects.count()
        rows = [member_row(world.branch_a, id_number=id_number_for(dt.date(1980, 3, n))) for n in range(1, 4)]
        rows.append(
            member_row(
                world.branch_a, id_number=id_number_for(dt.date(1980, 4, 1)), conversion_date="2017-02-01"
            )
        )
        with pytest.raises(imports.ImportRejected) as exc_info:
            run_import(world.alice, workbook(*rows))
        assert [(row, column) for row, column, _m in errors_of(exc_info)] == [(5, "转正日期")]
        assert (Person.objects.count(), AuditEvent.objects.count()) == (people, audits)
        assert not ImportBatch.objects.exists()

    def test_it_refuses_a_read_only_user(self, world):
        from django.core.exceptions import PermissionDenied

        with pytest.raises(PermissionDenied):
            run_import(world.bob, workbook(member_row(world.branch_a)))
