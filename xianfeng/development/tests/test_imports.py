"""Importing historical development dates from Excel: every row replayed through the step services
with its own dates, all rows or none, each row's problem named with its column, rule and article;
and the pages (template, upload → preview → confirmation) with their access matrix."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from xianfeng.core.audit_actions import ACTION_LABELS
from xianfeng.core.models import AuditEvent
from xianfeng.core.roles import Role
from xianfeng.development import imports, services
from xianfeng.development.checks import Proposed
from xianfeng.development.imports.pending import SESSION_KEY
from xianfeng.development.models import DevelopmentStep
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership, MembershipEvent
from xianfeng.testing import id_number_for, make_member, make_user

pytestmark = pytest.mark.django_db

D = dt.date
TEMPLATE = reverse("development_io:template")
IMPORT = reverse("development_io:import")
CONFIRM = reverse("development_io:import_confirm")
CANCEL = reverse("development_io:import_cancel")


def workbook(rows: list[dict], headers: tuple[str, ...] = imports.HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def full(world):
    """Three full members of branch A who talk, cultivate and sponsor."""
    return [make_member(world.branch_a, name=f"老党员{i}", admission_date=D(2015, 1, 1)) for i in range(3)]


def applicant(world, name="新同志", **kw):
    kw.setdefault("birth_date", D(2000, 1, 1))
    kw.setdefault("admission_date", D(2022, 3, 1))  # the record's application date: 2020-03-01
    return make_member(world.branch_a, name=name, status=PoliticalStatus.APPLICANT, **kw)


def history(m: Membership, full, **changes) -> dict:
    """The whole road of the journey test, application (2020-03-01) to approval (2022-03-20)."""
    row = {
        "姓名": m.person.name,
        "身份证号码": m.person.id_number,
        "递交申请日期": D(2020, 3, 1),
        "谈话日期": D(2020, 3, 21),
        "谈话人": full[0].person.name,
        "确定积极分子日期": D(2021, 1, 10),
        "积极分子备案日期": D(2021, 1, 20),
        "指定培养联系人日期": D(2021, 1, 20),
        "培养联系人": f"{full[0].person.name}、{full[1].person.name}",
        "培养考察日期": "2021-07-10；2021-12-30",
        "确定发展对象日期": D(2022, 1, 10),
        "发展对象备案日期": D(2022, 1, 15),
        "确定入党介绍人日期": D(2022, 1, 15),
        "入党介绍人": f"{full[0].person.name}、{full[2].person.id_number}",
        "政治审查日期": D(2022, 2, 1),
        "政治审查结论": "政治审查合格",
        "集中培训日期": D(2022, 2, 10),
        "培训天数": 3,
        "支部委员会审查日期": D(2022, 2, 15),
        "上级党委预审日期": D(2022, 2, 20),
        "填写入党志愿书日期": D(2022, 2, 25),
        "接收预备党员日期(支部大会)": D(2022, 3, 1),
        "接收大会应到人数": 10,
        "接收大会实到人数": 8,
        "接收大会赞成票数": 7,
        "接收大会反对票数": 1,
        "接收大会弃权票数": 0,
        "上级党委谈话日期": D(2022, 3, 10),
        "上级党委谈话人": full[1].person.name,
        "审批日期": D(2022, 3, 20),
    }
    row.update(changes)
    return row


def problems_of(result):
    return [(p.row, p.column, p.rule) for p in result.problems]


def written():
    return (
        DevelopmentStep.objects.count(),
        MembershipEvent.objects.count(),
        AuditEvent.objects.filter(action__startswith="development.").count(),
        AuditEvent.objects.filter(action="membership.update").count(),
    )


# --- A good file ----------------------------------------------------------------------------------


class TestGoodFile:
    def test_the_check_replays_every_step_and_keeps_nothing(self, world, full):
        person = applicant(world)
        row = history(person, full, **{"审批党委(名称或编码)": world.committee.code})
        before = written()
        result = imports.import_check(actor=world.alice, data=workbook([row]))
        assert result.ok, result.problems
        assert result.steps_recorded == 18  # the review column holds two dates
        assert [(r.status_before, r.status_after) for r in result.rows] == [
            ("Applicant", "Probationary member")
        ]
        assert written() == before
        person.refresh_from_db()
        assert person.status == PoliticalStatus.APPLICANT

    def test_the_import_records_every_step_and_one_summary_audit_row(self, world, full):
        person = applicant(world)
        row = history(person, full, **{"审批党委(名称或编码)": world.committee.name})
        data = workbook([row])
        result = imports.import_apply(actor=world.alice, data=data, filename="历史.xlsx")
        assert result.ok and result.steps_recorded == 18
        person.refresh_from_db()
        assert person.status == PoliticalStatus.PROBATIONARY
        assert (person.activist_date, person.candidate_date, person.admission_date) == (
            D(2021, 1, 10),
            D(2022, 1, 10),
            D(2022, 3, 1),
        )
        steps = DevelopmentStep.objects.filter(membership=person)
        assert steps.count() == 18
        sponsors = steps.get(step="sponsors").people.values_list("person__name", flat=True)
        assert sorted(sponsors) == sorted([full[0].person.name, full[2].person.name])
        assert steps.get(step="approval").approving_org == world.committee
        summary = AuditEvent.objects.get(action=imports.ACTION)
        assert summary.after["rows"] == 1 and summary.after["steps"] == 18
        assert summary.after["file"] == "历史.xlsx" and len(summary.after["sha256"]) == 64
        assert summary.org == world.branch_a

    def test_a_second_import_of_the_same_file_skips_what_is_recorded(self, world, full):
        person = applicant(world)
        data = workbook([history(person, full, **{"审批党委(名称或编码)": world.committee.code})])
        imports.import_apply(actor=world.alice, data=data, filename="a.xlsx")
        again = imports.import_apply(actor=world.alice, data=data, filename="a.xlsx")
        assert again.ok and again.steps_recorded == 0 and again.rows[0].skipped == 18
        assert DevelopmentStep.objects.filter(membership=person).count() == 18

    def test_a_person_recorded_as_activist_is_replayed_from_the_application(self, world, full):
        person = make_member(
            world.branch_a, name="积极分子", status=PoliticalStatus.ACTIVIST, admission_date=D(2022, 3, 1)
        )
        person.refresh_from_db()
        assert person.activist_date == D(2020, 6, 1)
        row = {
            "人员编码": str(person.code),
            "递交申请日期": D(2020, 3, 1),
            "谈话日期": D(2020, 3, 20),
            "谈话人": full[0].person.name,
            "确定积极分子日期": D(2020, 6, 1),
        }
        result = imports.import_apply(actor=world.alice, data=workbook([row]), filename="a.xlsx")
        assert result.ok, result.problems
        person.refresh_from_db()
        assert person.status == PoliticalStatus.ACTIVIST and person.activist_date == D(2020, 6, 1)
        assert list(DevelopmentStep.objects.filter(membership=person).values_list("step", flat=True)) == [
            "application",
            "talk",
            "activist",
        ]
        assert person.events.filter(kind="correction", to_status=PoliticalStatus.APPLICANT).count() == 1

    def test_rows_without_dates_are_left_out(self, world, full):
        person = applicant(world)
        other = applicant(world, name="还没填")
        rows = [
            {"姓名": person.person.name, "人员编码": str(person.code), "递交申请日期": D(2020, 3, 1)},
            {"姓名": other.person.name, "人员编码": str(other.code)},
        ]
        result = imports.import_check(actor=world.alice, data=workbook(rows))
        assert result.ok and result.row_count == 1 and result.empty_rows == 1


# --- Violations, each named on its row, nothing written ------------------------------------------


class TestViolations:
    def test_each_kind_of_violation_is_named_on_its_row_and_nothing_is_written(self, world, full):
        probationary = make_member(
            world.branch_a, name="预备党员", status=PoliticalStatus.PROBATIONARY, admission_date=D(2021, 6, 1)
        )
        young = applicant(world, name="太年轻", birth_date=D(2003, 6, 1), admission_date=D(2024, 1, 1))
        hasty = applicant(world, name="太快")
        sponsor = applicant(world, name="介绍人不对")
        votes = applicant(world, name="票数不对")
        approval = applicant(world, name="总支审批")
        order = applicant(world, name="日期倒序")
        training = applicant(world, name="培训不足")
        missing = applicant(world, name="缺少考察")
        committee = {"审批党委(名称或编码)": world.committee.code}
        rows = [
            history(young, full, **committee),  # 2: applied at 16
            history(hasty, full, **{**committee, "确定发展对象日期": D(2021, 12, 31)}),  # 3: < 1 year
            history(
                sponsor,
                full,
                **{**committee, "入党介绍人": f"{full[0].person.name}、{probationary.person.name}"},
            ),
            history(votes, full, **{**committee, "接收大会赞成票数": 9}),  # 5: 9 + 1 votes, 8 present
            history(approval, full, **{"审批党委(名称或编码)": world.general_branch.code}),  # 6
            history(
                order, full, **{**committee, "积极分子备案日期": D(2021, 1, 5)}
            ),  # 7: before the decision
            history(training, full, **{**committee, "培训天数": 2}),  # 8
            history(missing, full, **{**committee, "培养考察日期": None}),  # 9
        ]
        before = written()
        result = imports.import_check(actor=world.alice, data=workbook(rows))
        assert not result.ok
        assert problems_of(result) == [
            (2, "递交申请日期", "DEV-01"),
            (3, "确定发展对象日期", "DEV-08"),
            (4, "入党介绍人", "DEV-09"),
            (5, "接收大会赞成票数", "DEV-13"),
            (6, "审批党委(名称或编码)", "DEV-15"),
            (7, "积极分子备案日期", "DEV-04"),
            (8, "培训天数", "DEV-11"),
            (9, "确定发展对象日期", "DEV-08"),
        ]
        by_row = {p.row: p for p in result.problems}
        assert "预备党员 is not a full member" in by_row[4].message
        assert "第十四条" in by_row[4].article
        assert "before the previous step" in by_row[7].message and "第八条" in by_row[7].article
        assert "More votes than" in by_row[5].message and "第二十条" in by_row[5].article
        assert by_row[2].person == "太年轻"
        with pytest.raises(imports.ImportRejected) as rejected:
            imports.import_apply(actor=world.alice, data=workbook(rows), filename="a.xlsx")
        assert problems_of(rejected.value.result) == problems_of(result)
        assert written() == before
        assert not AuditEvent.objects.filter(action=imports.ACTION).exists()

    def test_one_bad_row_keeps_the_good_rows_out_too(self, world, full):
        good, bad = applicant(world, name="好的"), applicant(world, name="坏的")
        committee = {"审批党委(名称或编码)": world.committee.code}
        rows = [history(good, full, **committee), history(bad, full, **{**committee, "培训天数": 1})]
        with pytest.raises(imports.ImportRejected) as rejected:
            imports.import_apply(actor=world.alice, data=workbook(rows), filename="a.xlsx")
        assert [p.row for p in rejected.value.result.problems] == [3]
        assert not DevelopmentStep.objects.exists()
        good.refresh_from_db()
        assert good.status == PoliticalStatus.APPLICANT

    def test_a_failed_vote_is_refused(self, world, full):
        person = applicant(world)
        row = history(person, full, **{"接收大会赞成票数": 5, "接收大会反对票数": 3})
        result = imports.import_check(actor=world.alice, data=workbook([row]))
        assert problems_of(result) == [(2, "接收大会赞成票数", "DEV-13")]
        assert "did not pass" in result.problems[0].message

    def test_a_recorded_person_must_end_where_the_member_record_says(self, world, full):
        person = make_member(
            world.branch_a, name="候选人", status=PoliticalStatus.CANDIDATE, admission_date=D(2022, 3, 1)
        )
        row = {
            "人员编码": str(person.code),
            "递交申请日期": D(2020, 3, 1),
            "谈话日期": D(2020, 3, 20),
            "谈话人": full[0].person.name,
            "确定积极分子日期": D(2020, 6, 2),  # the member record says 2020-06-01
        }
        result = imports.import_check(actor=world.alice, data=workbook([row]))
        assert [
            (p.column, "later steps" in p.message or "member record has" in p.message)
            for p in result.problems
        ] == [
            ("确定积极分子日期", True),
            ("确定发展对象日期", True),
        ]

    def test_a_person_beyond_applicant_without_an_application_date_is_refused(self, world, full):
        person = make_member(world.branch_a, status=PoliticalStatus.ACTIVIST, admission_date=D(2022, 3, 1))
        row = {"人员编码": str(person.code), "积极分子备案日期": D(2021, 1, 20)}
        result = imports.import_check(actor=world.alice, data=workbook([row]))
        assert [p.column for p in result.problems] == ["递交申请日期"]

    def test_cells_that_cannot_be_read_are_named(self, world, full):
        person = applicant(world)
        row = history(person, full, **{"谈话日期": "去年", "培训天数": "三天", "接收大会应到人数": -1})
        row["入党介绍人"] = None  # a sponsors date without sponsors is the rule's business, not the cell's
        result = imports.import_check(actor=world.alice, data=workbook([row]))
        assert [p.column for p in result.problems] == ["谈话日期", "培训天数", "接收大会应到人数"]

    def test_columns_of_a_step_without_its_date_are_pointed_out(self, world, full):
        person = applicant(world)
        row = {"人员编码": str(person.code), "递交申请日期": D(2020, 3, 1), "入党介绍人": full[0].person.name}
        result = imports.import_check(actor=world.alice, data=workbook([row]))
        assert [p.column for p in result.problems] == ["入党介绍人"]
        assert "确定入党介绍人日期" in result.problems[0].message


# --- People: unknown, out of scope, ambiguous ---------------------------------------------------


class TestPeople:
    def test_an_unknown_id_number_and_a_person_out_of_scope_read_the_same(self, world, full):
        stranger = make_member(world.branch_b, status=PoliticalStatus.APPLICANT, admission_date=D(2022, 3, 1))
        rows = [
            {"身份证号码": id_number_for(D(1999, 1, 1)), "递交申请日期": D(2020, 3, 1)},
            {"身份证号码": stranger.person.id_number, "递交申请日期": D(2020, 3, 1)},
            {"身份证号码": "123", "递交申请日期": D(2020, 3, 1)},
            {"递交申请日期": D(2020, 3, 1)},
        ]
        result = imports.import_check(actor=world.alice, data=workbook(rows))
        assert [(p.row, p.column) for p in result.problems] == [
            (2, "身份证号码"),
            (3, "身份证号码"),
            (4, "身份证号码"),
            (5, "身份证号码"),
        ]
        assert result.problems[0].message == result.problems[1].message

    def test_a_person_seen_but_not_changeable_is_refused(self, world, full):
        person = applicant(world)
        data = workbook([{"人员编码": str(person.code), "递交申请日期": D(2020, 3, 1)}])
        assert imports.import_check(actor=world.boss, data=data).ok  # the committee admin may change A
        viewer = make_user("vi", grants=[(Role.VIEWER, world.branch_a), (Role.BRANCH_ADMIN, world.branch_b)])
        result = imports.import_check(actor=viewer, data=data)
        assert [p.message for p in result.problems] == ["You may not change this person's records."]

    def test_the_same_person_twice_and_a_name_that_does_not_match(self, world, full):
        person = applicant(world)
        rows = [
            {"人员编码": str(person.code), "递交申请日期": D(2020, 3, 1)},
            {"身份证号码": person.person.id_number, "递交申请日期": D(2020, 3, 1)},
            {"姓名": "别人", "人员编码": str(full[0].code), "递交申请日期": D(2020, 3, 1)},
        ]
        result = imports.import_check(actor=world.alice, data=workbook(rows))
        assert [(p.row, p.column) for p in result.problems] == [(3, "身份证号码"), (4, "姓名")]

    def test_unknown_and_ambiguous_people_named_on_steps(self, world, full):
        make_member(world.branch_a, name=full[1].person.name)  # a namesake
        outsider = make_member(world.branch_b, name="外支部党员")
        person = applicant(world)
        row = history(
            person,
            full,
            **{
                "谈话人": "查无此人",
                "培养联系人": full[1].person.name,
                "上级党委谈话人": outsider.person.name,
            },
        )
        result = imports.import_check(actor=world.alice, data=workbook([row]))
        assert [(p.column, p.message.split("“")[0]) for p in result.problems] == [
            ("谈话人", "Unknown person "),
            ("培养联系人", "Several people are named "),
            ("上级党委谈话人", "Unknown person "),
        ]

    def test_members_of_the_committees_above_may_be_named(self, world, full):
        talker = make_member(world.committee, name="党委组织委员", admission_date=D(2010, 1, 1))
        person = applicant(world)
        row = history(
            person,
            full,
            **{"上级党委谈话人": talker.person.name, "审批党委(名称或编码)": world.committee.code},
        )
        assert imports.import_check(actor=world.alice, data=workbook([row])).ok


# --- The file itself -------------------------------------------------------------------------------


class TestFile:
    def test_an_old_excel_file(self, world):
        with pytest.raises(imports.ImportFileError, match="old Excel"):
            imports.import_check(actor=world.alice, data=b"\xd0\xcf\x11\xe0" + b"\0" * 100)

    def test_not_a_workbook(self, world):
        with pytest.raises(imports.ImportFileError, match="not an Excel workbook"):
            imports.import_check(actor=world.alice, data="姓名,身份证号码\n".encode())

    def test_a_damaged_workbook(self, world):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("hello.txt", "not a workbook")
        with pytest.raises(imports.ImportFileError, match="damaged"):
            imports.import_check(actor=world.alice, data=buffer.getvalue())

    def test_other_headers(self, world):
        with pytest.raises(imports.ImportFileError, match="column headers"):
            imports.import_check(
                actor=world.alice, data=workbook([{"姓名": "张三"}], headers=("姓名", "工号"))
            )

    def test_no_dates_at_all(self, world):
        with pytest.raises(imports.ImportFileError, match="No row has a step date"):
            imports.import_check(actor=world.alice, data=workbook([{"人员编码": str(world.member_a.code)}]))

    def test_too_large(self, world, settings):
        settings.XIANFENG_IMPORT_MAX_BYTES = 100
        with pytest.raises(imports.ImportFileError, match="larger than"):
            imports.import_check(actor=world.alice, data=workbook([]))

    def test_too_many_steps(self, world, full, monkeypatch):
        monkeypatch.setattr(imports, "MAX_STEPS", 17)
        data = workbook([history(applicant(world), full)])
        with pytest.raises(imports.ImportFileError, match="18 step dates; at most 17"):
            imports.import_check(actor=world.alice, data=data)

    def test_the_importer_needs_the_import_right(self, world):
        with pytest.raises(PermissionDenied):
            imports.import_check(actor=world.bob, data=workbook([]))


def test_the_import_action_has_a_label():
    assert imports.ACTION in ACTION_LABELS


# --- Pages -------------------------------------------------------------------------------------------


def upload(client, data, name="发展历史.xlsx"):
    return client.post(IMPORT, {"file": SimpleUploadedFile(name, data)})


class TestPages:
    @pytest.mark.parametrize("url", [TEMPLATE, IMPORT])
    def test_anonymous_users_are_sent_to_log_in(self, client, world, url):
        assert client.get(url).url.startswith(reverse("login"))
        assert client.post(CONFIRM).url.startswith(reverse("login"))

    @pytest.mark.parametrize("who", ["bob", "dang"])
    def test_read_only_users_and_members_are_refused(self, client, world, who):
        client.force_login(getattr(world, who))
        assert client.get(TEMPLATE).status_code == 403
        assert client.get(IMPORT).status_code == 403
        assert upload(client, workbook([])).status_code == 403
        assert client.post(CONFIRM).status_code == 403

    def test_the_template_has_the_chinese_headers_and_lists_the_people_in_development(self, client, world):
        person = applicant(world)
        client.force_login(world.alice)
        response = client.get(TEMPLATE)
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        book = load_workbook(io.BytesIO(response.content))
        sheet = book.worksheets[0]
        headers = [c.value for c in sheet[1]]
        assert headers == list(imports.HEADERS)
        assert {
            "递交申请日期",
            "谈话日期",
            "确定积极分子日期",
            "确定发展对象日期",
            "接收预备党员日期(支部大会)",
            "审批日期",
            "转正日期",
        } <= set(headers)
        assert [(r[0].value, r[2].value) for r in sheet.iter_rows(min_row=2)] == [
            ("新同志", str(person.code))
        ]
        assert book.worksheets[1].title == "填写说明"

    def test_an_outsider_template_does_not_list_branch_a(self, client, world):
        applicant(world)
        client.force_login(world.charlie)
        sheet = load_workbook(io.BytesIO(client.get(TEMPLATE).content)).worksheets[0]
        assert sheet.max_row == 1

    def test_upload_preview_confirm(self, client, world, full):
        person = applicant(world)
        data = workbook([history(person, full, **{"审批党委(名称或编码)": world.committee.code})])
        client.force_login(world.alice)
        assert client.get(IMPORT).status_code == 200
        response = upload(client, data)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Nothing has been written yet" in page and person.person.name in page
        assert not DevelopmentStep.objects.exists()
        stored = client.session[SESSION_KEY]
        assert data.hex() not in str(stored)  # the bytes are kept encrypted
        response = client.post(CONFIRM, {"token": stored["token"]})
        assert response.status_code == 200
        assert DevelopmentStep.objects.filter(membership=person).count() == 18
        assert SESSION_KEY not in client.session
        assert client.post(CONFIRM, {"token": stored["token"]}).status_code == 302  # used once

    def test_a_file_with_problems_is_listed_and_not_kept(self, client, world, full):
        person = applicant(world, birth_date=D(2003, 6, 1), admission_date=D(2024, 1, 1))
        client.force_login(world.alice)
        response = upload(client, workbook([history(person, full)]))
        assert response.status_code == 400
        page = response.content.decode()
        assert "DEV-01" in page and "递交申请日期" in page and "Nothing was imported" in page
        assert SESSION_KEY not in client.session

    def test_the_confirmation_needs_the_token_of_the_checked_file(self, client, world, full):
        person = applicant(world)
        client.force_login(world.alice)
        upload(client, workbook([history(person, full, **{"审批党委(名称或编码)": world.committee.code})]))
        response = client.post(CONFIRM, {"token": "forged"})
        assert response.status_code == 302 and response.url == IMPORT
        assert not DevelopmentStep.objects.exists()

    def test_the_confirmation_replays_the_stored_file_again(self, client, world, full):
        """Something recorded between the preview and the confirmation is caught, nothing written."""
        person = applicant(world)
        client.force_login(world.alice)
        upload(client, workbook([history(person, full, **{"审批党委(名称或编码)": world.committee.code})]))
        token = client.session[SESSION_KEY]["token"]
        services.step_record(
            actor=world.alice, membership=person, proposed=Proposed("application", D(2020, 3, 2))
        )
        response = client.post(CONFIRM, {"token": token})
        assert response.status_code == 400
        assert DevelopmentStep.objects.filter(membership=person).count() == 1

    def test_a_wrong_file_type_is_a_form_error(self, client, world):
        client.force_login(world.alice)
        response = upload(client, b"%PDF-1.4", name="a.pdf")
        assert response.status_code == 400
        assert "not an Excel workbook" in response.content.decode()

    def test_an_outsider_cannot_import_for_branch_a(self, client, world, full):
        person = applicant(world)
        client.force_login(world.charlie)
        response = upload(client, workbook([history(person, full)]))
        assert response.status_code == 400
        assert "Nobody you may see has this ID number" in response.content.decode()

    def test_cancel_drops_the_stored_file(self, client, world, full):
        person = applicant(world)
        client.force_login(world.alice)
        upload(client, workbook([history(person, full, **{"审批党委(名称或编码)": world.committee.code})]))
        assert client.post(CANCEL).status_code == 302
        assert SESSION_KEY not in client.session
