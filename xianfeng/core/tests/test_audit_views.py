"""The audit log viewer: read-only, scoped to where the user may read the audit log, filterable."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.models import AuditEvent
from xianfeng.orgs import services

AUDIT = reverse("audit:list")


def _actions(response):
    return [event.action for event in response.context["events"]]


def test_it_redirects_anonymous_to_login(client, world):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["bob", "dang"])
def test_it_refuses_users_without_the_audit_right(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(AUDIT).status_code == 403


def test_it_shows_a_branch_admin_only_events_in_their_subtree(client, world):
    client.force_login(world.alice)
    response = client.get(AUDIT)
    assert response.status_code == 200
    orgs = {event.org for event in response.context["events"]}
    assert orgs == {world.branch_a, world.group_a1}


def test_it_shows_events_without_an_org_to_global_admins_only(client, world):
    client.force_login(world.admin)  # the login is an event without an org
    assert "auth.login" in _actions(client.get(AUDIT))
    client.force_login(world.boss)
    assert "auth.login" not in _actions(client.get(AUDIT))


def test_it_has_no_way_to_change_events(client, world):
    client.force_login(world.admin)
    count = AuditEvent.objects.count()
    assert client.post(AUDIT, {"action": "x"}).status_code == 405
    assert AuditEvent.objects.count() == count


def test_it_filters_by_action_prefix_actor_target_and_org(client, world):
    services.org_update(actor=world.boss, org=world.branch_a, data={"short_name": "一班"})
    client.force_login(world.admin)
    assert set(_actions(client.get(AUDIT, {"action": "org."}))) == {"org.create", "org.update"}
    assert _actions(client.get(AUDIT, {"actor": "bos"})) == ["org.update"]
    by_target = client.get(AUDIT, {"target": world.branch_b.name})
    assert {e.target_repr for e in by_target.context["events"]} == {world.branch_b.name}
    by_org = client.get(AUDIT, {"org": world.branch_a.pk, "action": "org."})
    assert {e.org for e in by_org.context["events"]} == {world.branch_a, world.group_a1}


def test_it_filters_by_date_range_and_rejects_a_reversed_one(client, world):
    today = timezone.localdate()
    client.force_login(world.admin)
    assert client.get(AUDIT, {"date_from": today, "date_to": today}).context["page"].paginator.count > 0
    tomorrow = today + dt.timedelta(days=1)
    assert client.get(AUDIT, {"date_from": tomorrow}).context["page"].paginator.count == 0
    response = client.get(AUDIT, {"date_from": today, "date_to": today - dt.timedelta(days=3)})
    assert "date_to" in response.context["form"].errors


def test_it_shows_before_and_after_as_a_diff_table(client, world):
    services.org_update(actor=world.boss, org=world.branch_a, data={"short_name": "一班"})
    client.force_login(world.admin)
    response = client.get(AUDIT, {"action": "org.update"}, HTTP_HX_REQUEST="true")
    assert response.templates[0].name == "core/partials/audit_results.html"
    [event] = response.context["events"]
    assert [(row["before"], row["after"]) for row in event.diff] == [("", "一班")]
    assert "一班" in response.content.decode()


def test_it_paginates(client, world):
    for n in range(60):
        audit.record(actor=None, action="test.bulk", org=world.branch_a, message=str(n))
    client.force_login(world.alice)
    first = client.get(AUDIT, {"action": "test."})
    assert (len(first.context["events"]), first.context["page"].paginator.num_pages) == (50, 2)
    second = client.get(AUDIT, {"action": "test.", "page": 2})
    assert len(second.context["events"]) == 10
    assert "action=test." in first.content.decode()


@pytest.mark.parametrize("events", [5, 40])
def test_it_uses_a_bounded_number_of_queries(client, world, django_assert_max_num_queries, events):
    for n in range(events):
        audit.record(actor=world.boss, action="test.bulk", org=world.group_a1, message=str(n))
    client.force_login(world.alice)
    with django_assert_max_num_queries(9):
        client.get(AUDIT)
