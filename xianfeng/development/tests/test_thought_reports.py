"""Thought reports (思想汇报, MISC-05, a local rule): when the next one is due, recording and voiding
them with the access matrix, and the reminder on the board and the person's page."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from xianfeng.core.models import AuditEvent
from xianfeng.development import selectors, services
from xianfeng.development.models import ThoughtReport
from xianfeng.development.tests.builders import walk
from xianfeng.development.thought_reports import next_report
from xianfeng.people.choices import PoliticalStatus

D = dt.date


START = D(2026, 1, 31)


def person(status: str = PoliticalStatus.ACTIVIST, activist: dt.date | None = START, admission=None):
    return SimpleNamespace(status=status, activist_date=activist, admission_date=admission)


# --- When the next report is due (pure) ---------------------------------------------------------------


class TestNextReport:
    def test_first_report_is_due_one_interval_after_becoming_activist(self, settings):
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 3
        due = next_report(person(), None, kept=True)
        assert due is not None and due.due == D(2026, 4, 30) and due.rule == "MISC-05"  # 31 Jan + 3 months
        assert not due.overdue(D(2026, 4, 29)) and not due.overdue(D(2026, 4, 30))
        assert due.overdue(D(2026, 5, 1))

    def test_each_report_restarts_the_interval(self, settings):
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 3
        assert next_report(person(), D(2026, 3, 10), kept=True).due == D(2026, 6, 10)

    def test_probation_counts_from_acceptance_not_from_a_report_as_candidate(self, settings):
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 3
        m = person(PoliticalStatus.PROBATIONARY, admission=D(2026, 2, 1))
        assert next_report(m, D(2026, 1, 20), kept=True).due == D(2026, 5, 1)

    def test_the_interval_is_a_setting_and_zero_turns_it_off(self, settings):
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 1
        assert next_report(person(), None, kept=True).due == D(2026, 2, 28)  # month-end clamps
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 0
        assert next_report(person(), None, kept=True) is None

    def test_nobody_else_and_nobody_untracked_is_reminded(self, settings):
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 3
        assert next_report(person(PoliticalStatus.FULL), None, kept=True) is None
        assert next_report(person(PoliticalStatus.APPLICANT), None, kept=True) is None
        assert next_report(person(activist=None), None, kept=True) is None
        assert next_report(person(), None, kept=False) is None  # imported with old dates, nothing kept
        assert next_report(person(), D(2026, 2, 1), kept=False) is not None  # a report is kept

    @given(
        start=st.dates(D(2000, 1, 1), D(2090, 1, 1)),
        gap=st.integers(0, 2000),
        months=st.integers(1, 12),
    )
    def test_the_deadline_is_never_before_the_latest_report_or_start(self, start, gap, months):
        from django.test import override_settings

        with override_settings(XIANFENG_DEV_THOUGHT_REPORT_MONTHS=months):
            last = start + dt.timedelta(days=gap)
            due = next_report(person(activist=start), last, kept=True).due
        assert due > last and due > start


# --- Recording and voiding ---------------------------------------------------------------------------


@pytest.fixture
def activist(world):
    """An activist of branch A since 2021-04-10 with the activist step recorded."""
    return walk(world, until="activist_filed")


@pytest.mark.django_db
class TestRecording:
    def test_a_report_is_recorded_with_the_status_and_audited(self, world, activist):
        report = services.thought_report_record(
            actor=world.alice, membership=activist.person, received_on=D(2021, 7, 1), summary="学习体会"
        )
        assert report.status == PoliticalStatus.ACTIVIST and report.summary == "学习体会"
        assert AuditEvent.objects.filter(action="development.thought_report_record").count() == 1

    @pytest.mark.parametrize(
        ("day", "message"),
        [(D(2099, 1, 1), "future"), (D(2021, 3, 9), "before the written application")],
    )
    def test_bad_dates_are_refused_on_the_field(self, world, activist, day, message):
        with pytest.raises(ValidationError) as exc:
            services.thought_report_record(actor=world.alice, membership=activist.person, received_on=day)
        assert message in str(exc.value.message_dict["received_on"])
        assert not ThoughtReport.objects.exists()

    def test_the_day_of_the_application_is_accepted(self, world, activist):
        services.thought_report_record(
            actor=world.alice, membership=activist.person, received_on=D(2021, 3, 10)
        )
        assert ThoughtReport.objects.count() == 1

    def test_a_full_member_hands_in_no_report_here(self, world):
        with pytest.raises(ValidationError) as exc:
            services.thought_report_record(
                actor=world.alice, membership=world.member_a, received_on=D(2026, 1, 5)
            )
        assert "MISC-05" in str(exc.value)

    def test_outsiders_and_viewers_cannot_record(self, world, activist):
        for user in (world.charlie, world.bob):
            with pytest.raises(PermissionDenied):
                services.thought_report_record(
                    actor=user, membership=activist.person, received_on=D(2021, 7, 1)
                )
        assert not ThoughtReport.objects.exists()

    def test_voiding_needs_a_reason_and_keeps_the_report(self, world, activist):
        report = services.thought_report_record(
            actor=world.alice, membership=activist.person, received_on=D(2021, 7, 1)
        )
        with pytest.raises(ValidationError):
            services.thought_report_void(actor=world.alice, report=report, reason="  ")
        services.thought_report_void(actor=world.alice, report=report, reason="录错日期")
        report.refresh_from_db()
        assert report.voided and report.void_reason == "录错日期"
        with pytest.raises(ValidationError):
            services.thought_report_void(actor=world.alice, report=report, reason="again")


# --- Pages: the access matrix, the form, the reminder --------------------------------------------------


def urls(activist, report=None):
    record = reverse("development:report_record", args=[activist.person.code])
    void = reverse("development:report_void", args=[activist.person.code, report.code]) if report else None
    return record, void


@pytest.mark.django_db
class TestPages:
    @pytest.fixture
    def report(self, world, activist):
        return services.thought_report_record(
            actor=world.alice, membership=activist.person, received_on=D(2021, 7, 1)
        )

    def test_anonymous_outsider_and_viewer_change_nothing(self, client, world, activist, report):
        record, void = urls(activist, report)
        data = {"received_on": "2021-08-01"}
        response = client.post(record, data)
        assert response.status_code == 302 and reverse("login") in response["Location"]
        assert client.post(void, {"reason": "x"}).status_code == 302
        for user, status in ((world.charlie, 404), (world.dang, 403), (world.bob, 403)):
            client.force_login(user)
            assert client.post(record, data).status_code == status, user
            assert client.post(void, {"reason": "x"}).status_code == status, user
        assert ThoughtReport.objects.valid().count() == 1

    def test_the_branch_admin_records_and_voids_from_the_page(
        self, client, world, activist, report, settings
    ):
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 3
        record, void = urls(activist, report)
        client.force_login(world.alice)
        page = client.get(reverse("development:person", args=[activist.person.code])).content.decode()
        assert 'id="xf-reports"' in page and "2021-07-01" in page and 'data-step="thought_report"' in page
        response = client.post(record, {"received_on": "2021-09-30", "summary": "第三季度"})
        assert response.status_code == 302
        assert client.post(void, {"reason": "重复录入"}).status_code == 302
        assert list(ThoughtReport.objects.valid().values_list("received_on", flat=True)) == [D(2021, 9, 30)]

    def test_bad_input_is_shown_on_the_field_and_nothing_is_written(self, client, world, activist, report):
        record, _void = urls(activist, report)
        client.force_login(world.alice)
        response = client.post(record, {"received_on": "2099-01-01"})
        assert response.status_code == 400
        assert "future" in str(response.context["report_form"].errors["received_on"])
        assert ThoughtReport.objects.count() == 1

    def test_the_board_shows_a_missing_report_as_overdue(self, world, activist, settings):
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 3
        services.thought_report_record(
            actor=world.alice, membership=activist.person, received_on=D(2021, 7, 1)
        )
        board = selectors.board(world.alice, world.branch_a, D(2021, 10, 2))  # due 2021-10-01
        items = next(p for c in board.columns for p in c.people if p.membership == activist.person).next
        report = next(d for d in items if d.step.code == "thought_report")
        assert report.level == "overdue" and report.due == D(2021, 10, 1)
        on_time = selectors.board(world.alice, world.branch_a, D(2021, 10, 1))
        items = next(p for c in on_time.columns for p in c.people if p.membership == activist.person).next
        assert next(d for d in items if d.step.code == "thought_report").level == "soon"


# --- API ------------------------------------------------------------------------------------------------


def api_as(world, who):
    from rest_framework.test import APIClient

    from xianfeng.core.api_auth import token_issue

    client = APIClient()
    if who:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=getattr(world, who))[0]}")
    return client


def api_url(activist):
    return f"/api/v1/development/memberships/{activist.person.code}/thought-reports"


@pytest.mark.django_db
class TestApi:
    @pytest.mark.parametrize(
        ("who", "expected"), [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 200), ("alice", 200)]
    )
    def test_reading(self, world, activist, who, expected, settings):
        settings.XIANFENG_DEV_THOUGHT_REPORT_MONTHS = 3
        services.thought_report_record(
            actor=world.alice, membership=activist.person, received_on=D(2021, 7, 1)
        )
        response = api_as(world, who).get(api_url(activist))
        assert response.status_code == expected
        if expected == 200:
            body = response.json()
            assert [r["received_on"] for r in body["reports"]] == ["2021-07-01"]
            assert body["next_due"] == "2021-10-01"

    @pytest.mark.parametrize(
        ("who", "expected"), [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 403), ("alice", 201)]
    )
    def test_recording(self, world, activist, who, expected):
        response = api_as(world, who).post(api_url(activist), {"received_on": "2021-07-01"}, format="json")
        assert response.status_code == expected, response.content
        assert ThoughtReport.objects.count() == (1 if expected == 201 else 0)

    def test_a_refusal_names_the_field_and_writes_nothing(self, world, activist):
        response = api_as(world, "alice").post(
            api_url(activist), {"received_on": "2099-01-01"}, format="json"
        )
        assert response.status_code == 400
        assert [e["field"] for e in response.json()["errors"]] == ["received_on"]
        assert not ThoughtReport.objects.exists()

    @pytest.mark.parametrize(
        ("who", "expected"), [(None, 401), ("charlie", 404), ("dang", 403), ("bob", 403), ("alice", 200)]
    )
    def test_voiding(self, world, activist, who, expected):
        report = services.thought_report_record(
            actor=world.alice, membership=activist.person, received_on=D(2021, 7, 1)
        )
        response = api_as(world, who).post(
            f"/api/v1/development/thought-reports/{report.code}/void", {"reason": "录错"}, format="json"
        )
        assert response.status_code == expected
        report.refresh_from_db()
        assert report.voided is (expected == 200)
