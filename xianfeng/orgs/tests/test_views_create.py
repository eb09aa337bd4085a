"""Creating an org under a parent: only through orgs.services.org_create, audited."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.orgs.choices import OrgType
from xianfeng.orgs.models import Org

CREATE = reverse("orgs:create")


def _data(**extra):
    return {"org_type": OrgType.PARTY_GROUP, "name": "第二党小组", "code": "NEW-01", **extra}


def _post(client, parent, data, **headers):
    return client.post(f"{CREATE}?parent={parent.pk}", data, **headers)


def test_it_redirects_anonymous_to_login(client, world):
    response = client.get(CREATE, {"parent": world.branch_a.pk})
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_it_hides_a_parent_from_an_outsider(client, world):
    client.force_login(world.charlie)
    assert client.get(CREATE, {"parent": world.branch_a.pk}).status_code == 404
    assert _post(client, world.branch_a, _data()).status_code == 404


@pytest.mark.parametrize("who", ["bob", "alice"])
def test_it_refuses_users_who_see_but_do_not_manage_the_parent(client, world, who):
    client.force_login(getattr(world, who))
    assert client.get(CREATE, {"parent": world.branch_a.pk}).status_code == 403
    assert _post(client, world.branch_a, _data()).status_code == 403
    assert not Org.objects.filter(code="NEW-01").exists()


def test_it_refuses_a_top_level_org_to_anyone_but_a_superuser(client, world):
    client.force_login(world.boss)
    assert client.get(CREATE).status_code == 403


def test_it_offers_only_the_types_allowed_under_the_parent(client, world):
    client.force_login(world.boss)
    response = client.get(CREATE, {"parent": world.branch_a.pk})
    assert [value for value, _label in response.context["form"].fields["org_type"].choices] == [
        OrgType.PARTY_GROUP
    ]


def test_it_creates_the_org_and_an_audit_event(client, world):
    client.force_login(world.boss)
    response = _post(client, world.branch_a, _data())
    org = Org.objects.get(code="NEW-01")
    assert response.status_code == 302
    assert response.url == reverse("orgs:detail", args=[org.pk])
    assert org.get_parent() == world.branch_a
    assert AuditEvent.objects.filter(action="org.create", org=org, actor=world.boss).exists()


def test_it_answers_htmx_with_a_client_redirect(client, world):
    client.force_login(world.boss)
    response = _post(client, world.branch_a, _data(), HTTP_HX_REQUEST="true")
    assert response.headers["HX-Redirect"] == reverse("orgs:detail", args=[Org.objects.get(code="NEW-01").pk])


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (_data(founded_date=timezone.localdate() + dt.timedelta(days=1)), "founded_date"),
        (_data(code="T-DUP"), "code"),
        (_data(org_type=OrgType.BRANCH), "org_type"),
        (_data(term_start="2024-01-01", term_years=3), "term_years"),
        (_data(name=""), "name"),
    ],
)
def test_it_shows_rule_errors_under_the_field_and_writes_nothing(client, world, data, field):
    Org.objects.filter(pk=world.group_a1.pk).update(code="T-DUP")
    client.force_login(world.boss)
    before = (Org.objects.count(), AuditEvent.objects.filter(action__startswith="org.").count())
    response = _post(client, world.branch_a, data, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.templates[0].name == "orgs/partials/form.html"
    assert f'value="{data["name"]}"' in response.content.decode()  # typed input is kept
    assert (Org.objects.count(), AuditEvent.objects.filter(action__startswith="org.").count()) == before
