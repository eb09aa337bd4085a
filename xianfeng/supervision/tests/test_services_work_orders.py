from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.supervision import services
from xianfeng.supervision.models import OrderKind, WorkOrder
from xianfeng.supervision.signals import work_order_assessed
from xianfeng.supervision.tests.helpers import D


def issue(world, **extra):
    data = {
        "issuer_org": world.committee,
        "recipient_org": world.branch_a,
        "kind": OrderKind.REMINDER,
        "reason": "3月份上稿数量未达标",
        "deadline": D(2026, 3, 10),
        "issued_on": D(2026, 3, 1),
    }
    data.update(extra)
    return services.order_issue(actor=world.boss, **data)


class TestEscalation:
    def test_reminder_then_notice_then_assessment(self, world):
        seen = []

        def receiver(sender, order, actor, **kwargs):
            seen.append((order.kind, order.recipient_org_id, actor))

        work_order_assessed.connect(receiver)
        try:
            reminder = issue(world)
            with pytest.raises(ValidationError, match="escalate only after"):
                services.order_escalate(
                    actor=world.boss,
                    order=reminder,
                    reason="逾期",
                    deadline=D(2026, 3, 20),
                    on=D(2026, 3, 10),
                )
            notice = services.order_escalate(
                actor=world.boss,
                order=reminder,
                reason="逾期未反馈，予以通报",
                deadline=D(2026, 3, 20),
                on=D(2026, 3, 11),
            )
            assert notice.kind == OrderKind.NOTICE and notice.previous == reminder
            assert seen == []
            assessment = services.order_escalate(
                actor=world.boss,
                order=notice,
                reason="通报后仍未整改，纳入考核",
                deadline=D(2026, 3, 31),
                deduction=Decimal("2"),
                on=D(2026, 3, 21),
            )
            assert assessment.kind == OrderKind.ASSESSMENT and assessment.deduction == Decimal("2")
            assert seen == [(OrderKind.ASSESSMENT, world.branch_a.pk, world.boss)]
            with pytest.raises(ValidationError, match="last work order"):
                services.order_escalate(
                    actor=world.boss, order=assessment, reason="x", deadline=D(2026, 5, 1), on=D(2026, 4, 2)
                )
            with pytest.raises(ValidationError, match="was escalated"):
                services.order_respond(actor=world.alice, order=reminder, response="x")
        finally:
            work_order_assessed.disconnect(receiver)
        assert [o.number for o in WorkOrder.objects.order_by("pk")] == [
            "2026-TS-001",
            "2026-TB-001",
            "2026-KH-001",
        ]

    def test_an_answered_order_is_not_escalated(self, world):
        order = issue(world)
        services.order_respond(actor=world.alice, order=order, response="已补报上稿3篇")
        with pytest.raises(ValidationError, match="already been answered"):
            services.order_escalate(
                actor=world.boss, order=order, reason="x", deadline=D(2026, 4, 1), on=D(2026, 3, 20)
            )

    def test_bad_input_writes_nothing(self, world):
        with pytest.raises(ValidationError) as exc:
            issue(world, reason="", deadline=D(2026, 2, 1), recipient_org=world.committee)
        assert set(exc.value.message_dict) == {"reason", "deadline", "recipient_org"}
        assert not WorkOrder.objects.exists()

    def test_only_the_recipient_answers_and_only_the_issuer_issues(self, world):
        order = issue(world)
        with pytest.raises(PermissionDenied):
            services.order_respond(actor=world.charlie, order=order, response="x")
        with pytest.raises(PermissionDenied):
            services.order_issue(
                actor=world.alice,
                issuer_org=world.committee,
                recipient_org=world.branch_a,
                kind=OrderKind.REMINDER,
                reason="x",
                deadline=D(2026, 5, 1),
            )
