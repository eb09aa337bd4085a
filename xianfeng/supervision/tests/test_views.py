"""Every page: the access matrix (anonymous, an outsider in the sibling branch, a read-only viewer,
the people permitted), the writes through the forms, and bounded queries on the board and lists."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from xianfeng.supervision import services
from xianfeng.supervision.models import ItemStatus, OrderKind, RectificationStatus, TaskItem
from xianfeng.supervision.tests.helpers import D, batch, item, rectification, task_list
from xianfeng.testing import make_org


@dataclass
class Data:
    task_list: Any
    item: Any
    batch: Any
    rect: Any
    order: Any
    pledge: Any


@pytest.fixture
def data(world) -> Data:
    tl = task_list(world)
    it = item(world, tl)
    b = batch(world)
    r = rectification(world, b)
    order = services.order_issue(
        actor=world.boss,
        issuer_org=world.committee,
        recipient_org=world.branch_a,
        kind=OrderKind.REMINDER,
        reason="上稿未达标",
        deadline=D(2026, 3, 10),
        issued_on=D(2026, 3, 1),
    )
    pledge = services.pledge_issue(
        actor=world.alice,
        org=world.branch_a,
        year=2026,
        title="全面从严治党责任书",
        content="严格落实一岗双责",
        signer=world.dang_membership.person,
    )
    return Data(tl, it, b, r, order, pledge)


def _urls(world, d: Data) -> dict[str, str]:
    a = f"?org={world.branch_a.pk}"
    return {
        "board": reverse("supervision:board") + a,
        "lists": reverse("supervision:lists") + a,
        "items": reverse("supervision:items") + a,
        "list_detail": reverse("supervision:list_detail", args=[d.task_list.code]),
        "item": reverse("supervision:item", args=[d.item.code]),
        "item_progress": reverse("supervision:item_progress", args=[d.item.code]),
        "item_close": reverse("supervision:item_close", args=[d.item.code]),
        "list_create": reverse("supervision:list_create") + a,
        "item_add": reverse("supervision:item_add", args=[d.task_list.code]),
        "list_import": reverse("supervision:list_import", args=[d.task_list.code]),
        "list_export": reverse("supervision:list_export", args=[d.task_list.code]),
        "register": reverse("supervision:rectifications") + a,
        "rectification": reverse("supervision:rectification", args=[d.rect.code]),
        "rect_submit": reverse("supervision:rectification_submit", args=[d.rect.code]),
        "rect_verify": reverse("supervision:rectification_verify", args=[d.rect.code]),
        "rect_measures": reverse("supervision:rectification_measures", args=[d.rect.code]),
        "notice": reverse("supervision:notice", args=[d.batch.code]),
        "register_export": reverse("supervision:rectifications_export") + a,
        "orders": reverse("supervision:orders") + a,
        "order": reverse("supervision:order", args=[d.order.code]),
        "order_respond": reverse("supervision:order_respond", args=[d.order.code]),
        "order_escalate": reverse("supervision:order_escalate", args=[d.order.code]),
        "order_issue": reverse("supervision:order_issue") + a,
        "responsibility": reverse("supervision:responsibility") + a,
        "plans": reverse("supervision:plans") + a,
        "plan_save": reverse("supervision:plan_save") + a,
        "mine": reverse("supervision:mine"),
    }


# page → expected status for (charlie: outsider in branch B, bob: read-only on A, alice: admin of A,
# boss: committee admin, dang: member of A without a role, the owner of the key task and problem)
MATRIX: dict[str, tuple[int, int, int, int, int]] = {
    "board": (404, 200, 200, 200, 403),
    "lists": (404, 200, 200, 200, 403),
    "items": (404, 200, 200, 200, 403),
    "list_detail": (404, 200, 200, 200, 403),
    "item": (404, 200, 200, 200, 200),
    "item_progress": (404, 403, 200, 200, 200),
    "item_close": (404, 403, 403, 200, 403),
    "list_create": (404, 403, 200, 200, 403),
    "item_add": (404, 403, 403, 200, 403),
    "list_import": (404, 403, 403, 200, 403),
    "list_export": (404, 403, 403, 200, 403),
    "register": (404, 200, 200, 200, 403),
    "rectification": (404, 200, 200, 200, 200),
    "rect_submit": (404, 403, 200, 200, 200),
    "rect_verify": (404, 403, 403, 200, 403),
    "rect_measures": (404, 403, 200, 200, 200),
    "notice": (404, 200, 200, 200, 403),
    "register_export": (404, 403, 200, 200, 403),
    "orders": (404, 200, 200, 200, 403),
    "order": (404, 200, 200, 200, 403),
    "order_respond": (404, 403, 200, 200, 403),
    "order_escalate": (404, 403, 403, 200, 403),
    "order_issue": (404, 403, 200, 200, 403),
    "responsibility": (404, 200, 200, 200, 403),
    "plans": (404, 200, 200, 200, 403),
    "plan_save": (404, 403, 200, 200, 403),
    "mine": (200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("page", sorted(MATRIX))
def test_access_matrix(client, world, data, page):
    url = _urls(world, data)[page]
    response = client.get(url)
    assert response.status_code == 302 and "/login" in response["Location"], page
    for user, expected in zip(
        (world.charlie, world.bob, world.alice, world.boss, world.dang), MATRIX[page], strict=True
    ):
        client.force_login(user)
        assert client.get(url).status_code == expected, (page, user.username)


class TestWritesThroughThePages:
    def test_owner_reports_and_issuer_closes(self, client, world, data):
        client.force_login(world.dang)
        response = client.post(
            reverse("supervision:item_progress", args=[data.item.code]),
            {"text": "已召开1次", "percent": "60"},
        )
        assert response.status_code == 302
        client.post(reverse("supervision:item_done", args=[data.item.code]), {"response": "已召开2次"})
        data.item.refresh_from_db()
        assert data.item.status == ItemStatus.PENDING_CHECK
        client.force_login(world.boss)
        client.post(reverse("supervision:item_close", args=[data.item.code]), {"note": "同意"})
        data.item.refresh_from_db()
        assert data.item.status == ItemStatus.CLOSED

    def test_a_deadline_before_the_issue_date_shows_the_rule_and_writes_nothing(self, client, world, data):
        client.force_login(world.boss)
        response = client.post(
            reverse("supervision:item_add", args=[data.task_list.code]),
            {"title": "新任务", "lead_org": world.branch_a.pk, "deadline": "2026-01-01"},
        )
        assert response.status_code == 400
        assert "before the list was issued" in response.content.decode()
        assert TaskItem.objects.count() == 1

    def test_submit_and_verify_a_rectification(self, client, world, data):
        client.force_login(world.alice)
        response = client.post(
            reverse("supervision:rectification_submit", args=[data.rect.code]), {"evidence": ""}
        )
        assert response.status_code == 400
        client.post(
            reverse("supervision:rectification_submit", args=[data.rect.code]), {"evidence": "已整改"}
        )
        client.force_login(world.boss)
        client.post(
            reverse("supervision:rectification_verify", args=[data.rect.code]), {"decision": "accept"}
        )
        data.rect.refresh_from_db()
        assert data.rect.status == RectificationStatus.CLOSED

    def test_the_signer_acknowledges_the_pledge(self, client, world, data):
        client.force_login(world.alice)
        client.post(reverse("supervision:pledge_acknowledge", args=[data.pledge.code]))
        data.pledge.refresh_from_db()
        assert data.pledge.acknowledged_at is None
        client.force_login(world.dang)
        page = client.get(reverse("supervision:mine")).content.decode()
        assert "全面从严治党责任书" in page and str(data.item.code) in page and str(data.rect.code) in page
        client.post(reverse("supervision:pledge_acknowledge", args=[data.pledge.code]))
        data.pledge.refresh_from_db()
        assert data.pledge.acknowledged_at is not None

    def test_the_notice_is_a_docx(self, client, world, data):
        client.force_login(world.boss)
        response = client.get(reverse("supervision:notice", args=[data.batch.code]))
        assert response.content[:2] == b"PK"
        from io import BytesIO

        from docx import Document

        text = "\n".join(p.text for p in Document(BytesIO(response.content)).paragraphs)
        assert "整改通知单" in text and world.branch_a.name in text


class TestBoundedQueries:
    def _grow(self, world, n: int, tl, b) -> None:
        for i in range(n):
            branch = make_org(world.general_branch, name=f"扩展支部{i}")
            item(world, tl, lead_org=branch, lead_person=None, deadline=D(2026, 3, 1))
            rectification(world, b, responsible_org=branch, responsible_person=None)

    @pytest.mark.parametrize("page", ["board", "items", "register", "orders", "lists", "list_detail", "mine"])
    def test_the_queries_do_not_grow_with_the_rows(
        self, client, world, data, page, django_assert_max_num_queries
    ):
        client.force_login(world.boss)
        url = _urls(world, data)[page].replace(f"org={world.branch_a.pk}", f"org={world.committee.pk}")
        with django_assert_max_num_queries(40) as first:
            assert client.get(url).status_code == 200
        self._grow(world, 4, data.task_list, data.batch)
        with django_assert_max_num_queries(len(first.captured_queries)):
            assert client.get(url).status_code == 200


def test_milestones_are_marked_reached_by_the_owner(client, world):
    from xianfeng.supervision.models import Milestone

    tl = task_list(world)
    it = services.item_add(
        actor=world.boss,
        task_list=tl,
        data=services.ItemIn(
            title="x",
            lead_org=world.branch_a,
            deadline=D(2026, 6, 30),
            lead_person=world.dang_membership.person,
            milestones=[services.MilestoneIn(title="完成方案", due=D(2026, 3, 31))],
        ),
    )
    milestone = Milestone.objects.get()
    url = reverse("supervision:milestone_done", args=[it.code, milestone.pk])
    client.force_login(world.bob)
    assert client.post(url).status_code == 403
    client.force_login(world.dang)
    assert client.post(url).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on is not None
    assert "Reached" in client.get(reverse("supervision:item", args=[it.code])).content.decode()


def test_the_register_exports_what_it_shows(client, world, data):
    import io

    from openpyxl import load_workbook

    client.force_login(world.alice)
    response = client.get(reverse("supervision:rectifications_export") + f"?org={world.branch_a.pk}")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][3] == "问题" and rows[1][3] == data.rect.problem and len(rows) == 2
