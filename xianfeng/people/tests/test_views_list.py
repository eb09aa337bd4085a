"""The member list: scope, filters, sorting, pagination, htmx partial and a bounded query count."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from xianfeng.people import services
from xianfeng.people.choices import PoliticalStatus, Post
from xianfeng.testing import make_member

URL = "/members/"
QUERY_BOUND = 13


def names(response):
    return [row.membership.person.name for row in response.context["rows"]]


def test_it_sends_anonymous_users_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_lists_the_members_of_the_users_subtree_only(client, world):
    client.force_login(world.alice)
    response = client.get(URL)
    assert response.status_code == 200
    assert sorted(names(response)) == sorted(["张三", "王党员"])
    assert "李四" not in response.content.decode()


def test_it_shows_an_outsider_none_of_the_other_branchs_members(client, world):
    client.force_login(world.charlie)
    assert names(client.get(URL)) == ["李四"]


def test_it_sends_self_service_members_to_their_own_record(client, world):
    client.force_login(world.dang)
    response = client.get(URL)
    assert response.status_code == 302
    assert response.url == reverse("people:me")


def test_it_masks_phone_numbers_and_links_rows_to_detail_pages(client, world):
    member = make_member(world.branch_a, name="电话人", phone="13812345678")
    client.force_login(world.bob)
    content = client.get(URL).content.decode()
    assert "138****5678" in content
    assert "13812345678" not in content
    assert reverse("people:detail", args=[member.code]) in content


def test_it_filters_by_name_status_org_and_post(client, world):
    applicant = make_member(world.branch_b, name="申请人", status=PoliticalStatus.APPLICANT)
    services.post_assign(
        actor=None,
        person=world.member_a.person,
        org=world.branch_a,
        post=Post.SECRETARY,
        start_date=dt.date(2024, 3, 1),
    )
    client.force_login(world.boss)
    assert names(client.get(URL, {"q": "张"})) == ["张三"]
    assert names(client.get(URL, {"status": ["applicant", "candidate"]})) == [applicant.person.name]
    assert sorted(names(client.get(URL, {"org": world.branch_b.pk}))) == ["李四", "申请人"]
    assert names(client.get(URL, {"post": Post.SECRETARY})) == ["张三"]


def test_it_finds_a_member_by_full_id_number(client, world):
    client.force_login(world.alice)
    assert names(client.get(URL, {"q": world.member_a.person.id_number})) == ["张三"]


def test_it_shows_members_who_left_only_when_asked(client, world):
    services.member_leave(actor=None, membership=world.member_a, reason="death", date=dt.date(2025, 1, 2))
    client.force_login(world.alice)
    assert names(client.get(URL)) == ["王党员"]
    assert names(client.get(URL, {"current": "no"})) == ["张三"]
    assert len(names(client.get(URL, {"current": "all"}))) == 2


def test_it_offers_only_visible_orgs_in_the_org_filter(client, world):
    client.force_login(world.alice)
    options = dict(client.get(URL).context["org_options"])
    assert set(options) == {world.branch_a.pk, world.group_a1.pk}


def test_it_sorts_by_whitelisted_columns_only(client, world):
    client.force_login(world.boss)
    assert names(client.get(URL, {"sort": "age"})) == ["王党员", "李四", "张三"]  # youngest first
    assert names(client.get(URL, {"sort": "-age"})) == ["张三", "李四", "王党员"]
    by_name = names(client.get(URL, {"sort": "name"}))
    assert names(client.get(URL, {"sort": "-name"})) == by_name[::-1]
    response = client.get(URL, {"sort": "person__id_number_hash"})
    assert response.status_code == 200
    assert response.context["sort"] == ""


def test_it_paginates_by_fifty(client, world):
    for index in range(50):
        make_member(world.branch_a, name=f"成员{index:02d}")
    client.force_login(world.alice)
    first = client.get(URL)
    assert len(first.context["rows"]) == 50
    assert first.context["page"].paginator.num_pages == 2
    assert len(client.get(URL, {"page": 2}).context["rows"]) == 2


def test_it_renders_only_the_table_for_htmx(client, world):
    client.force_login(world.alice)
    response = client.get(URL, {"q": "张"}, headers={"HX-Request": "true", "HX-Target": "member-table"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "<table" in content
    assert 'hx-swap-oob="true"' in content


def test_it_links_export_with_the_current_query(client, world):
    try:
        reverse("people_io:export")
    except NoReverseMatch:
        pytest.skip("people_io:export is not installed yet")
    client.force_login(world.alice)
    content = client.get(URL, {"q": "张", "status": "full"}).content.decode()
    assert "export/?q=%E5%BC%A0&amp;status=full" in content
    partial = client.get(
        URL, {"status": "probationary"}, headers={"HX-Request": "true", "HX-Target": "member-table"}
    )
    assert "export/?status=probationary" in partial.content.decode()  # swapped out of band


def test_it_hides_export_from_users_without_the_right(client, world):
    client.force_login(world.bob)
    assert 'id="export-link"' not in client.get(URL).content.decode()


def _add_members(world, count):
    for index in range(count):
        membership = make_member(world.branch_a, name=f"批量{index:02d}", phone=f"1381234{index:04d}")
        if index == 0:
            org, post = world.group_a1, Post.GROUP_LEADER
        elif index % 2 == 0:
            org, post = world.branch_a, Post.COMMITTEE_MEMBER
        else:
            continue
        services.post_assign(
            actor=None, person=membership.person, org=org, post=post, start_date=dt.date(2024, 1, 1)
        )


def _queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries), len(response.context["rows"])


@pytest.mark.parametrize("count", [5, 30])
def test_it_runs_a_bounded_number_of_queries(client, world, count):
    _add_members(world, count)
    client.force_login(world.boss)
    queries, rows = _queries(client, URL + "?sort=key_date")
    assert rows == count + 3
    assert queries <= QUERY_BOUND


def test_it_runs_the_same_queries_for_5_and_30_members(client, world):
    client.force_login(world.alice)
    _add_members(world, 5)
    few, _rows = _queries(client, URL)
    for index in range(25):
        make_member(world.branch_a, name=f"追加{index:02d}", phone=f"1391234{index:04d}")
    many, rows = _queries(client, URL)
    assert rows == 32
    assert few == many


class TestOrgFilterOptions:
    def test_it_offers_three_levels_below_the_users_top_org(self, client, world):
        from xianfeng.orgs.choices import OrgType
        from xianfeng.testing import make_org

        deep = make_org(world.group_a1.get_parent(), OrgType.PARTY_GROUP, "第二党小组")
        client.force_login(world.boss)
        options = dict(client.get("/members/").context["org_options"])
        assert world.committee.pk in options and world.branch_a.pk in options  # three levels
        assert world.group_a1.pk not in options and deep.pk not in options  # fourth level

    def test_it_caps_the_number_of_options(self, client, world, monkeypatch):
        from xianfeng.people import views

        monkeypatch.setattr(views, "ORG_OPTION_LIMIT", 2)
        client.force_login(world.boss)
        options = dict(client.get(f"/members/?org={world.branch_b.pk}").context["org_options"])
        assert world.committee.pk in options and world.branch_b.pk in options  # selected is always offered
        assert world.branch_a.pk not in options
