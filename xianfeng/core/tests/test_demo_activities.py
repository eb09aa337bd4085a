"""The demo's organizational life: a year of meetings, deliberately imperfect, audited, deterministic."""

import datetime as dt
import io
from collections import Counter
from contextlib import redirect_stdout

import pytest
from dateutil.relativedelta import relativedelta
from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import TestCase, override_settings

from xianfeng import demo
from xianfeng.activities.choices import ActivityStatus, AttendanceStatus
from xianfeng.activities.models import Activity, AgendaItem, Attendance, Decision
from xianfeng.compliance.engine import Scope, Status, findings
from xianfeng.compliance.models import ContactPoint, Notification
from xianfeng.compliance.rules import coded_findings
from xianfeng.compliance.selectors import expected_meetings
from xianfeng.core.context import request_context
from xianfeng.core.models import AuditEvent
from xianfeng.demo_activities import activity_rows
from xianfeng.orgs.models import Org

TODAY = dt.date(2025, 11, 19)  # a Wednesday in the fourth quarter: this year's 组织生活会 are under way
FIRST = dt.date(2024, 12, 1)  # the first month of the twelve


def held(code: str, org: Org | None = None):
    qs = Activity.objects.filter(kind__code=code, status=ActivityStatus.HELD)
    return qs.filter(org=org) if org is not None else qs


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class TestDemoActivities(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = io.StringIO()
        with redirect_stdout(out), request_context(source="command"):
            cls.result = demo.build_demo(today=TODAY)
        cls.output = out.getvalue()
        cls.root = cls.result.root
        cls.orgs = cls.result.orgs
        cls.chengdong = cls.orgs["chengdong"]
        cls.users = {u.username: u for u in get_user_model().objects.all()}

    def test_about_a_year_of_meetings_up_to_today_with_the_current_month_partly_done(self):
        activities = Activity.objects.all()
        assert 700 <= activities.count() <= 1200
        assert not activities.filter(status=ActivityStatus.CANCELLED).exists()
        held_days = [a.held_start.date() for a in activities.filter(status=ActivityStatus.HELD)]
        assert min(held_days) >= FIRST and max(held_days) < TODAY
        planned = activities.filter(status=ActivityStatus.PLANNED)
        assert 5 <= planned.count() <= 80
        assert all(a.planned_start.date() >= TODAY for a in planned)
        this_month = activities.filter(
            planned_start__date__gte=TODAY.replace(day=1), planned_start__date__lt=TODAY
        )
        assert this_month.filter(status=ActivityStatus.HELD).count() >= 10
        for code in (
            "theme_day",
            "committee_meeting",
            "general_meeting",
            "party_lecture",
            "group_meeting",
            "org_life_meeting",
            "member_appraisal",
            "party_committee_meeting",
            "central_group_study",
            "democratic_life_meeting",
            "contact_point_visit",
            "volunteer_service",
            "talk",
            "admission_meeting",
            "election_meeting",
        ):
            assert held(code).exists(), code
        assert "Organizational life:" in self.output and "attendance rows" in self.output

    def test_attendance_is_mostly_present_with_a_few_leaves_with_reasons_and_rare_absences(self):
        rows = Attendance.objects.filter(activity__status=ActivityStatus.HELD)
        counts = Counter(rows.values_list("status", flat=True))
        total = sum(counts.values())
        assert 7000 <= total <= 14000, counts
        assert counts[AttendanceStatus.EXPECTED] == 0  # every held meeting's list is complete
        assert counts[AttendanceStatus.PRESENT] > 0.9 * total
        assert 0.01 * total < counts[AttendanceStatus.LEAVE] < 0.08 * total
        assert 0 < counts[AttendanceStatus.ABSENT] < 0.02 * total
        assert counts[AttendanceStatus.GUEST] > 0
        reasons = set(rows.filter(status=AttendanceStatus.LEAVE).values_list("reason", flat=True))
        assert "" not in reasons and {"出差", "病假", "值班"} <= reasons
        lecture_hours = rows.filter(activity__kind__code="party_lecture", status=AttendanceStatus.PRESENT)
        assert set(lecture_hours.values_list("hours", flat=True)) == {2}
        quorum = held("party_committee_meeting").values_list("quorum_met", flat=True)
        assert set(quorum) == {True}

    def test_branches_meet_monthly_except_the_deliberate_gaps(self):
        months_past = 11  # the complete months before TODAY's
        for spec in demo.BRANCHES:
            org = self.orgs[spec.key]
            before = held("theme_day", org).filter(held_start__date__lt=TODAY.replace(day=1))
            expected = months_past - (2 if spec.key == "chengxi" else 0)
            assert before.count() == expected, spec.name
            committee = held("committee_meeting", org).filter(held_start__date__lt=TODAY.replace(day=1))
            assert committee.count() == months_past - (1 if spec.key == "wuzi" else 0), spec.name
            for group in self.result.groups[spec.key]:
                meetings = held("group_meeting", group).filter(held_start__date__lt=TODAY.replace(day=1))
                assert meetings.count() == months_past - (1 if spec.key == "wuzi" else 0), group.name
        wuzi = self.orgs["wuzi"]
        last_quarter = held("party_lecture", wuzi).filter(
            held_start__date__gte=dt.date(2025, 7, 1), held_start__date__lt=dt.date(2025, 10, 1)
        )
        assert not last_quarter.exists()

    def test_meetings_have_hosts_places_minutes_and_lectures_their_lecturers(self):
        for activity in held("theme_day")[:50]:
            assert activity.host_id and activity.place and "应到" in activity.minutes, activity
        secretary = demo.Post.SECRETARY
        committee_secretary = self.root.posts.get(post=secretary, end_date__isnull=True).person
        assert held("party_lecture").filter(lecturer=committee_secretary, org=self.chengdong).exists()
        assert not held("party_lecture").filter(lecturer__isnull=True).exists()
        service_days = held("theme_day").exclude(metrics={})
        assert service_days.count() >= 10
        assert all(a.metrics["people_served"] > 0 for a in service_days)
        assert all("service_hours" in a.metrics for a in held("volunteer_service"))

    def test_committee_meetings_study_the_first_item_first_and_flag_major_matters(self):
        for code in ("committee_meeting", "party_committee_meeting"):
            for activity in held(code):
                first = activity.agenda.order_by("order").first()
                assert first is not None and first.first_item and first.order == 1, activity
        major = AgendaItem.objects.filter(activity__kind__code="party_committee_meeting").exclude(
            major_matter=""
        )
        assert major.count() >= 5 and major.filter(prior_study=True).exists()
        tags = {tag for tags in AgendaItem.objects.values_list("tags", flat=True) for tag in tags}
        assert {"ideology", "organization", "safety", "business"} <= tags
        decisions = Decision.objects.all()
        assert decisions.count() >= 20
        assert decisions.filter(owner__isnull=False, deadline__isnull=False).count() >= 20
        assert decisions.filter(deadline__gt=TODAY).exists()

    def test_the_engine_finds_met_and_missed_obligations_for_the_committee(self):
        found = findings(scope=self.root, start=FIRST, end=TODAY, today=TODAY, evidence=False)
        statuses = Counter(f.status for f in found)
        assert statuses[Status.MET] > 500
        assert 3 <= statuses[Status.MISSED] <= 20, statuses
        missed = {(f.org_name, f.rule.split("/")[1]) for f in found if f.status == Status.MISSED}
        assert ("城西供电所党支部", "br13-theme-day-monthly") in missed
        assert ("物资供应党支部", "br12-branch-lecture-quarterly") in missed
        assert ("物资供应党支部", "br10-committee-meeting-monthly") in missed
        coded = coded_findings(scope=self.root, today=TODAY)
        absent = [f for f in coded if f.rule == "rule/absent_from_org_life"]
        assert [(f.org_name, f.status) for f in absent] == [("营销服务中心党支部", Status.OVERDUE)]

    def test_the_demo_branch_is_green_but_for_three_items_due_soon(self):
        scope = Scope.org_and_groups(self.chengdong)
        found = findings(scope=scope, start=FIRST, end=TODAY, today=TODAY, evidence=False)
        found += coded_findings(scope=scope, today=TODAY)
        statuses = Counter(f.status for f in found)
        assert statuses[Status.MISSED] == statuses[Status.OVERDUE] == 0, statuses
        # the year's 民主评议 under way, the talk with the new applicant, a work order awaiting a response
        due_soon = sorted(f.subject for f in found if f.status == Status.DUE_SOON)
        assert due_soon == ["member", "org", "supervision"], [
            (f.title, f.period_label) for f in found if f.is_open
        ]
        assert statuses[Status.MET] >= 60

    def test_dangyuan_expects_a_meeting_in_the_next_days(self):
        person = self.users["dangyuan"].person
        week_start = TODAY - dt.timedelta(days=TODAY.weekday())
        meetings = expected_meetings(person, week_start, week_start + dt.timedelta(days=6))
        assert meetings and all(m.planned_start.date() >= TODAY for m in meetings)
        assert any(m.kind.code == "theme_day" and m.planned_start.date() > TODAY for m in meetings)
        row = Attendance.objects.get(activity=meetings[0], person=person)
        assert row.status == AttendanceStatus.EXPECTED

    def test_two_leaders_have_contact_points_with_visits_they_hosted(self):
        points = ContactPoint.objects.select_related("person", "org")
        assert {p.org.name for p in points} == {"城东供电所党支部", "输电运检党支部"}
        for point in points:
            visits = held("contact_point_visit", point.org)
            assert visits.exists() and set(visits.values_list("host", flat=True)) == {point.person_id}
        found = findings(scope=self.root, start=TODAY, end=TODAY, today=TODAY, subjects=["contact_point"])
        assert {f.status for f in found} >= {Status.MET}

    def test_reminders_reached_the_demo_accounts(self):
        notified = set(Notification.objects.values_list("user__username", flat=True))
        assert {"zhibu", "dangwei"} <= notified

    def test_every_activity_write_is_audited_as_the_system(self):
        events = AuditEvent.objects.all()
        assert events.filter(action="activity.plan").count() == Activity.objects.count()
        assert events.filter(action="activity.record_held").count() == held_count()
        marked = Attendance.objects.exclude(status=AttendanceStatus.EXPECTED).count()
        assert events.filter(action="attendance.set").count() >= marked - held("talk").count() * 2
        assert events.filter(action="agenda.add").count() == AgendaItem.objects.count()
        activities = events.filter(
            action__in=["activity.plan", "activity.record_held", "attendance.set", "agenda.add"]
        )
        assert set(activities.values_list("actor_name", flat=True)) == {"system"}
        assert set(events.values_list("source", flat=True)) == {"command"}


def held_count() -> int:
    return Activity.objects.filter(status=ActivityStatus.HELD).count()


@pytest.mark.django_db
def test_the_organizational_life_is_the_same_on_every_run():
    today = dt.date(2026, 5, 13)  # a Wednesday outside the fourth quarter
    runs = []
    for _ in range(2):
        with transaction.atomic(), redirect_stdout(io.StringIO()):
            demo.build_demo(today=today)
            rows = activity_rows()
            attendance = sorted(
                Attendance.objects.values_list(
                    "activity__title", "activity__org__name", "person__name", "status"
                )
            )
            chengdong = Org.objects.get(name="城东供电所党支部")
            found = coded_findings(scope=Scope.org_and_groups(chengdong), today=today)
            runs.append((rows, attendance))
            transaction.set_rollback(True)
        absent = [f.status for f in found if f.rule == "rule/absent_from_org_life"]
        assert absent == [Status.DUE_SOON]  # a member on sick leave for 3½ months
    assert runs[0] == runs[1]
    assert len(runs[0][0]) > 700
    first = today.replace(day=1) - relativedelta(months=11)
    assert min(row[3] for row in runs[0][0]) >= first.isoformat()
