"""The demo's supervision data: the seed's key-task list, an inspection batch with verified and overdue
problems, the three work orders, pledges and themes; built through the services, in seconds."""

from __future__ import annotations

import time
from unittest import mock

from django.test import TestCase, override_settings
from django.utils import timezone

from xianfeng.supervision import demo as supervision_demo
from xianfeng.supervision import selectors
from xianfeng.supervision.models import (
    ItemStatus,
    MonthlyTheme,
    OrderKind,
    Pledge,
    Rectification,
    RectificationStatus,
    TaskItem,
    TaskList,
    WorkOrder,
)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class TestDemoSupervision(TestCase):
    @classmethod
    def setUpTestData(cls):
        from xianfeng.demo import build_demo

        cls.seconds = 0.0
        original = supervision_demo.build_demo

        def timed(*args, **kwargs):
            start = time.perf_counter()
            original(*args, **kwargs)
            cls.seconds = time.perf_counter() - start

        with mock.patch("xianfeng.demo.build_supervision_demo", timed), mock.patch("sys.stdout"):
            cls.result = build_demo()
        cls.today = timezone.localdate()

    def test_it_is_fast(self):
        assert 0 < self.seconds < 5

    def test_the_key_task_list_by_category(self):
        task_list = TaskList.objects.get()
        assert task_list.categories.count() == 5
        items = list(TaskItem.objects.filter(task_list=task_list))
        assert len(items) == 8
        statuses = {i.status for i in items}
        assert {ItemStatus.CLOSED, ItemStatus.PENDING_CHECK, ItemStatus.IN_PROGRESS} <= statuses
        assert any(i.state_on(self.today) == "overdue" for i in items)
        assert all(i.response for i in items if i.status == ItemStatus.CLOSED)

    def test_the_inspection_batch_has_verified_and_overdue_problems(self):
        rows = list(Rectification.objects.filter(batch__source="inspection"))
        states = [r.state_on(self.today) for r in rows]
        assert states.count("closed") == 2 and states.count("overdue") >= 2 and "submitted" in states
        assert any(r.immediate for r in rows)
        for r in rows:
            if r.status == RectificationStatus.CLOSED:
                assert r.verified_by_id != r.submitted_by_id
        counts = selectors.rectification_counts(org=self.result.root)
        assert sum(c.rectified for c in counts) == 2

    def test_the_three_work_orders_escalate(self):
        kinds = list(
            WorkOrder.objects.filter(previous__isnull=False).order_by("pk").values_list("kind", flat=True)
        )
        assert kinds == [OrderKind.NOTICE, OrderKind.ASSESSMENT]
        assert WorkOrder.objects.filter(responded_on__isnull=False).exists()

    def test_pledges_and_themes(self):
        assert Pledge.objects.filter(acknowledged_at__isnull=False).exists()
        assert Pledge.objects.filter(acknowledged_at__isnull=True).exists()
        assert MonthlyTheme.objects.filter(theme="党支部标准化建设月").exists()

    def test_the_demo_accounts_see_their_items(self):
        from django.contrib.auth import get_user_model

        zhibu = get_user_model().objects.get(username="zhibu")
        mine = selectors.mine(zhibu, self.today)
        assert mine.tasks and mine.rectifications and mine.orders
        dangwei = get_user_model().objects.get(username="dangwei")
        assert selectors.mine(dangwei, self.today).to_check
