"""The supervision API: the access matrix of every endpoint (anonymous, the outsider in the sibling
branch, a member without a role, the read-only viewer, the permitted), writes with nothing written on
refusal, and bounded queries on the lists."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.supervision.models import ItemStatus, RectificationStatus, TaskItem, WorkOrder
from xianfeng.supervision.tests.helpers import D
from xianfeng.supervision.tests.test_views import data  # noqa: F401  (the shared fixture)

P = "/api/v1/supervision/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


def who(world, name):
    return None if name is None else getattr(world, name)


READS = {
    "board": lambda w, d: f"{P}board?org={w.branch_a.pk}",
    "items": lambda w, d: f"{P}items?org={w.branch_a.pk}",
    "task-lists": lambda w, d: f"{P}task-lists?org={w.branch_a.pk}",
    "list-items": lambda w, d: f"{P}task-lists/{d.task_list.code}/items",
    "item": lambda w, d: f"{P}items/{d.item.code}",
    "batches": lambda w, d: f"{P}batches?org={w.branch_a.pk}",
    "rectifications": lambda w, d: f"{P}rectifications?org={w.branch_a.pk}",
    "counts": lambda w, d: f"{P}rectifications/counts?org={w.branch_a.pk}",
    "rectification": lambda w, d: f"{P}rectifications/{d.rect.code}",
    "orders": lambda w, d: f"{P}work-orders?org={w.branch_a.pk}",
    "order": lambda w, d: f"{P}work-orders/{d.order.code}",
    "responsibility": lambda w, d: f"{P}responsibility-lists?org={w.branch_a.pk}",
    "pledges": lambda w, d: f"{P}pledges?org={w.branch_a.pk}",
    "themes": lambda w, d: f"{P}themes?org={w.branch_a.pk}",
    "plans": lambda w, d: f"{P}plans?org={w.branch_a.pk}",
}
# anonymous, charlie (outsider), dang (member, owner of the item and problem), bob (viewer), alice (admin)
READ_MATRIX = {name: (401, 404, 403, 200, 200) for name in READS}
READ_MATRIX["item"] = (401, 404, 200, 200, 200)
READ_MATRIX["rectification"] = (401, 404, 200, 200, 200)


@pytest.mark.parametrize("name", sorted(READS))
def test_read_access_matrix(world, data, name):  # noqa: F811
    url = READS[name](world, data)
    for user, expected in zip((None, "charlie", "dang", "bob", "alice"), READ_MATRIX[name], strict=True):
        assert api(who(world, user)).get(url).status_code == expected, (name, user)


def test_mine_is_for_everyone_logged_in(world, data):  # noqa: F811
    assert api().get(f"{P}mine").status_code == 401
    body = api(world.dang).get(f"{P}mine").json()
    assert [i["code"] for i in body["tasks"]] == [str(data.item.code)]
    assert [r["code"] for r in body["rectifications"]] == [str(data.rect.code)]
    assert [p["title"] for p in body["pledges"]] == ["全面从严治党责任书"]
    assert [o["code"] for o in api(world.alice).get(f"{P}mine").json()["orders"]] == [str(data.order.code)]


class TestWrites:
    def test_progress_and_transitions(self, world, data):  # noqa: F811
        url = f"{P}items/{data.item.code}"
        assert api(world.charlie).post(url + "/progress", {"text": "x", "percent": 5}).status_code == 404
        assert api(world.bob).post(url + "/progress", {"text": "x", "percent": 5}).status_code == 403
        bad = api(world.dang).post(url + "/progress", {"text": "x", "percent": 150})
        assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "percent"
        assert (
            api(world.dang).post(url + "/progress", {"text": "已完成一半", "percent": 50}).status_code == 201
        )
        refused = api(world.dang).post(url + "/transition", {"action": "close"})
        assert refused.status_code == 403
        no_response = api(world.dang).post(url + "/transition", {"action": "report_done"})
        assert no_response.status_code == 400
        assert (
            api(world.dang)
            .post(url + "/transition", {"action": "report_done", "response": "完成"})
            .status_code
            == 200
        )
        closed = api(world.boss).post(url + "/transition", {"action": "close", "note": "同意"})
        assert closed.status_code == 200 and closed.json()["status"] == ItemStatus.CLOSED
        again = api(world.boss).post(url + "/transition", {"action": "return", "note": "x"})
        assert again.status_code == 400 and "closed" in again.json()["errors"][0]["message"]

    def test_item_with_a_deadline_before_the_issue_date(self, world, data):  # noqa: F811
        url = f"{P}task-lists/{data.task_list.code}/items"
        body = {"title": "x", "lead_org": world.branch_a.pk, "deadline": "2026-01-01"}
        assert api(world.alice).post(url, body, format="json").status_code == 403
        response = api(world.boss).post(url, body, format="json")
        assert response.status_code == 400 and response.json()["errors"][0]["field"] == "deadline"
        assert TaskItem.objects.count() == 1
        body["deadline"] = "2026-05-01"
        assert api(world.boss).post(url, body, format="json").status_code == 201

    def test_submit_and_verify(self, world, data):  # noqa: F811
        url = f"{P}rectifications/{data.rect.code}"
        assert api(world.dang).post(url + "/submit", {"evidence": "已整改"}).status_code == 200
        assert api(world.dang).post(url + "/verify", {"accept": True}).status_code == 403
        assert api(world.alice).post(url + "/verify", {"accept": True}).status_code == 403
        response = api(world.boss).post(url + "/verify", {"accept": True})
        assert response.status_code == 200 and response.json()["status"] == RectificationStatus.CLOSED

    def test_issue_needs_the_issuer_and_a_valid_deadline(self, world, data):  # noqa: F811
        issue = {
            "issuer_org": world.committee.pk,
            "recipient_org": world.branch_b.pk,
            "kind": "reminder",
            "reason": "上稿未达标",
            "deadline": "2000-01-01",
        }
        assert (
            api(world.alice).post(f"{P}work-orders", issue, format="json").status_code == 400
        )  # unseen issuer
        refused = api(world.boss).post(f"{P}work-orders", issue, format="json")
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "deadline"
        issue["deadline"] = "2099-01-01"
        assert api(world.boss).post(f"{P}work-orders", issue, format="json").status_code == 201

    def test_escalation_over_the_api(self, world, data):  # noqa: F811
        url = f"{P}work-orders/{data.order.code}"
        assert api(world.bob).post(url + "/respond", {"response": "x"}).status_code == 403
        escalated = api(world.boss).post(
            url + "/escalate", {"reason": "逾期", "deadline": "2099-01-01"}, format="json"
        )
        assert escalated.status_code == 201 and escalated.json()["kind"] == "notice"
        assert escalated.json()["previous"] == str(data.order.code)
        assert api(world.alice).post(url + "/respond", {"response": "x"}).status_code == 400
        assert WorkOrder.objects.count() == 2

    def test_pledge_acknowledged_by_the_signer_only(self, world, data):  # noqa: F811
        url = f"{P}pledges/{data.pledge.code}/acknowledge"
        assert api(world.alice).post(url).status_code == 400
        assert api(world.charlie).post(url).status_code == 404
        assert api(world.dang).post(url).status_code == 200


@pytest.mark.parametrize("name", ["items", "rectifications", "orders", "board"])
def test_list_queries_do_not_grow(world, data, name, django_assert_max_num_queries):  # noqa: F811
    from xianfeng.supervision.tests.helpers import item, rectification
    from xianfeng.testing import make_org

    client = api(world.boss)
    url = READS[name](world, data).replace(f"org={world.branch_a.pk}", f"org={world.committee.pk}")
    with django_assert_max_num_queries(30) as first:
        assert client.get(url).status_code == 200
    for i in range(4):
        branch = make_org(world.general_branch, name=f"扩展{i}")
        item(world, data.task_list, lead_org=branch, lead_person=None, deadline=D(2026, 3, 1))
        rectification(world, data.batch, responsible_org=branch, responsible_person=None)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get(url).status_code == 200


class TestRegistersOverTheApi:
    def test_lists_pledges_themes_and_plans(self, world, data):  # noqa: F811
        body = {
            "org": world.branch_a.pk,
            "year": 2026,
            "kind": "principal",
            "post": "secretary",
            "content": "一岗双责",
        }
        assert api(world.bob).post(f"{P}responsibility-lists", body, format="json").status_code == 403
        created = api(world.alice).post(f"{P}responsibility-lists", body, format="json")
        assert created.status_code == 201 and created.json()["lines"] == ["一岗双责"]
        assert (
            api(world.bob).get(f"{P}responsibility-lists?org={world.branch_a.pk}&year=2026").json()["count"]
            == 1
        )
        theme = {"org": world.committee.pk, "month": "2026-03-05", "theme": "党支部标准化建设月"}
        assert (
            api(world.alice).post(f"{P}themes", theme, format="json").status_code == 400
        )  # committee unseen
        saved = api(world.boss).post(f"{P}themes", theme, format="json")
        assert saved.status_code == 200 and saved.json()["month"] == "2026-03-01"
        plan = {
            "org": world.branch_a.pk,
            "kind": "weekly_summary",
            "period": "2026-03-12",
            "content": "完成自查",
        }
        assert api(world.alice).post(f"{P}plans", plan, format="json").json()["period"] == "2026-03-09"
        assert api(world.boss).get(f"{P}plans?org={world.committee.pk}&year=2026").json()["count"] == 1
        assert api(world.charlie).get(f"{P}plans?org={world.branch_b.pk}&year=2026").json()["count"] == 0
        pledge = {
            "org": world.branch_a.pk,
            "year": 2026,
            "title": "廉洁承诺书",
            "content": "x",
            "signer": str(world.member_b.person.code),
        }
        refused = api(world.alice).post(f"{P}pledges", pledge, format="json")
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "signer"

    def test_batches_and_problems(self, world, data):  # noqa: F811
        batch = {"org": world.committee.pk, "source": "audit", "title": "2026年经济责任审计"}
        created = api(world.boss).post(f"{P}batches", batch, format="json")
        assert created.status_code == 201
        url = f"{P}batches/{created.json()['code']}/rectifications"
        problem = {
            "problem": "x",
            "category": "other",
            "responsible_org": world.branch_b.pk,
            "deadline": "2000-01-01",
        }
        assert api(world.alice).post(url, problem, format="json").status_code == 404
        refused = api(world.boss).post(url, problem, format="json")
        assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "deadline"
        problem["deadline"] = None
        problem["immediate"] = True
        added = api(world.boss).post(url, problem, format="json")
        assert added.status_code == 201 and added.json()["immediate"] is True
        counts = api(world.boss).get(f"{P}rectifications/counts?org={world.committee.pk}").json()
        assert {c["category"]: c["problems"] for c in counts} == {"organizational": 1, "other": 1}
