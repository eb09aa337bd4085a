"""An org's page: data, term warning, members by status, post holders, history, action buttons."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from xianfeng.orgs import services
from xianfeng.orgs.choices import OrgType
from xianfeng.people import services as people_services
from xianfeng.people.choices import PoliticalStatus, Post
from xianfeng.testing import make_member, make_org


def _url(org):
    return reverse("orgs:detail", args=[org.pk])


def _term_started(years_ago: int, days: int = 0) -> dt.date:
    return timezone.localdate() - relativedelta(years=years_ago) + dt.timedelta(days=days)


def test_it_redirects_anonymous_to_login(client, world):
    response = client.get(_url(world.branch_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_an_org_from_an_outsider(client, world):
    client.force_login(world.charlie)
    assert client.get(_url(world.branch_a)).status_code == 404
    assert client.get(_url(world.group_a1)).status_code == 404


def test_it_shows_a_read_only_user_the_page_without_actions_or_history(client, world):
    client.force_login(world.bob)
    response = client.get(_url(world.branch_a))
    assert response.status_code == 200
    body = response.content.decode()
    assert world.branch_a.code in body
    assert reverse("orgs:edit", args=[world.branch_a.pk]) not in body
    assert reverse("orgs:dissolve", args=[world.branch_a.pk]) not in body
    assert "history" not in response.context


def test_it_shows_a_manager_the_actions_and_the_history(client, world):
    services.org_update(actor=world.boss, org=world.branch_a, data={"short_name": "一班"})
    client.force_login(world.boss)
    response = client.get(_url(world.branch_a))
    body = response.content.decode()
    for name in ("orgs:edit", "orgs:move", "orgs:dissolve"):
        assert reverse(name, args=[world.branch_a.pk]) in body
    assert f"{reverse('orgs:create')}?parent={world.branch_a.pk}" in body
    assert [event.action for event in response.context["history"]] == ["org.update", "org.create"]
    assert "一班" in body


def test_it_counts_members_by_status_with_links_to_the_member_list(client, world):
    make_member(world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=dt.date(2025, 7, 1))
    client.force_login(world.bob)
    response = client.get(_url(world.branch_a))
    counts = {row["status"]: row["count"] for row in response.context["status_counts"]}
    assert counts == {PoliticalStatus.PROBATIONARY: 1, PoliticalStatus.FULL: 2}
    assert (
        f"{reverse('people:list')}?org={world.branch_a.pk}&amp;status=probationary"
        in response.content.decode()
    )


def test_it_counts_party_group_members_in_their_group(client, world):
    people_services.membership_update(
        actor=None, membership=world.member_a, data={"party_group": world.group_a1}, reason="分组"
    )
    client.force_login(world.bob)
    response = client.get(_url(world.group_a1))
    assert response.context["members"] == 1
    assert [row["count"] for row in response.context["status_counts"]] == [1]


def test_it_lists_current_post_holders(client, world):
    people_services.post_assign(
        actor=None, person=world.member_a.person, org=world.branch_a, post=Post.SECRETARY,
        start_date=dt.date(2024, 3, 1),
    )  # fmt: skip
    client.force_login(world.bob)
    response = client.get(_url(world.branch_a))
    assert [h.person for h in response.context["posts"]] == [world.member_a.person]
    assert reverse("people:detail", args=[world.member_a.code]) in response.content.decode()


@pytest.mark.parametrize(
    ("started", "level", "css"),
    [
        (_term_started(3, days=30), "due", "xf-status-warn"),
        (_term_started(3, days=-10), "expired", "xf-status-bad"),
        (_term_started(1), "ok", "xf-status-ok"),
    ],
)
def test_it_flags_a_term_due_within_six_months_or_expired(client, world, started, level, css):
    org = make_org(world.general_branch, OrgType.BRANCH, term_start=started)
    client.force_login(world.boss)
    response = client.get(_url(org))
    assert response.context["term"].level == level
    assert css in response.content.decode()


@pytest.mark.parametrize("extra", [1, 5])
def test_it_uses_a_bounded_number_of_queries(client, world, django_assert_max_num_queries, extra):
    for n in range(extra):
        group = make_org(world.branch_a, OrgType.PARTY_GROUP)
        member = make_member(world.branch_a)
        people_services.post_assign(
            actor=None,
            person=member.person,
            org=group,
            post=Post.GROUP_LEADER,
            start_date=dt.date(2024, 1, n + 1),
        )
        services.org_update(actor=None, org=world.branch_a, data={"short_name": f"A{n}"})
    client.force_login(world.boss)
    with django_assert_max_num_queries(14):
        client.get(_url(world.branch_a))
