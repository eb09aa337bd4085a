"""The activity page and its writes: access matrix (anonymous, outsider, read-only, permitted + audit),
inline attendance with htmx, QR panel, meeting record download, bounded queries."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from xianfeng.activities import services
from xianfeng.activities.models import Activity, AgendaItem, Attachment, Attendance, Decision
from xianfeng.activities.tests.test_services_attendance import PDF
from xianfeng.activities.tests.test_services_plan import at, days_ago, plan
from xianfeng.core.models import AuditEvent
from xianfeng.testing import make_member


@pytest.fixture
def meeting(world):
    return plan(world, code="committee_meeting", start=at(days_ago(2), 14, 30), title="三月支委会")


def url(name, activity, *args):
    return reverse(f"activities:{name}", args=[activity.code, *args])


class TestDetailAccess:
    def test_anonymous_users_go_to_the_login(self, client, meeting):
        response = client.get(url("detail", meeting))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_an_outsider_gets_404(self, client, world, meeting):
        client.force_login(world.charlie)
        assert client.get(url("detail", meeting)).status_code == 404

    def test_a_read_only_user_sees_it_without_write_controls_or_qr(self, client, world, meeting):
        client.force_login(world.bob)
        response = client.get(url("detail", meeting))
        content = response.content.decode()
        assert response.status_code == 200
        assert "三月支委会" in content
        assert meeting.checkin_token not in content
        assert url("held", meeting) not in content

    def test_a_permitted_user_sees_the_qr_code_and_the_forms(self, client, world, meeting):
        client.force_login(world.alice)
        content = client.get(url("detail", meeting)).content.decode()
        checkin = reverse("activities:checkin", args=[meeting.code, meeting.checkin_token])
        assert f"http://testserver{checkin}" in content
        assert "<svg" in content and 'class="segno"' in content
        assert url("held", meeting) in content and url("cancel", meeting) in content

    def test_a_member_of_the_org_sees_the_member_view(self, client, world):
        general = plan(world, title="党员大会")
        client.force_login(world.dang)
        response = client.get(url("detail", general))
        assert response.status_code == 200
        assert next(t.name for t in response.templates) == "activities/member_detail.html"
        assert general.checkin_token not in response.content.decode()

    def test_a_member_of_another_branch_gets_404(self, client, world):
        other = plan(world, org=world.branch_b, actor=world.boss)
        client.force_login(world.dang)
        assert client.get(url("detail", other)).status_code == 404

    def test_the_quorum_verdict_names_its_rule(self, client, world):
        general = plan(world)
        services.attendance_set(
            actor=world.alice, activity=general, person=world.member_a.person, status="present"
        )
        client.force_login(world.bob)
        content = client.get(url("detail", general)).content.decode()
        assert "Quorum met" in content
        assert "Half or more of the voting members (支部条例 art. 11)" in content
        assert "1 of 2 voting (full) members present." in content

    def test_the_query_count_does_not_grow_with_attendance_and_agenda(self, client, world):
        general = plan(world)
        client.force_login(world.alice)
        with CaptureQueriesContext(connection) as small:
            assert client.get(url("detail", general)).status_code == 200
        for i in range(15):
            make_member(world.branch_a, name=f"党员{i}")
        bigger = plan(world, code="admission_meeting")
        for i in range(5):
            services.agenda_item_add(actor=world.alice, activity=bigger, topic=f"议题{i}")
            services.decision_add(
                actor=world.alice, activity=bigger, text=f"决议{i}", owner=world.member_a.person
            )
        with CaptureQueriesContext(connection) as large:
            assert client.get(url("detail", bigger)).status_code == 200
        assert Attendance.objects.filter(activity=bigger).count() == 17
        assert len(large.captured_queries) == len(small.captured_queries) <= 25


class TestWritesMatrix:
    """Every write view: anonymous → login, outsider → 404, read-only → 403, permitted → done + audit."""

    CASES = [
        ("edit", "post", {"title": "改名的支委会", "planned_start": "", "place": "二楼"}, "activity.update"),
        ("held", "post", {"minutes": "会议记录"}, "activity.record_held"),
        ("cancel", "post", {"reason": "停电"}, "activity.cancel"),
        ("agenda_add", "post", {"topic": "安全生产", "tags": ["safety"]}, "agenda.add"),
        ("decision_add", "post", {"text": "开展检查"}, "decision.add"),
    ]

    def _data(self, meeting, data):
        data = dict(data)
        if "planned_start" in data:
            data["planned_start"] = meeting.planned_start.astimezone().strftime("%Y-%m-%dT%H:%M")
        if data.get("minutes"):
            data["held_start"] = "2025-01-02T09:00"
        return data

    @pytest.mark.parametrize(("name", "method", "data", "action"), CASES)
    def test_the_matrix(self, client, world, meeting, name, method, data, action):
        target = url(name, meeting)
        data = self._data(meeting, data)
        response = client.post(target, data)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))
        client.force_login(world.charlie)
        assert client.post(target, data).status_code == 404
        client.force_login(world.bob)
        assert client.post(target, data).status_code == 403
        assert client.get(target).status_code == 403
        client.force_login(world.alice)
        assert client.get(target).status_code == 200
        response = client.post(target, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response.url.startswith(url("detail", meeting))
        assert AuditEvent.objects.filter(action=action, actor=world.alice).count() == 1

    def test_a_service_error_stays_on_the_form_with_the_typed_input(self, client, world, meeting):
        client.force_login(world.alice)
        response = client.post(
            url("held", meeting), {"held_start": "2999-01-01T09:00", "minutes": "我打的字"}
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert "cannot be recorded as held at a time in the future" in content
        assert "我打的字" in content
        assert Activity.objects.get().status == "planned"

    def test_the_plan_form(self, client, world):
        client.force_login(world.bob)
        assert client.get(reverse("activities:plan")).status_code == 403
        client.force_login(world.alice)
        assert client.get(reverse("activities:plan")).status_code == 200
        data = {
            "org": world.branch_a.pk,
            "kind": "theme_day",
            "planned_start": "2025-05-20T14:30",
            "place": "党员活动室",
        }
        from xianfeng.activities.models import ActivityKind

        data["kind"] = ActivityKind.objects.get(code="theme_day").pk
        response = client.post(reverse("activities:plan"), data)
        activity = Activity.objects.get()
        assert response.url == url("detail", activity)
        assert (activity.title, activity.place) == ("主题党日", "党员活动室")
        response = client.post(reverse("activities:plan"), data)
        assert "already recorded on 2025-05-20" in response.content.decode()
        assert Activity.objects.count() == 1

    def test_the_plan_form_offers_only_changeable_orgs(self, client, world):
        client.force_login(world.alice)
        response = client.get(reverse("activities:plan"))
        orgs = list(response.context["form"].fields["org"].queryset)
        assert world.branch_a in orgs and world.branch_b not in orgs


class TestAttendanceInline:
    def test_htmx_changes_one_row_and_the_summary(self, client, world, meeting):
        general = plan(world)
        client.force_login(world.alice)
        response = client.post(
            url("attendance", general),
            {"inline": "1", "person": world.member_a.person.code, "status": "present", "reason": ""},
            headers={"HX-Request": "true"},
        )
        content = response.content.decode()
        assert response.status_code == 200
        assert f'id="att-{world.member_a.person.code}"' in content
        assert 'id="attendance-summary" hx-swap-oob="true"' in content
        assert 'id="quorum-verdict" hx-swap-oob="true"' in content
        assert Attendance.objects.get(activity=general, person=world.member_a.person).status == "present"

    def test_an_error_is_shown_in_the_row_and_nothing_is_written(self, client, world):
        general = plan(world)
        client.force_login(world.alice)
        response = client.post(
            url("attendance", general),
            {"inline": "1", "person": world.member_a.person.code, "status": "leave", "reason": ""},
            headers={"HX-Request": "true"},
        )
        assert "Give the reason for the leave" in response.content.decode()
        assert Attendance.objects.get(activity=general, person=world.member_a.person).status == "expected"

    def test_adding_a_guest_with_the_plain_form(self, client, world):
        general = plan(world)
        guest = make_member(world.branch_a, name="积极分子", status="activist", admission_date=None)
        client.force_login(world.alice)
        response = client.post(url("attendance", general), {"person": guest.person.code, "status": "guest"})
        assert response.status_code == 302
        assert Attendance.objects.get(activity=general, person=guest.person).status == "guest"

    def test_adding_a_non_member_as_present_shows_the_rule(self, client, world):
        general = plan(world)
        applicant = make_member(world.branch_a, name="申请人", status="applicant", admission_date=None)
        client.force_login(world.alice)
        response = client.post(
            url("attendance", general), {"person": applicant.person.code, "status": "present"}
        )
        assert response.status_code == 200
        assert "not yet a party member" in response.content.decode()

    def test_access(self, client, world):
        general = plan(world)
        data = {"inline": "1", "person": world.member_a.person.code, "status": "present"}
        client.force_login(world.bob)
        assert client.post(url("attendance", general), data).status_code == 403
        client.force_login(world.charlie)
        assert client.post(url("attendance", general), data).status_code == 404
        client.force_login(world.dang)
        assert client.post(url("attendance", general), data).status_code == 403

    def test_removing_a_person(self, client, world):
        general = plan(world)
        client.force_login(world.alice)
        client.post(url("attendance_remove", general), {"person": world.member_a.person.code})
        assert not Attendance.objects.filter(activity=general, person=world.member_a.person).exists()


class TestAgendaDecisionsAttachments:
    @pytest.fixture(autouse=True)
    def _media(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path

    def test_edit_and_remove_an_agenda_item(self, client, world, meeting):
        item = services.agenda_item_add(actor=world.alice, activity=meeting, topic="旧议题")
        client.force_login(world.bob)
        assert client.post(url("agenda_remove", meeting, item.pk)).status_code == 403
        client.force_login(world.alice)
        client.post(url("agenda_edit", meeting, item.pk), {"topic": "新议题", "first_item": "on"})
        item.refresh_from_db()
        assert (item.topic, item.first_item) == ("新议题", True)
        client.post(url("agenda_remove", meeting, item.pk))
        assert not AgendaItem.objects.exists()

    def test_remove_a_decision(self, client, world, meeting):
        decision = services.decision_add(actor=world.alice, activity=meeting, text="决议")
        client.force_login(world.alice)
        client.post(url("decision_remove", meeting, decision.pk))
        assert not Decision.objects.exists()

    def test_upload_download_and_remove_a_file(self, client, world, meeting):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(world.alice)
        response = client.post(
            url("attachment_add", meeting), {"file": SimpleUploadedFile("签到表.pdf", PDF)}
        )
        assert response.status_code == 302
        attachment = Attachment.objects.get()
        client.force_login(world.bob)
        download = client.get(url("attachment", meeting, attachment.pk))
        assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
        assert download["Content-Type"] == "application/pdf"
        client.force_login(world.charlie)
        assert client.get(url("attachment", meeting, attachment.pk)).status_code == 404
        client.force_login(world.alice)
        client.post(url("attachment_remove", meeting, attachment.pk))
        assert not Attachment.objects.exists()

    def test_a_refused_upload_names_the_rule(self, client, world, meeting):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(world.alice)
        response = client.post(
            url("attachment_add", meeting), {"file": SimpleUploadedFile("virus.exe", b"MZ")}
        )
        assert response.status_code == 200
        assert "Only PDF" in response.content.decode()


class TestMeetingRecordDownload:
    def test_access_and_content(self, client, world, meeting):
        target = url("record", meeting)
        assert client.get(target).status_code == 302
        client.force_login(world.charlie)
        assert client.get(target).status_code == 404
        client.force_login(world.bob)
        response = client.get(target)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        assert "attachment" in response["Content-Disposition"]
        document = Document(io.BytesIO(response.content))
        assert document.paragraphs[0].text == "变电运维一班党支部支部委员会会议记录"
        assert AuditEvent.objects.filter(action="export.meeting_record", actor=world.bob).count() == 1

    def test_a_self_service_member_cannot_download_the_record(self, client, world):
        general = plan(world)
        client.force_login(world.dang)
        assert client.get(url("record", general)).status_code == 403


class TestEveryWriteEndpoint:
    """The remaining write endpoints: anonymous → login, outsider → 404, read-only → 403, member → 403."""

    @pytest.fixture
    def targets(self, world, meeting, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path
        from django.core.files.uploadedfile import SimpleUploadedFile

        item = services.agenda_item_add(actor=world.alice, activity=meeting, topic="议题")
        decision = services.decision_add(actor=world.alice, activity=meeting, text="决议")
        attachment = services.attachment_add(
            actor=world.alice, activity=meeting, upload=SimpleUploadedFile("a.pdf", PDF)
        )
        person = {"person": world.member_a.person.code}
        return [
            (url("attendance", meeting), {**person, "status": "present"}),
            (url("attendance_remove", meeting), person),
            (url("agenda_edit", meeting, item.pk), {"topic": "x"}),
            (url("agenda_remove", meeting, item.pk), {}),
            (url("decision_remove", meeting, decision.pk), {}),
            (url("attachment_add", meeting), {}),
            (url("attachment_remove", meeting, attachment.pk), {}),
        ]

    def test_the_matrix(self, client, world, meeting, targets):
        for target, data in targets:
            client.logout()
            response = client.post(target, data)
            assert response.status_code == 302 and response.url.startswith(reverse("login")), target
            for user, status in ((world.charlie, 404), (world.bob, 403), (world.dang, 403)):
                client.force_login(user)
                assert client.post(target, data).status_code == status, (target, user)
        assert AgendaItem.objects.count() == Decision.objects.count() == Attachment.objects.count() == 1
