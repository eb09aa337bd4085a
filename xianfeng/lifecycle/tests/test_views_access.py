"""The access matrix of every lifecycle page: anonymous → login; charlie (branch B admin) on branch A's
records → 404; bob (viewer of A) → 200 on reads, 403 on writes; alice (branch A admin) → allowed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from xianfeng.lifecycle import services
from xianfeng.lifecycle.models import MobileRecord, RewardPunishment, Suspension, TransferLetter
from xianfeng.lifecycle.tests.helpers import TODAY, away, days_ago, issue, suspend

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(world):
    """An open letter, a time away, a suspension and a reward of branch A's member 张三."""
    issue(world.member_a, issue_date=days_ago(5))
    away(world.member_a)
    suspend(world.member_a)
    services.info_add(
        actor=None,
        membership=world.member_a,
        kind="rewards",
        data={"category": "reward", "date": TODAY, "title": "先进个人", "granted_by": "党委"},
    )
    return world


def write_urls(world):
    m = world.member_a.code
    letter = TransferLetter.objects.get().code
    record = MobileRecord.objects.get().code
    suspension = Suspension.objects.get().code
    reward = RewardPunishment.objects.get().code
    return [
        reverse("lifecycle:letter_out", args=[m]),
        reverse("lifecycle:letter_in", args=[m]),
        reverse("lifecycle:mobile_start", args=[m]),
        reverse("lifecycle:suspension_start", args=[m]),
        reverse("lifecycle:info_add", args=[m, "family"]),
        reverse("lifecycle:letter_receive", args=[letter]),
        reverse("lifecycle:letter_return", args=[letter]),
        reverse("lifecycle:mobile_contact", args=[record]),
        reverse("lifecycle:mobile_return", args=[record]),
        reverse("lifecycle:mobile_update", args=[record]),
        reverse("lifecycle:suspension_restore", args=[suspension]),
        reverse("lifecycle:suspension_remove", args=[suspension]),
        reverse("lifecycle:info_edit", args=["rewards", reward]),
        reverse("lifecycle:info_remove", args=["rewards", reward]),
        reverse("lifecycle:letter_in_new") + f"?org={world.branch_a.pk}",
    ]


def read_urls(world):
    org = f"?org={world.branch_a.pk}"
    return [
        reverse("lifecycle:letters") + org,
        reverse("lifecycle:mobile") + org,
        reverse("lifecycle:suspensions") + org,
        reverse("lifecycle:medal") + org,
        reverse("people:detail", args=[world.member_a.code]),
    ]


def test_anonymous_users_are_sent_to_login(client, records):
    for url in [*write_urls(records), *read_urls(records), reverse("lifecycle:medal_export")]:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code == 302 and reverse("login") in response["Location"], url


def test_the_admin_of_the_sibling_branch_gets_404(client, records):
    client.force_login(records.charlie)
    export = reverse("lifecycle:medal_export") + f"?org={records.branch_a.pk}"
    for url in [*write_urls(records), *read_urls(records), export]:
        assert client.get(url).status_code == 404, url
    for url in write_urls(records):
        assert client.post(url, {"received_date": TODAY.isoformat()}).status_code == 404, url


def test_the_viewer_reads_but_cannot_write(client, records):
    client.force_login(records.bob)
    for url in read_urls(records):
        assert client.get(url).status_code == 200, url
    for url in write_urls(records):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"received_date": TODAY.isoformat()}).status_code == 403, url
    assert client.get(reverse("lifecycle:medal_export") + f"?org={records.branch_a.pk}").status_code == 403
    assert TransferLetter.objects.get().status == "issued"
    assert RewardPunishment.objects.exists()


def test_the_branch_admin_may_do_everything(client, records):
    client.force_login(records.alice)
    for url in [*read_urls(records), *write_urls(records)]:
        assert client.get(url).status_code == 200, url
    response = client.get(reverse("lifecycle:medal_export") + f"?org={records.branch_a.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_member_with_only_the_self_service_role_has_no_org_pages(client, records):
    client.force_login(records.dang)
    for name in ("lifecycle:letters", "lifecycle:mobile", "lifecycle:suspensions", "lifecycle:medal"):
        assert client.get(reverse(name)).status_code == 403


def test_bad_parameters_are_404_not_500(client, records):
    client.force_login(records.alice)
    assert client.get(reverse("lifecycle:letters"), {"org": "x"}).status_code == 404
    assert client.get(reverse("lifecycle:letter_in_new"), {"org": "x"}).status_code == 404
    m = records.member_a.code
    assert client.get(reverse("lifecycle:info_add", args=[m, "pets"])).status_code == 404
    reward = RewardPunishment.objects.get().code
    assert client.get(reverse("lifecycle:info_edit", args=["family", reward])).status_code == 404
    assert (
        client.get(reverse("lifecycle:medal"), {"org": records.branch_a.pk, "year": "abc"}).status_code == 200
    )
