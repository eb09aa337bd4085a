"""attendance_set / attendance_remove, agenda items, decisions and attachments."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from xianfeng.activities import services
from xianfeng.activities.choices import AttendanceSource, AttendanceStatus
from xianfeng.activities.models import AgendaItem, Attachment, Attendance, Decision
from xianfeng.activities.tests.test_services_plan import at, days_ago, plan
from xianfeng.core.models import AuditEvent
from xianfeng.people import services as people_services
from xianfeng.testing import make_member

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0" + b"\x00" * 32


def docx_bytes():
    buffer = io.BytesIO()
    Document().save(buffer)
    return buffer.getvalue()


def upload(name, content):
    return SimpleUploadedFile(name, content)


def set_(world, activity, person, status="present", actor=None, **extra):
    return services.attendance_set(
        actor=actor or world.alice, activity=activity, person=person, status=status, **extra
    )


class TestAttendanceSet:
    def test_it_records_present_leave_absent_and_guest(self, world):
        meeting = plan(world)
        set_(world, meeting, world.member_a.person, "present")
        set_(world, meeting, world.dang_membership.person, "leave", reason="出差")
        set_(world, meeting, world.member_b.person, "guest")
        rows = dict(Attendance.objects.filter(activity=meeting).values_list("person__name", "status"))
        assert rows == {"张三": "present", "王党员": "leave", "李四": "guest"}
        assert AuditEvent.objects.filter(action="attendance.set").count() == 3

    def test_leave_needs_a_reason(self, world):
        meeting = plan(world)
        with pytest.raises(ValidationError) as err:
            set_(world, meeting, world.member_a.person, "leave")
        assert "reason" in err.value.message_dict
        assert Attendance.objects.get(activity=meeting, person=world.member_a.person).status == "expected"

    def test_someone_who_was_not_a_member_on_that_date_attends_only_as_a_guest(self, world):
        meeting = plan(world)
        with pytest.raises(ValidationError) as err:
            set_(world, meeting, world.member_b.person, "present")
        message = err.value.message_dict["person"][0]
        assert "李四 was not a member of" in message and "guest" in message
        assert not Attendance.objects.filter(person=world.member_b.person).exists()

    def test_a_member_who_joined_later_was_not_a_member_on_that_date(self, world):
        newcomer = make_member(world.branch_b, name="后来者")
        moved = days_ago(3)
        people_services.member_transfer(actor=None, membership=newcomer, to_org=world.branch_a, date=moved)
        meeting = plan(world, start=at(moved - dt.timedelta(days=1)))
        with pytest.raises(ValidationError):
            set_(world, meeting, newcomer.person, "present")
        later = plan(world, start=at(moved), code="theme_day")
        assert set_(world, later, newcomer.person, "present").status == "present"

    def test_a_transferred_member_can_be_marked_at_the_old_orgs_earlier_meeting(self, world):
        meeting = plan(world, start=at(days_ago(20)))
        people_services.member_transfer(
            actor=None, membership=world.member_a, to_org=world.branch_b, date=days_ago(5)
        )
        assert set_(world, meeting, world.member_a.person, "present").status == "present"

    def test_an_applicant_attends_a_general_meeting_as_a_guest(self, world):
        applicant = make_member(
            world.branch_a, name="申请人", status="applicant", admission_date=dt.date(2025, 5, 1)
        )
        meeting = plan(world)
        with pytest.raises(ValidationError) as err:
            set_(world, meeting, applicant.person, "present")
        assert "not yet a party member" in err.value.message_dict["person"][0]
        assert set_(world, meeting, applicant.person, "guest").status == "guest"

    def test_members_of_a_sub_organization_attend_the_general_branchs_training(self, world):
        training = plan(world, org=world.general_branch, code="training", actor=world.boss)
        assert set_(world, training, world.member_b.person, "present", actor=world.boss).status == "present"

    def test_hours_only_for_kinds_that_count_them_and_only_for_attendees(self, world):
        meeting = plan(world)
        with pytest.raises(ValidationError) as err:
            set_(world, meeting, world.member_a.person, "present", hours=2)
        assert "does not count study hours" in err.value.message_dict["hours"][0]
        lecture = plan(world, code="party_lecture")
        assert set_(world, lecture, world.member_a.person, "present", hours=2).hours == 2
        with pytest.raises(ValidationError) as err:
            set_(world, lecture, world.dang_membership.person, "absent", hours=1)
        assert "hours" in err.value.message_dict
        with pytest.raises(ValidationError):
            set_(world, lecture, world.dang_membership.person, "present", hours=25)

    def test_a_talk_takes_no_third_person(self, world):
        talk = plan(world, code="talk", participants=[world.member_a.person, world.dang_membership.person])
        third = make_member(world.branch_a, name="第三人").person
        with pytest.raises(ValidationError) as err:
            set_(world, talk, third, "present")
        assert "exactly two" in err.value.message_dict["person"][0]

    def test_changing_a_qr_check_in_keeps_the_source_while_present(self, world):
        meeting = plan(world)
        row = Attendance.objects.get(activity=meeting, person=world.member_a.person)
        Attendance.objects.filter(pk=row.pk).update(status="present", source=AttendanceSource.QR)
        row = set_(world, meeting, world.member_a.person, "absent", reason="提前离开")
        assert (row.source, row.checked_in_at) == (AttendanceSource.MANUAL, None)

    def test_scope(self, world):
        meeting = plan(world)
        with pytest.raises(PermissionDenied):
            set_(world, meeting, world.member_a.person, actor=world.bob)
        with pytest.raises(PermissionDenied):
            set_(world, meeting, world.member_a.person, actor=world.charlie)

    def test_a_kind_without_attendance_is_refused(self, world):
        from xianfeng.activities.models import ActivityKind

        ActivityKind.objects.create(
            code="report", name="书面报告", category="supervision", audience="named", has_attendance=False
        )
        report = plan(world, code="report")
        with pytest.raises(ValidationError) as err:
            set_(world, report, world.member_a.person)
        assert "status" in err.value.message_dict

    def test_remove_takes_a_person_off_the_list(self, world):
        meeting = plan(world)
        services.attendance_remove(actor=world.alice, activity=meeting, person=world.member_a.person)
        assert not Attendance.objects.filter(activity=meeting, person=world.member_a.person).exists()
        assert AuditEvent.objects.filter(action="attendance.remove").count() == 1
        with pytest.raises(ValidationError):
            services.attendance_remove(actor=world.alice, activity=meeting, person=world.member_a.person)


class TestAgenda:
    def test_items_with_tags_and_flags(self, world):
        meeting = plan(world, code="committee_meeting")
        services.agenda_item_add(actor=world.alice, activity=meeting, topic="研究安全生产", tags=["safety"])
        first = services.agenda_item_add(
            actor=world.alice,
            activity=meeting,
            topic="学习习近平总书记重要讲话精神",
            first_item=True,
            tags=["ideology"],
        )
        services.agenda_item_add(
            actor=world.alice,
            activity=meeting,
            topic="大额资金使用",
            major_matter="fund",
            prior_study=True,
        )
        topics = list(AgendaItem.objects.filter(activity=meeting).values_list("topic", flat=True))
        assert topics[0] == first.topic  # the first agenda item (第一议题) comes first
        assert AuditEvent.objects.filter(action="agenda.add").count() == 3

    def test_bad_flags_are_refused(self, world):
        meeting = plan(world, code="committee_meeting")
        cases = [
            ({"tags": ["astrology"]}, "tags"),
            ({"prior_study": True}, "prior_study"),
            ({"major_matter": "party"}, "major_matter"),
            ({"topic": " "}, "topic"),
        ]
        for extra, field in cases:
            kwargs = {"topic": "议题", **extra}
            with pytest.raises(ValidationError) as err:
                services.agenda_item_add(actor=world.alice, activity=meeting, **kwargs)
            assert field in err.value.message_dict
        services.agenda_item_add(actor=world.alice, activity=meeting, topic="第一议题", first_item=True)
        with pytest.raises(ValidationError) as err:
            services.agenda_item_add(actor=world.alice, activity=meeting, topic="又一个", first_item=True)
        assert "first_item" in err.value.message_dict

    def test_a_kind_without_agenda_items_refuses_them(self, world):
        with pytest.raises(ValidationError) as err:
            services.agenda_item_add(actor=world.alice, activity=plan(world, code="theme_day"), topic="x")
        assert "has no agenda items" in err.value.message_dict["topic"][0]

    def test_update_and_remove(self, world):
        meeting = plan(world, code="committee_meeting")
        item = services.agenda_item_add(actor=world.alice, activity=meeting, topic="旧")
        services.agenda_item_update(actor=world.alice, item=item, data={"topic": "新", "tags": ["culture"]})
        item.refresh_from_db()
        assert (item.topic, item.tags) == ("新", ["culture"])
        services.agenda_item_remove(actor=world.alice, item=item)
        assert not AgendaItem.objects.exists()
        assert {"agenda.update", "agenda.remove"} <= set(AuditEvent.objects.values_list("action", flat=True))


class TestDecisions:
    def test_a_decision_with_owner_and_deadline(self, world):
        meeting = plan(world, start=at(days_ago(3)))
        decision = services.decision_add(
            actor=world.alice,
            activity=meeting,
            text="开展安全检查",
            owner=world.member_a.person,
            deadline=days_ago(1),
        )
        assert decision.owner == world.member_a.person
        with pytest.raises(ValidationError) as err:
            services.decision_add(actor=world.alice, activity=meeting, text="x", deadline=days_ago(4))
        assert "deadline" in err.value.message_dict
        services.decision_remove(actor=world.alice, decision=decision)
        assert not Decision.objects.exists()

    def test_the_text_is_required(self, world):
        with pytest.raises(ValidationError) as err:
            services.decision_add(actor=world.alice, activity=plan(world), text="")
        assert "text" in err.value.message_dict


class TestAttachments:
    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    @pytest.mark.parametrize(
        ("name", "content"),
        [("签到表.pdf", PDF), ("photo.PNG", PNG), ("现场.jpg", JPG), ("记录.docx", docx_bytes())],
    )
    def test_allowed_files_are_kept(self, world, name, content):
        meeting = plan(world)
        attachment = services.attachment_add(
            actor=world.alice, activity=meeting, upload=upload(name, content)
        )
        assert (attachment.name, attachment.size) == (name, len(content))
        assert attachment.file.read() == content
        assert AuditEvent.objects.filter(action="attachment.add").count() == 1

    @pytest.mark.parametrize(
        ("name", "content", "words"),
        [
            ("run.exe", b"MZ\x90\x00", "Only PDF"),
            ("fake.pdf", PNG, "not a PDF"),
            ("fake.png", PDF, "not a PNG"),
            ("empty.pdf", b"", "empty"),
        ],
    )
    def test_wrong_type_or_content_is_refused(self, world, name, content, words):
        meeting = plan(world)
        with pytest.raises(ValidationError) as err:
            services.attachment_add(actor=world.alice, activity=meeting, upload=upload(name, content))
        assert words in err.value.message_dict["file"][0]
        assert not Attachment.objects.exists()

    def test_a_zip_renamed_to_docx_is_refused(self, world):
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as archive:
            archive.writestr("readme.txt", "hello")
        with pytest.raises(ValidationError) as err:
            services.attachment_add(
                actor=world.alice, activity=plan(world), upload=upload("x.docx", buffer.getvalue())
            )
        assert "not a DOCX" in err.value.message_dict["file"][0]

    def test_a_file_over_the_limit_is_refused(self, world, settings):
        settings.XIANFENG_ATTACHMENT_MAX_BYTES = 1024 * 1024
        big = PDF + b"0" * (1024 * 1024)
        with pytest.raises(ValidationError) as err:
            services.attachment_add(actor=world.alice, activity=plan(world), upload=upload("big.pdf", big))
        assert "larger than the limit of 1 MB" in err.value.message_dict["file"][0]

    def test_remove_deletes_the_row_and_the_file(self, world, django_capture_on_commit_callbacks):
        meeting = plan(world)
        attachment = services.attachment_add(actor=world.alice, activity=meeting, upload=upload("a.pdf", PDF))
        storage, path = attachment.file.storage, attachment.file.name
        with django_capture_on_commit_callbacks(execute=True):
            services.attachment_remove(actor=world.alice, attachment=attachment)
        assert not Attachment.objects.exists()
        assert not storage.exists(path)

    def test_a_read_only_user_cannot_attach(self, world):
        with pytest.raises(PermissionDenied):
            services.attachment_add(actor=world.bob, activity=plan(world), upload=upload("a.pdf", PDF))


def test_attendance_statuses_are_the_documented_ones():
    assert set(AttendanceStatus.values) == {"expected", "present", "leave", "absent", "guest"}
