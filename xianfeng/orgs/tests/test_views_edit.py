"""Editing an org's names, code, founding and term data through orgs.services.org_update."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.orgs import services
from xianfeng.orgs.models import Org


def _url(org):
    return reverse("orgs:edit", args=[org.pk])


def _data(org, **changes):
    data = {name: getattr(org, name) or "" for name in services.EDITABLE_FIELDS}
    return {**data, **changes}


def test_it_redirects_anonymous_to_login(client, world):
    response = client.get(_url(world.branch_a))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_an_org_from_an_outsider(client, world):
    client.force_login(world.charlie)
    assert client.get(_url(world.branch_a)).status_code == 404
    assert client.post(_url(world.branch_a), _data(world.branch_a, name="x")).status_code == 404


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_it_refuses_users_who_see_but_do_not_manage_the_org(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(_url(world.group_a1)).status_code == 403
    assert client.post(_url(world.group_a1), _data(world.group_a1, name="x")).status_code == 403
    assert Org.objects.get(pk=world.group_a1.pk).name == world.group_a1.name


def test_it_shows_the_current_values(client, world):
    client.force_login(world.boss)
    form = client.get(_url(world.branch_a)).context["form"]
    assert form.initial["code"] == world.branch_a.code
    assert form.initial["term_start"] == world.branch_a.term_start


def test_it_saves_and_audits_the_change(client, world):
    client.force_login(world.boss)
    response = client.post(_url(world.branch_a), _data(world.branch_a, short_name="一班", term_years=5))
    assert response.status_code == 302
    org = Org.objects.get(pk=world.branch_a.pk)
    assert (org.short_name, org.term_end) == ("一班", dt.date(2029, 3, 1))
    event = AuditEvent.objects.get(action="org.update", org=org)
    assert event.after == {"short_name": "一班", "term_years": 5, "term_end": "2029-03-01"}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"term_start": timezone.localdate() + dt.timedelta(days=1)}, "term_start"),
        ({"founded_date": "2024-06-01"}, "term_start"),  # the term cannot start before the founding
        ({"code": "TAKEN"}, "code"),
        ({"founded_date": "2024-13-01"}, "founded_date"),
    ],
)
def test_it_shows_rule_errors_under_the_field_and_writes_nothing(client, world, changes, field):
    Org.objects.filter(pk=world.branch_b.pk).update(code="TAKEN")
    client.force_login(world.boss)
    response = client.post(_url(world.branch_a), _data(world.branch_a, name="改名", **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert 'value="改名"' in response.content.decode()
    assert Org.objects.get(pk=world.branch_a.pk).name == world.branch_a.name
    assert not AuditEvent.objects.filter(action="org.update").exists()


def test_it_refuses_to_change_a_dissolved_org(client, world):
    services.org_dissolve(actor=None, org=world.group_a1, date=timezone.localdate(), reason="合并")
    client.force_login(world.boss)
    group = Org.objects.get(pk=world.group_a1.pk)
    response = client.post(_url(group), _data(group, name="复活"))
    assert response.context["form"].non_field_errors()
    assert Org.objects.get(pk=group.pk).name == group.name
