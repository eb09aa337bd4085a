"""督办 through the compliance engine: due soon and overdue on the Asia/Shanghai day boundary,
escalation to the issuing org, reminders on the engine's channels, bounded queries."""

from __future__ import annotations

import pytest
from django.core import mail

from xianfeng.compliance.engine import Status
from xianfeng.compliance.models import Notification
from xianfeng.compliance.notify import remind
from xianfeng.compliance.rules import coded_findings
from xianfeng.supervision import services
from xianfeng.supervision.models import OrderKind
from xianfeng.supervision.tests.helpers import D, item, rectification
from xianfeng.testing import make_org


def found(world, today, rule, org=None):
    return [f for f in coded_findings(scope=org or world.committee, today=today) if f.rule == f"rule/{rule}"]


class TestKeyTaskDeadlines:
    @pytest.mark.parametrize(
        ("today", "lead", "escalated"),
        [
            (D(2026, 6, 22), [], []),  # 8 days before: nothing yet
            (D(2026, 6, 23), [Status.DUE_SOON], []),  # 7 days before
            (D(2026, 6, 29), [Status.DUE_SOON], []),  # the day before
            (D(2026, 6, 30), [Status.DUE_SOON], []),  # on the deadline: still in time
            (D(2026, 7, 1), [Status.OVERDUE], [Status.OVERDUE]),  # the day after
        ],
    )
    def test_the_day_boundary(self, world, today, lead, escalated):
        item(world, deadline=D(2026, 6, 30))
        assert [f.status for f in found(world, today, "key_task_deadline")] == lead
        assert [f.org_id for f in found(world, today, "key_task_deadline")] == [world.branch_a.pk] * len(lead)
        assert [f.status for f in found(world, today, "key_task_escalated")] == escalated
        assert [f.org_id for f in found(world, today, "key_task_escalated")] == [world.committee.pk] * len(
            escalated
        )

    def test_a_closed_item_says_nothing(self, world):
        it = item(world, deadline=D(2026, 6, 30))
        services.progress_report(actor=world.dang, item=it, text="x", percent=50)
        services.item_report_done(actor=world.dang, item=it, response="完成")
        services.item_close(actor=world.boss, item=it)
        assert found(world, D(2026, 7, 5), "key_task_deadline") == []

    def test_escalation_waits_for_the_setting(self, world, settings):
        settings.XIANFENG_SUPERVISION_ESCALATE_DAYS = 3
        item(world, deadline=D(2026, 6, 30))
        assert found(world, D(2026, 7, 3), "key_task_escalated") == []
        assert len(found(world, D(2026, 7, 4), "key_task_escalated")) == 1

    def test_the_issuer_sees_the_escalation_in_its_own_scope(self, world):
        from xianfeng.compliance.engine import Scope

        item(world, deadline=D(2026, 6, 30))
        own = coded_findings(scope=Scope.org_and_groups(world.committee), today=D(2026, 7, 1))
        assert [f.rule for f in own if f.rule.startswith("rule/key_task")] == ["rule/key_task_escalated"]


class TestRectificationsAndOrders:
    def test_an_overdue_rectification_escalates(self, world):
        rectification(world, deadline=D(2026, 4, 30))
        assert [f.status for f in found(world, D(2026, 4, 30), "rectification_deadline")] == [Status.DUE_SOON]
        assert [f.status for f in found(world, D(2026, 5, 1), "rectification_deadline")] == [Status.OVERDUE]
        assert len(found(world, D(2026, 5, 1), "rectification_escalated")) == 1

    def test_submitted_evidence_stops_the_clock(self, world):
        r = rectification(world, deadline=D(2026, 4, 30))
        services.rectification_submit(actor=world.dang, item=r, evidence="已整改")
        assert found(world, D(2026, 5, 1), "rectification_deadline") == []

    def test_an_unanswered_order_is_reported_to_both_sides(self, world):
        services.order_issue(
            actor=world.boss,
            issuer_org=world.committee,
            recipient_org=world.branch_a,
            kind=OrderKind.REMINDER,
            reason="x",
            deadline=D(2026, 3, 10),
            issued_on=D(2026, 3, 1),
        )
        assert [f.org_id for f in found(world, D(2026, 3, 10), "work_order_response")] == [world.branch_a.pk]
        assert found(world, D(2026, 3, 10), "work_order_unanswered") == []
        assert [f.org_id for f in found(world, D(2026, 3, 11), "work_order_unanswered")] == [
            world.committee.pk
        ]


def test_reminders_reach_the_lead_org_and_the_issuer(world, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world.alice.email = "alice@example.com"
    world.alice.save()
    item(world, deadline=D(2026, 6, 30))
    remind(today=D(2026, 7, 1), webhook=False)
    assert Notification.objects.filter(user=world.alice, key__startswith="rule/key_task_deadline").exists()
    assert Notification.objects.filter(user=world.boss, key__startswith="rule/key_task_escalated").exists()
    assert any("Key task" in m.body or "重点任务" in m.body for m in mail.outbox)
    created = remind(today=D(2026, 7, 1), webhook=False).created
    assert created == 0  # idempotent


def test_the_coded_rules_stay_bounded_with_supervision_rows(world, django_assert_num_queries):
    item(world, deadline=D(2026, 3, 1))
    rectification(world, deadline=D(2026, 3, 1))
    with django_assert_num_queries(18) as first:
        coded_findings(scope=world.committee, today=D(2026, 3, 5))
    for i in range(4):
        branch = make_org(world.general_branch, name=f"扩展{i}")
        item(world, lead_org=branch, lead_person=None, deadline=D(2026, 3, 1))
        rectification(world, responsible_org=branch, responsible_person=None, deadline=D(2026, 3, 1))
    with django_assert_num_queries(len(first.captured_queries)):
        out = coded_findings(scope=world.committee, today=D(2026, 3, 5))
    assert len([f for f in out if f.rule == "rule/key_task_deadline"]) == 5


def test_overdue_supervision_items_do_not_lower_the_health_score(world):
    from xianfeng.compliance.selectors import health_check

    today = D(2026, 7, 1)
    before = health_check(world.branch_a, year=2026, today=today).score
    item(world, deadline=D(2026, 6, 30))
    rectification(world, deadline=D(2026, 4, 30))
    health = health_check(world.branch_a, year=2026, today=today)
    assert {f.rule for f in health.coded} >= {"rule/key_task_deadline", "rule/rectification_deadline"}
    assert health.score == before
