from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.core.models import AuditEvent
from xianfeng.supervision import services
from xianfeng.supervision.models import ItemState, ItemStatus, ProgressReport, TaskItem
from xianfeng.supervision.services.tasks import TRANSITIONS
from xianfeng.supervision.tests.helpers import ISSUED, D, item, pdf, task_list


class TestLists:
    def test_a_list_has_categories_and_items_numbered_in_order(self, world):
        tl = task_list(world)
        first = item(world, tl)
        second = item(world, tl, title="第二项", category="组织建设")
        assert [c.name for c in tl.categories.all()] == ["党风廉政建设", "组织建设"]
        assert (first.number, second.number) == (1, 2)
        assert second.category.name == "组织建设"
        assert AuditEvent.objects.filter(action="supervision.item_add").count() == 2

    def test_a_deadline_before_the_issue_date_is_refused_and_nothing_written(self, world):
        tl = task_list(world)
        with pytest.raises(ValidationError) as exc:
            item(world, tl, deadline=ISSUED - D.resolution)
        assert "before the list was issued" in str(exc.value.message_dict["deadline"])
        assert not TaskItem.objects.exists()

    def test_the_lead_org_must_be_under_the_issuer(self, world):
        tl = services.task_list_create(
            actor=world.alice, org=world.branch_a, year=2026, title="支部清单", issued_on=ISSUED
        )
        with pytest.raises(ValidationError) as exc:
            services.item_add(
                actor=world.alice,
                task_list=tl,
                data=services.ItemIn(title="x", lead_org=world.branch_b, deadline=D(2026, 5, 1)),
            )
        assert "lead_org" in exc.value.message_dict

    def test_a_person_outside_the_issuer_is_refused(self, world):
        tl = services.task_list_create(
            actor=world.alice, org=world.branch_a, year=2026, title="支部清单", issued_on=ISSUED
        )
        with pytest.raises(ValidationError) as exc:
            services.item_add(
                actor=world.alice,
                task_list=tl,
                data=services.ItemIn(
                    title="x",
                    lead_org=world.branch_a,
                    deadline=D(2026, 5, 1),
                    lead_person=world.member_b.person,
                ),
            )
        assert "lead_person" in exc.value.message_dict

    def test_an_outsider_cannot_issue_a_list_or_add_items(self, world):
        with pytest.raises(PermissionDenied):
            services.task_list_create(
                actor=world.charlie, org=world.branch_a, year=2026, title="x", issued_on=ISSUED
            )
        tl = task_list(world)
        with pytest.raises(PermissionDenied):
            services.item_add(
                actor=world.bob,
                task_list=tl,
                data=services.ItemIn(title="x", lead_org=world.branch_a, deadline=D(2026, 5, 1)),
            )


class TestStatusMachine:
    def test_the_whole_path_to_closure(self, world):
        it = item(world)
        services.progress_report(actor=world.dang, item=it, text="已召开1次", percent=50, files=[pdf()])
        it.refresh_from_db()
        assert (it.status, it.percent) == (ItemStatus.IN_PROGRESS, 50)
        assert ProgressReport.objects.get().attachments.get().name == "evidence.pdf"
        services.item_report_done(actor=world.dang, item=it, response="已召开2次专题会议，记录附后")
        it.refresh_from_db()
        assert it.status == ItemStatus.PENDING_CHECK
        services.item_close(actor=world.boss, item=it, note="同意销号")
        it.refresh_from_db()
        assert it.status == ItemStatus.CLOSED and it.closed_by == world.boss

    def test_every_transition_not_in_the_machine_is_refused(self, world):
        assert TRANSITIONS[ItemStatus.CLOSED] == frozenset()
        it = item(world)
        with pytest.raises(ValidationError, match="has not started"):
            services.item_report_done(actor=world.dang, item=it, response="x")
        with pytest.raises(ValidationError, match="Only a task reported done"):
            services.item_close(actor=world.boss, item=it)
        with pytest.raises(ValidationError):
            services.item_return(actor=world.boss, item=it, note="x")
        services.progress_report(actor=world.alice, item=it, text="进行中", percent=10)
        with pytest.raises(ValidationError, match="Only a task reported done"):
            services.item_close(actor=world.boss, item=it)
        services.item_report_done(actor=world.alice, item=it, response="完成")
        with pytest.raises(ValidationError, match="waits for the issuer"):
            services.progress_report(actor=world.alice, item=it, text="再报", percent=100)
        services.item_close(actor=world.boss, item=it)
        for call in (
            lambda: services.progress_report(actor=world.alice, item=it, text="x", percent=1),
            lambda: services.item_report_done(actor=world.alice, item=it, response="x"),
            lambda: services.item_close(actor=world.boss, item=it),
            lambda: services.item_return(actor=world.boss, item=it, note="x"),
        ):
            with pytest.raises(ValidationError, match="closed"):
                call()

    def test_reporting_done_needs_a_response(self, world):
        it = item(world)
        services.progress_report(actor=world.dang, item=it, text="x", percent=90)
        with pytest.raises(ValidationError) as exc:
            services.item_report_done(actor=world.dang, item=it, response="  ")
        assert "response" in exc.value.message_dict
        it.refresh_from_db()
        assert it.status == ItemStatus.IN_PROGRESS

    def test_the_issuer_returns_with_a_note(self, world):
        it = item(world)
        services.progress_report(actor=world.dang, item=it, text="x", percent=90)
        services.item_report_done(actor=world.dang, item=it, response="完成")
        with pytest.raises(ValidationError):
            services.item_return(actor=world.boss, item=it, note="")
        services.item_return(actor=world.boss, item=it, note="缺少会议记录")
        it.refresh_from_db()
        assert it.status == ItemStatus.IN_PROGRESS and it.check_note == "缺少会议记录"

    def test_the_owner_cannot_close_their_own_task(self, world):
        it = item(world, lead_org=world.branch_a, lead_person=None)
        services.progress_report(actor=world.alice, item=it, text="x", percent=90)
        services.item_report_done(actor=world.alice, item=it, response="完成")
        with pytest.raises(PermissionDenied):  # alice changes branch A only, not the issuing committee
            services.item_close(actor=world.alice, item=it)

    def test_bad_percentages_are_refused(self, world):
        it = item(world)
        for bad in (-1, 101):
            with pytest.raises(ValidationError) as exc:
                services.progress_report(actor=world.dang, item=it, text="x", percent=bad)
            assert "percent" in exc.value.message_dict
        assert not ProgressReport.objects.exists()

    def test_a_wrong_file_type_writes_nothing(self, world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        it = item(world)
        with pytest.raises(ValidationError):
            services.progress_report(
                actor=world.dang, item=it, text="x", percent=5, files=[SimpleUploadedFile("a.exe", b"MZ...")]
            )
        assert not ProgressReport.objects.exists()

    def test_a_reader_or_outsider_cannot_report(self, world):
        it = item(world)
        for who in (world.bob, world.charlie):
            with pytest.raises(PermissionDenied):
                services.progress_report(actor=who, item=it, text="x", percent=5)


class TestOverdueOnTheDayBoundary:
    """Deadline 30 June: in time all of 30 June in Asia/Shanghai, overdue from 1 July 00:00 there."""

    @pytest.mark.parametrize(
        ("utc", "state"),
        [
            ("2026-06-29T16:00:00+00:00", ItemState.NOT_STARTED),  # 30 June 00:00 in Shanghai
            ("2026-06-30T15:59:59+00:00", ItemState.NOT_STARTED),  # 30 June 23:59:59 in Shanghai
            ("2026-06-30T16:00:00+00:00", ItemState.OVERDUE),  # 1 July 00:00 in Shanghai
            ("2026-07-02T03:00:00+00:00", ItemState.OVERDUE),
        ],
    )
    def test_the_state_follows_the_local_day(self, world, utc, state):
        import datetime as dt
        from unittest import mock

        from xianfeng.supervision import rules, selectors

        it = item(world)
        with mock.patch("django.utils.timezone.now", return_value=dt.datetime.fromisoformat(utc)):
            today = rules.today()
            assert it.state_on(today) == state
            overdue = list(selectors.items(world.boss, state="overdue", today=today))
            assert (it in overdue) == (state == ItemState.OVERDUE)


def test_whoever_reported_done_cannot_close(world):
    it = item(world)
    services.progress_report(actor=world.boss, item=it, text="代为报送", percent=90)
    services.item_report_done(actor=world.boss, item=it, response="完成")
    with pytest.raises(ValidationError, match="reported the task done"):
        services.item_close(actor=world.boss, item=it)
    services.item_close(actor=world.admin, item=it)
