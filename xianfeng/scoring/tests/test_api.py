"""The scoring API: the access matrix on every endpoint, writes through the services (one error shape),
409 on a stale grid cell, ranking visibility for members, query counts of the lists."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from xianfeng.core.api_auth import token_issue
from xianfeng.scoring import closing, services
from xianfeng.scoring.models import Entry
from xianfeng.scoring.tests.helpers import YEAR, branch_scheme, department_head, member_scheme

pytestmark = pytest.mark.django_db
URL = "/api/v1/scoring/"


def api(user=None):
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_issue(user=user)[0]}")
    return client


@pytest.fixture
def own(world):
    """Branch A's own points scheme, computed: branch B's administrator is an outsider to it."""
    scheme = services.scheme_create(
        actor=world.alice, org=world.branch_a, year=YEAR, template="member_points_3_2"
    )
    services.scheme_activate(actor=world.alice, scheme=scheme)
    closing.period_compute(actor=world.alice, period=scheme.periods.get())
    return scheme


def reads(scheme):
    period = scheme.periods.get()
    return [
        f"{URL}schemes/{scheme.pk}/",
        f"{URL}periods/{period.pk}/results/",
        f"{URL}periods/{period.pk}/ranking/",
    ]


@pytest.mark.parametrize("index", range(3))
def test_anonymous_gets_401(world, own, index):
    assert api().get(reads(own)[index]).status_code == 401


def test_anonymous_cannot_list_or_write(world, own):
    assert api().get(f"{URL}schemes/").status_code == 401
    assert api().get(f"{URL}entries/").status_code == 401
    assert api().post(f"{URL}entries/", {}).status_code == 401


@pytest.mark.parametrize("index", range(3))
def test_the_outsider_gets_404(world, own, index):
    assert api(world.charlie).get(reads(own)[index]).status_code == 404


def test_the_outsider_lists_neither_the_scheme_nor_its_entries(world, own):
    assert api(world.charlie).get(f"{URL}schemes/").json()["results"] == []
    assert api(world.charlie).get(f"{URL}entries/").json()["results"] == []


@pytest.mark.parametrize("index", range(3))
@pytest.mark.parametrize("user", ["bob", "alice", "boss"])
def test_permitted_users_read(world, own, index, user):
    assert api(getattr(world, user)).get(reads(own)[index]).status_code == 200


def test_the_read_only_user_cannot_write(world, own):
    period = own.periods.get()
    client = api(world.bob)
    item = own.dimensions.get(code="exemplary").items.get(code="volunteer")
    body = {
        "period": period.pk,
        "item": item.pk,
        "membership": str(world.member_a.code),
        "points": "1",
        "note": "x",
    }
    assert client.post(f"{URL}entries/", body, format="json").status_code == 403
    assert (
        client.post(f"{URL}periods/{period.pk}/close", {"action": "compute"}, format="json").status_code
        == 403
    )
    cell = {"dimension": "rating", "subject": str(world.member_a.code), "points": "5", "version": 0}
    assert client.post(f"{URL}periods/{period.pk}/cells", cell, format="json").status_code == 403
    assert not Entry.objects.exists()


def test_entry_maker_checker_over_the_api(world, own):
    period = own.periods.get()
    item = own.dimensions.get(code="exemplary").items.get(code="volunteer")
    body = {
        "period": period.pk,
        "item": item.pk,
        "membership": str(world.member_a.code),
        "points": "2",
        "note": "志愿服务",
    }
    created = api(world.alice).post(f"{URL}entries/", body, format="json")
    assert created.status_code == 201 and created.json()["status"] == "pending"
    pk = created.json()["id"]
    assert api(world.alice).post(f"{URL}entries/{pk}/approve", {}, format="json").status_code == 403
    approved = api(world.boss).post(f"{URL}entries/{pk}/approve", {}, format="json")
    assert approved.status_code == 200 and approved.json()["approved_by"] == "boss"


def test_bad_input_names_the_field(world, own):
    period = own.periods.get()
    item = own.dimensions.get(code="exemplary").items.get(code="volunteer")
    body = {
        "period": period.pk,
        "item": item.pk,
        "membership": str(world.member_a.code),
        "points": "9",
        "note": "x",
    }
    response = api(world.alice).post(f"{URL}entries/", body, format="json")
    assert response.status_code == 400 and [e["field"] for e in response.json()["errors"]] == ["points"]


def test_a_stale_cell_is_a_409_with_the_current_value(world):
    scheme = branch_scheme(world)
    period = scheme.periods.order_by("start").first()
    head = department_head(world, "ph", "党建部")
    body = {"dimension": "party", "subject": str(world.branch_a.pk), "points": "30", "version": 0}
    assert api(head).post(f"{URL}periods/{period.pk}/cells", body, format="json").status_code == 200
    stale = api(head).post(f"{URL}periods/{period.pk}/cells", {**body, "points": "10"}, format="json")
    assert stale.status_code == 409 and stale.json()["current"]["points"] == "30.00"


def test_close_over_the_api_and_a_locked_period_refuses_entries(world, own):
    period = own.periods.get()
    client = api(world.alice)
    assert (
        client.post(f"{URL}periods/{period.pk}/close", {"action": "lock"}, format="json").json()["state"]
        == "locked"
    )
    item = own.dimensions.get(code="exemplary").items.get(code="volunteer")
    body = {
        "period": period.pk,
        "item": item.pk,
        "membership": str(world.member_a.code),
        "points": "1",
        "note": "x",
    }
    refused = client.post(f"{URL}entries/", body, format="json")
    assert refused.status_code == 400 and refused.json()["errors"][0]["field"] == "period"
    reopen = client.post(f"{URL}periods/{period.pk}/close", {"action": "reopen"}, format="json")
    assert reopen.status_code == 400 and reopen.json()["errors"][0]["field"] == "reason"


@pytest.mark.parametrize(("visibility", "expected"), [("full", 3), ("own", 1), ("none", 0)])
def test_a_members_ranking_follows_the_schemes_visibility(world, visibility, expected):
    scheme = member_scheme(world)
    services.scheme_update(actor=world.boss, scheme=scheme, fields={"visibility": visibility})
    period = scheme.periods.get()
    closing.period_compute(actor=world.boss, period=period)
    url = f"{URL}periods/{period.pk}/ranking/"
    assert api(world.dang).get(url).json()["results"] == []  # not published yet
    closing.period_lock(actor=world.boss, period=period)
    closing.period_publish(actor=world.boss, period=period)
    rows = api(world.dang).get(url).json()["results"]
    assert len(rows) == expected
    if expected == 1:
        assert rows[0]["membership"] == str(world.dang_membership.code)


def test_lists_cost_the_same_queries_for_more_rows(world):
    scheme = member_scheme(world)
    period = scheme.periods.get()
    item = scheme.dimensions.get(code="exemplary").items.get(code="volunteer")
    services.entry_create(
        actor=world.boss,
        period=period,
        dimension=item.dimension,
        item=item,
        subject=world.member_a,
        points=1,
        note="x",
    )
    closing.period_compute(actor=world.boss, period=period)
    client = api(world.boss)

    def count(url):
        client.get(url)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    urls = [f"{URL}periods/{period.pk}/results/", f"{URL}entries/", f"{URL}schemes/{scheme.pk}/"]
    before = [count(u) for u in urls]
    for membership in (world.member_b, world.dang_membership):
        services.entry_create(
            actor=world.boss,
            period=period,
            dimension=item.dimension,
            item=item,
            subject=membership,
            points=1,
            note="x",
        )
    closing.period_compute(actor=world.boss, period=period)
    assert [count(u) for u in urls] == before


def test_the_outsider_can_neither_decide_nor_score_in_another_branchs_scheme(world, own):
    period = own.periods.get()
    item = own.dimensions.get(code="exemplary").items.get(code="volunteer")
    entry = services.entry_create(
        actor=world.alice,
        period=period,
        dimension=item.dimension,
        item=item,
        subject=world.member_a,
        points=1,
        note="x",
    )
    client = api(world.charlie)
    assert client.post(f"{URL}entries/{entry.pk}/approve", {}, format="json").status_code == 404
    cell = {"dimension": "rating", "subject": str(world.member_a.code), "points": "5", "version": 0}
    assert client.post(f"{URL}periods/{period.pk}/cells", cell, format="json").status_code == 404
    assert (
        client.post(f"{URL}periods/{period.pk}/close", {"action": "compute"}, format="json").status_code
        == 404
    )
    entry.refresh_from_db()
    assert entry.status == "pending"
