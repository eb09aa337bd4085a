"""attendance_mark_present: everyone still expected becomes present, one audit row each."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.activities import services
from xianfeng.activities.choices import AttendanceStatus
from xianfeng.activities.models import Attendance
from xianfeng.activities.tests.test_services_plan import plan
from xianfeng.core.models import AuditEvent


class TestMarkPresent:
    def test_it_marks_only_the_still_expected_and_keeps_leave(self, world):
        meeting = plan(world)
        services.attendance_set(
            actor=world.alice, activity=meeting, person=world.member_a.person, status="leave", reason="出差"
        )
        marked = services.attendance_mark_present(actor=world.alice, activity=meeting)
        statuses = dict(Attendance.objects.filter(activity=meeting).values_list("person__name", "status"))
        assert statuses == {"张三": AttendanceStatus.LEAVE, "王党员": AttendanceStatus.PRESENT}
        assert marked == 1

    def test_each_person_gets_an_audit_row_like_a_single_change(self, world):
        meeting = plan(world)
        services.attendance_mark_present(actor=world.alice, activity=meeting)
        events = AuditEvent.objects.filter(action="attendance.set", target_id=str(meeting.code))
        assert events.count() == Attendance.objects.filter(activity=meeting).count() == 2
        assert all(e.before == {"status": "expected"} and e.after == {"status": "present"} for e in events)

    def test_a_second_call_changes_nothing(self, world):
        meeting = plan(world)
        services.attendance_mark_present(actor=world.alice, activity=meeting)
        assert services.attendance_mark_present(actor=world.alice, activity=meeting) == 0

    def test_hours_only_for_kinds_that_count_them(self, world):
        meeting = plan(world)  # a general meeting: no study hours
        with pytest.raises(ValidationError) as err:
            services.attendance_mark_present(actor=world.alice, activity=meeting, hours=Decimal("2"))
        assert "hours" in err.value.message_dict
        assert not Attendance.objects.filter(activity=meeting, status=AttendanceStatus.PRESENT).exists()

    def test_a_viewer_cannot_mark(self, world):
        meeting = plan(world)
        with pytest.raises(PermissionDenied):
            services.attendance_mark_present(actor=world.bob, activity=meeting)
