"""Development documents read back with python-docx: publicity notices, the conversion notice and the
checklist of materials — names, dates, the publicity period in working days, gaps, fonts, no ID numbers."""

import datetime as dt
import io
import zipfile

import pytest
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_COLOR_INDEX
from docx.oxml.ns import qn

from xianfeng.activities.documents import BODY_FONT, GAP, LABEL_FONT, TITLE_FONT
from xianfeng.development import documents
from xianfeng.development.documents import (
    PublicityKind,
    conversion_notice,
    materials_checklist,
    publicity_notice,
    publicity_period,
)
from xianfeng.development.models import DevelopmentStep
from xianfeng.people.choices import PoliticalStatus
from xianfeng.people.models import Membership
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db

D = dt.date
START = D(2026, 11, 5)  # a Thursday: 5 working days run over the weekend to Wednesday 11 November


def person(org, status, name, **dates):
    membership = make_member(
        org,
        status=status,
        name=name,
        gender=dates.pop("gender", "male"),
        birth_date=dates.pop("birth_date", D(1998, 7, 9)),
        admission_date=D(2025, 11, 20),
        education=dates.pop("education", "bachelor"),
        ethnicity=dates.pop("ethnicity", "03"),
        department=dates.pop("department", "变电运维一班"),
        job_post=dates.pop("job_post", "值班员"),
    )
    Membership.objects.filter(pk=membership.pk).update(**dates)
    membership.refresh_from_db()
    return membership


def step(membership, code, day, decision="done", **extra):
    return DevelopmentStep.objects.create(
        membership=membership, step=code, date=day, decision=decision, **extra
    )


def read(data):
    return Document(io.BytesIO(data))


def texts(document):
    out = [p.text for p in document.paragraphs]
    for table in document.tables:
        out += [cell.text for row in table.rows for cell in row.cells]
    return out


def table(document):
    return [[cell.text for cell in row.cells] for row in document.tables[0].rows]


def xml(data):
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8", "ignore") for name in archive.namelist())


def east_asia(run):
    fonts = run._element.rPr.rFonts
    return fonts.get(qn("w:eastAsia")) if fonts is not None else None


def all_runs(document):
    runs = [run for p in document.paragraphs for run in p.runs]
    for t in document.tables:
        runs += [run for row in t.rows for cell in row.cells for p in cell.paragraphs for run in p.runs]
    return runs


@pytest.fixture
def candidates(world):
    first = person(
        world.branch_a,
        PoliticalStatus.CANDIDATE,
        "赵一",
        application_date=D(2023, 3, 1),
        activist_date=D(2023, 6, 15),
        candidate_date=D(2024, 9, 10),
        admission_date=None,
    )
    second = person(
        world.branch_a,
        PoliticalStatus.CANDIDATE,
        "钱二",
        gender="female",
        birth_date=D(2000, 12, 31),
        education="master",
        ethnicity="01",
        department="",
        job_post="",
        application_date=D(2023, 4, 2),
        activist_date=None,
        candidate_date=D(2024, 10, 8),
        admission_date=None,
    )
    return [first, second]


class TestPublicityPeriod:
    def test_five_working_days_run_over_the_weekend(self):
        assert publicity_period(START) == (START, D(2026, 11, 11))

    def test_a_start_on_a_saturday_begins_on_monday(self):
        assert publicity_period(D(2026, 11, 7)) == (D(2026, 11, 9), D(2026, 11, 13))

    def test_the_length_is_a_setting(self, settings):
        settings.XIANFENG_DEV_PUBLICITY_WORKING_DAYS = 7
        assert publicity_period(START) == (START, D(2026, 11, 13))

    def test_without_the_holiday_calendar_monday_to_friday(self, monkeypatch):
        monkeypatch.setattr(documents, "chinese_calendar", None)
        assert publicity_period(D(2026, 9, 30)) == (D(2026, 9, 30), D(2026, 10, 6))

    def test_with_the_holiday_calendar_national_day_and_the_working_saturday(self):
        pytest.importorskip("chinese_calendar")
        # 1–7 October 2026 are holidays; Saturday 10 October is a working day
        assert publicity_period(D(2026, 9, 30)) == (D(2026, 9, 30), D(2026, 10, 12))
        assert publicity_period(D(2026, 10, 1)) == (D(2026, 10, 8), D(2026, 10, 13))

    def test_a_year_the_calendar_does_not_cover_counts_monday_to_friday(self):
        assert publicity_period(D(2099, 1, 1)) == (D(2099, 1, 1), D(2099, 1, 7))  # Thursday → Wednesday


class TestCandidatePublicity:
    def test_the_people_and_their_dates(self, world, candidates):
        document = read(publicity_notice(world.branch_a, candidates, PublicityKind.CANDIDATE, START))
        assert document.paragraphs[0].text == "关于拟将赵一等2名同志列为发展对象的公示"
        rows = table(document)
        assert rows[0] == [
            "姓名",
            "性别",
            "出生年月",
            "民族",
            "学历",
            "工作单位及职务",
            "申请入党时间",
            "确定为入党积极分子时间",
            "确定为发展对象时间",
        ]
        assert rows[1] == [
            "赵一",
            "男",
            "1998年7月",
            "回族",
            "大学本科",
            "变电运维一班 值班员",
            "2023年3月1日",
            "2023年6月15日",
            "2024年9月10日",
        ]
        assert rows[2][:6] == ["钱二", "女", "2000年12月", "汉族", "硕士研究生", ""]
        assert rows[2][6:] == ["2023年4月2日", GAP, "2024年10月8日"]  # an unrecorded date is a gap

    def test_the_gap_is_highlighted(self, world, candidates):
        document = read(publicity_notice(world.branch_a, candidates, PublicityKind.CANDIDATE, START))
        gaps = [run for run in all_runs(document) if run.text == GAP]
        assert gaps and all(run.font.highlight_color == WD_COLOR_INDEX.YELLOW for run in gaps)

    def test_the_period_contacts_and_signature(self, world, candidates):
        data = publicity_notice(
            world.branch_a, candidates[:1], PublicityKind.CANDIDATE, START, phone="0551-62345678"
        )
        document = read(data)
        lines = texts(document)
        assert document.paragraphs[0].text == "关于拟将赵一同志列为发展对象的公示"
        assert "公示时间：2026年11月5日至2026年11月11日（5个工作日）。" in lines
        assert "联系电话：0551-62345678" in lines and f"联系地址：{GAP}" in lines
        assert any("反映公示对象的情况和问题" in line for line in lines)
        signature = document.paragraphs[-2:]
        assert [p.text for p in signature] == ["变电运维一班党支部", "2026年11月5日"]
        assert all(p.alignment == WD_ALIGN_PARAGRAPH.RIGHT for p in signature)

    def test_no_id_numbers(self, world, candidates):
        content = xml(publicity_notice(world.branch_a, candidates, PublicityKind.CANDIDATE, START))
        for membership in candidates:
            assert membership.person.id_number not in content
            assert membership.person.id_number[:6] not in content

    def test_east_asian_fonts_on_every_run(self, world, candidates):
        document = read(publicity_notice(world.branch_a, candidates, PublicityKind.CANDIDATE, START))
        runs = [run for run in all_runs(document) if run.text]
        assert runs and all(east_asia(run) for run in runs)
        assert east_asia(document.paragraphs[0].runs[0]) == TITLE_FONT
        assert east_asia(document.tables[0].rows[0].cells[0].paragraphs[0].runs[0]) == LABEL_FONT
        assert east_asia(document.tables[0].rows[1].cells[0].paragraphs[0].runs[0]) == BODY_FONT
        normal = document.styles["Normal"].element.rPr.rFonts
        assert normal.get(qn("w:eastAsia")) == BODY_FONT

    def test_the_layout_is_the_gbt_9704_profile(self, world, candidates):
        document = read(publicity_notice(world.branch_a, candidates, PublicityKind.CANDIDATE, START))
        section = document.sections[0]
        assert round(section.top_margin.mm) == 37 and round(section.left_margin.mm) == 28
        assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
        assert "PAGE" in xml(publicity_notice(world.branch_a, candidates, PublicityKind.CANDIDATE, START))

    def test_people_of_another_branch_are_refused(self, world, candidates):
        outsider = person(world.branch_b, PoliticalStatus.CANDIDATE, "孙外", candidate_date=D(2024, 1, 1))
        with pytest.raises(ValueError):
            publicity_notice(world.branch_a, [outsider], PublicityKind.CANDIDATE, START)
        publicity_notice(world.committee, [*candidates, outsider], PublicityKind.CANDIDATE, START)

    def test_queries_do_not_grow_with_the_people(self, world, candidates, django_assert_num_queries):
        with django_assert_num_queries(2):
            publicity_notice(world.branch_a, candidates[:1], PublicityKind.CANDIDATE, START)
        with django_assert_num_queries(2):
            publicity_notice(world.branch_a, candidates, PublicityKind.CANDIDATE, START)


class TestAcceptancePublicity:
    def test_the_branch_meeting_date_is_listed(self, world, candidates):
        step(candidates[0], "acceptance_meeting", D(2026, 10, 20), decision="passed")
        document = read(publicity_notice(world.branch_a, candidates, PublicityKind.ACCEPTANCE, START))
        assert document.paragraphs[0].text == "关于拟接收赵一等2名同志为中共预备党员的公示"
        rows = table(document)
        assert rows[0][-1] == "支部大会讨论通过时间"
        assert rows[1][0] == "赵一" and rows[1][-1] == "2026年10月20日"
        assert rows[2][0] == "钱二" and rows[2][-1] == GAP  # not recorded yet
        assert any("拟接收为中共预备党员" in line for line in texts(document))

    def test_a_failed_meeting_does_not_count(self, world, candidates):
        step(candidates[0], "acceptance_meeting", D(2026, 10, 20), decision="failed")
        document = read(publicity_notice(world.branch_a, candidates[:1], PublicityKind.ACCEPTANCE, START))
        assert table(document)[1][-1] == GAP

    def test_an_unknown_kind_is_refused(self, world, candidates):
        with pytest.raises(ValueError):
            publicity_notice(world.branch_a, candidates, "other", START)


class TestConversionNotice:
    @pytest.fixture
    def member(self, world):
        member = person(
            world.branch_a,
            PoliticalStatus.PROBATIONARY,
            "孙五",
            application_date=D(2023, 3, 1),
            activist_date=D(2023, 6, 15),
            candidate_date=D(2024, 9, 10),
            admission_date=D(2025, 11, 20),
        )
        step(member, "acceptance_meeting", D(2025, 11, 20), decision="passed")
        step(member, "approval", D(2025, 12, 10), decision="passed")
        return member

    def test_the_member_and_the_dates(self, world, member):
        step(member, "conversion_application", D(2026, 10, 25))
        document = read(conversion_notice(member, START))
        lines = texts(document)
        assert lines[0] == "关于孙五同志预备党员转正的公示"
        assert "孙五，男，回族，1998年7月出生，大学本科学历，变电运维一班 值班员。" in lines
        history = next(line for line in lines if line.startswith("2023年3月1日"))
        assert history == (
            "2023年3月1日递交入党申请书，2023年6月15日被确定为入党积极分子，2024年9月10日被确定为发展对象，"
            "2025年11月20日经党支部大会讨论通过接收为预备党员，2025年12月10日经上级党委审批同意，"
            "预备期至2026年11月20日止。本人于2026年10月25日提出转正申请。"
        )
        assert "公示时间：2026年11月5日至2026年11月11日（5个工作日）。" in lines
        assert lines[-2:] == ["变电运维一班党支部", "2026年11月5日"]
        assert member.person.id_number not in xml(conversion_notice(member, START))

    def test_a_missing_application_is_a_gap(self, world, member):
        lines = texts(read(conversion_notice(member, START)))
        assert any(line.endswith(f"本人于{GAP}提出转正申请。") for line in lines)

    def test_an_extension_is_told_and_moves_the_end(self, world, member):
        step(member, "conversion_application", D(2026, 10, 25))
        step(member, "conversion_meeting", D(2026, 11, 21), decision="extended", extension_months=6)
        step(member, "conversion_approval", D(2026, 12, 1), decision="passed")
        lines = texts(read(conversion_notice(member, D(2027, 5, 10))))
        history = next(line for line in lines if line.startswith("2023年3月1日"))
        assert "2026年11月21日经党支部大会讨论决定延长预备期6个月，预备期至2027年5月20日止。" in history

    def test_fonts(self, world, member):
        document = read(conversion_notice(member, START))
        assert all(east_asia(run) for run in all_runs(document) if run.text)


class TestMaterialsChecklist:
    def test_present_items_with_dates_and_missing_items(self, world):
        activist = person(
            world.branch_a,
            PoliticalStatus.ACTIVIST,
            "周六",
            application_date=D(2024, 1, 2),
            activist_date=D(2024, 3, 1),
            candidate_date=None,
            admission_date=None,
        )
        step(activist, "application", D(2024, 1, 2))
        step(activist, "talk", D(2024, 1, 20))
        step(activist, "activist", D(2024, 3, 1))
        step(activist, "contacts", D(2024, 3, 5))
        step(activist, "activist_review", D(2024, 9, 1))
        step(activist, "activist_review", D(2025, 3, 1))
        DevelopmentStep.objects.create(
            membership=activist, step="activist_filed", date=D(2024, 3, 8), voided=True, void_reason="错录"
        )
        document = read(materials_checklist(activist, D(2026, 11, 21)))
        lines = texts(document)
        assert lines[0] == "周六同志入党材料清单"
        assert "所在党组织：变电运维一班党支部" in lines and "当前身份：入党积极分子" in lines
        assert "清单日期：2026年11月21日" in lines
        rows = {row[2]: row for row in table(document)[1:]}
        assert rows["入党申请书"][3:5] == ["已具备", "2024年1月2日"]
        assert rows["党组织派人谈话记录"][3:5] == ["已具备", "2024年1月20日"]
        filed = rows["确定入党积极分子的支部委员会意见及上级党委备案材料"]
        assert filed[3:] == ["缺", "", ""]  # voided, and due by now: a real gap
        review = rows["入党积极分子考察材料（每半年一次）"]
        assert review[3:] == ["已具备", "2024年9月1日、2025年3月1日", "共2次"]
        assert rows["入党志愿书"][3:] == ["缺", "", "尚未到该阶段"]
        assert rows["入党申请书"][1] == "入党申请"
        assert rows["转正申请书"][1] == "预备党员的教育考察和转正"
        assert "共20项：已具备4项，缺1项，尚未到该阶段15项。" in lines

    def test_a_full_member_without_records_misses_everything(self, world):
        lines = texts(read(materials_checklist(world.member_a, D(2026, 11, 21))))
        assert "共20项：已具备0项，缺20项，尚未到该阶段0项。" in lines

    def test_no_id_numbers_and_fonts(self, world):
        data = materials_checklist(world.member_a, D(2026, 11, 21))
        assert world.member_a.person.id_number not in xml(data)
        document = read(data)
        assert all(east_asia(run) for run in all_runs(document) if run.text)
