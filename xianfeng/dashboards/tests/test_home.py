"""The home dashboard: figures for the user's visible scope, charts with their tables, expiring terms."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.selectors import expiring_terms
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member, make_org

HOME = reverse("dashboards:home")


def _status(response):
    return {row["key"]: row["count"] for row in response.context["data"].by_status if row["count"]}


def test_it_redirects_anonymous_to_login(client, world):
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_sends_a_self_service_member_to_their_record(client, world):
    client.force_login(world.dang)
    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url == reverse("people:me")


@pytest.mark.parametrize(("who", "total"), [("boss", 3), ("bob", 2), ("charlie", 1)])
def test_it_counts_only_the_visible_scope(client, world, who, total):
    client.force_login(getattr(world, who))
    response = client.get(HOME)
    assert response.status_code == 200
    assert response.context["data"].total == total
    assert sum(row["count"] for row in response.context["data"].by_age) == total


def test_it_counts_by_status_and_links_to_the_filtered_member_list(client, world):
    make_member(world.branch_a, status=PoliticalStatus.ACTIVIST)
    client.force_login(world.bob)
    response = client.get(HOME)
    assert _status(response) == {PoliticalStatus.ACTIVIST: 1, PoliticalStatus.FULL: 2}
    assert f"{reverse('people:list')}?status=activist" in response.content.decode()
    assert response.context["charts"]["status"]["links"][1] == f"{reverse('people:list')}?status=activist"


def test_it_leaves_out_members_who_left(client, world):
    from xianfeng.people import services as people_services

    people_services.member_leave(
        actor=None, membership=world.member_b, reason="death", date=timezone.localdate()
    )
    client.force_login(world.boss)
    assert client.get(HOME).context["data"].total == 2


def test_it_counts_active_orgs_by_type(client, world):
    client.force_login(world.alice)
    types = {
        row["key"]: row["count"] for row in client.get(HOME).context["data"].orgs_by_type if row["count"]
    }
    assert types == {OrgType.BRANCH: 1, OrgType.PARTY_GROUP: 1}


def test_it_passes_the_chart_data_as_json(client, world):
    client.force_login(world.boss)
    body = client.get(HOME).content.decode()
    assert '<script id="xf-dashboard-data" type="application/json">' in body
    assert "vendor/echarts/echarts.min.js" in body
    assert "js/echarts-theme.js" in body


def test_it_lists_terms_due_within_six_months_or_expired(client, world):
    today = timezone.localdate()
    due = make_org(world.general_branch, OrgType.BRANCH, term_start=today - relativedelta(years=3, months=-2))
    later = make_org(world.general_branch, OrgType.BRANCH, term_start=today - relativedelta(years=1))
    client.force_login(world.boss)
    response = client.get(HOME)
    listed = [row["org"] for row in response.context["data"].expiring]
    assert due in listed
    assert later not in listed
    assert reverse("orgs:detail", args=[due.pk]) in response.content.decode()


def test_it_shows_ten_expiring_terms_and_links_to_all_of_them(client, world):
    already = len(expiring_terms(world.boss, timezone.localdate()))  # the world's own, by today's date
    for _ in range(11):
        make_org(world.general_branch, OrgType.BRANCH, term_start=dt.date(2023, 1, 1))
    client.force_login(world.boss)
    response = client.get(HOME)
    data = response.context["data"]
    assert (len(data.expiring), data.expiring_total) == (10, already + 11)
    assert f"{reverse('orgs:tree')}?term=due" in response.content.decode()


def test_it_tells_what_to_do_when_the_scope_is_empty(client, world):
    from xianfeng.core.models import RoleGrant
    from xianfeng.testing import make_user

    lonely = make_org(world.general_branch, OrgType.BRANCH)
    user = make_user("lonely", grants=[("viewer", lonely)])
    assert RoleGrant.objects.filter(user=user).exists()
    client.force_login(user)
    response = client.get(HOME)
    assert response.context["data"].total == 0
    assert reverse("orgs:tree") in response.content.decode()


@pytest.mark.parametrize("extra", [1, 12])
def test_it_uses_a_bounded_number_of_queries(client, world, django_assert_max_num_queries, extra):
    for n in range(extra):
        branch = make_org(world.general_branch, OrgType.BRANCH, term_start=dt.date(2023, 1, 1))
        make_member(branch, birth_date=dt.date(1960 + n, 1, 1))
    client.force_login(world.boss)
    with django_assert_max_num_queries(12):  # 6 for session, user, grants, own rows, bell; 6 for the figures
        response = client.get(HOME)
    assert len(response.context["data"].expiring) <= 10
