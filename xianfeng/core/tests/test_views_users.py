"""系统设置 › 用户与角色: the pages, their access matrix and their forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from xianfeng.core.models import AuditEvent, RoleGrant
from xianfeng.core.roles import Role
from xianfeng.orgs.choices import OrgType
from xianfeng.testing import DEMO_PASSWORD, make_member, make_org, make_user

LIST = reverse("users:list")
CREATE = reverse("users:create")
STRONG = "Zhibu@2026x"


def _url(name, user, *extra):
    return reverse(f"users:{name}", args=[user.pk, *extra])


def _usernames(response):
    return [row.account.username for row in response.context["rows"]]


def _sub_committee(world):
    sub = make_org(world.committee, OrgType.COMMITTEE, "二级党委", term_start=dt.date(2024, 1, 1))
    branch = make_org(sub, OrgType.BRANCH, "二级党委第一支部", term_start=dt.date(2024, 1, 1))
    sub_boss = make_user("subboss", grants=[(Role.COMMITTEE_ADMIN, sub)])
    staff = make_user("zhaoliu", grants=[(Role.BRANCH_ADMIN, branch)])
    return sub, branch, sub_boss, staff


class TestAccess:
    @pytest.mark.parametrize("name", ["list", "create"])
    def test_anonymous_is_sent_to_login(self, client, world, name):
        response = client.get(reverse(f"users:{name}"))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_anonymous_is_sent_to_login_from_a_user_page(self, client, world):
        response = client.get(_url("detail", world.alice))
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    @pytest.mark.parametrize("who", ["alice", "bob", "charlie", "dang"])
    def test_users_without_manage_roles_are_refused_everywhere(self, client, world, who):
        client.force_login(getattr(world, who))
        assert client.get(LIST).status_code == 403
        assert client.get(CREATE).status_code == 403
        assert client.get(_url("detail", world.bob)).status_code == 403
        assert client.get(_url("password", world.bob)).status_code == 403
        assert client.post(_url("set_active", world.bob), {"active": "0"}).status_code == 403
        assert (
            client.post(_url("grant", world.bob), {"org": world.branch_a.pk, "role": "viewer"}).status_code
            == 403
        )
        world.bob.refresh_from_db()
        assert world.bob.is_active and RoleGrant.objects.filter(user=world.bob).count() == 1

    def test_the_navigation_offers_the_page_to_role_managers_only(self, client, world):
        client.force_login(world.alice)
        assert LIST not in client.get(reverse("people:list")).content.decode()
        client.force_login(world.boss)
        assert f'href="{LIST}"' in client.get(reverse("people:list")).content.decode()

    def test_a_sub_committee_admin_sees_only_accounts_in_their_subtree(self, client, world):
        _sub, _branch, sub_boss, staff = _sub_committee(world)
        client.force_login(sub_boss)
        assert _usernames(client.get(LIST)) == ["subboss", "zhaoliu"]
        for outsider in (world.alice, world.boss, world.admin, world.dang):
            assert client.get(_url("detail", outsider)).status_code == 404
            assert client.get(_url("password", outsider)).status_code == 404
            assert client.post(_url("unlock", outsider)).status_code == 404
        assert client.get(_url("detail", staff)).status_code == 200

    def test_a_user_page_of_a_more_powerful_account_is_read_only(self, client, world):
        client.force_login(world.boss)
        response = client.get(_url("detail", world.admin))
        assert response.status_code == 200 and response.context["manage_error"]
        assert _url("password", world.admin) not in response.content.decode()
        assert client.get(_url("password", world.admin)).status_code == 403
        assert client.post(_url("set_active", world.admin), {"active": "0"}).status_code == 403
        world.admin.refresh_from_db()
        assert world.admin.is_active


class TestList:
    def test_it_lists_accounts_with_their_roles_member_and_status(self, client, world):
        client.force_login(world.boss)
        response = client.get(LIST)
        assert response.status_code == 200
        assert _usernames(response) == ["admin", "alice", "bob", "boss", "charlie", "dang"]
        html = response.content.decode()
        assert f"Branch administrator @ {world.branch_a.name}" in html
        assert world.dang_membership.person.name in html
        assert reverse("people:detail", args=[world.dang_membership.code]) in html

    def test_it_filters_by_role_org_status_and_search(self, client, world):
        client.force_login(world.boss)
        assert _usernames(client.get(LIST, {"role": "branch_admin"})) == ["alice", "charlie"]
        assert _usernames(client.get(LIST, {"org": world.branch_a.pk})) == ["alice", "bob", "dang"]
        assert _usernames(client.get(LIST, {"org": world.branch_b.pk, "role": "viewer"})) == []
        assert _usernames(client.get(LIST, {"q": "王党"})) == ["dang"]
        assert _usernames(client.get(LIST, {"q": "CHAR"})) == ["charlie"]
        world.bob.is_active = False
        world.bob.save()
        assert _usernames(client.get(LIST, {"active": "no"})) == ["bob"]

    def test_an_org_outside_the_scope_filters_to_nothing(self, client, world):
        _sub, _branch, sub_boss, _staff = _sub_committee(world)
        client.force_login(sub_boss)
        assert _usernames(client.get(LIST, {"org": world.branch_a.pk})) == []

    def test_it_sorts_and_paginates(self, client, world):
        for n in range(55):
            make_user(f"u{n:02d}", grants=[(Role.VIEWER, world.branch_b)])
        client.force_login(world.boss)
        first = client.get(LIST, {"sort": "-username"})
        assert len(first.context["rows"]) == 50 and _usernames(first)[0] == "u54"
        second = client.get(LIST, {"sort": "-username", "page": 2})
        assert _usernames(second)[-1] == "admin"

    def test_htmx_gets_only_the_table(self, client, world):
        client.force_login(world.boss)
        response = client.get(LIST, {"q": "ali"}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="user-table")
        assert response.templates[0].name == "core/partials/users_table.html"

    @pytest.mark.parametrize("extra", [5, 60])
    def test_it_uses_a_bounded_number_of_queries(self, client, world, django_assert_max_num_queries, extra):
        for n in range(extra):
            user = make_user(
                f"u{n:02d}", grants=[(Role.VIEWER, world.branch_b), (Role.MEMBER, world.branch_a)]
            )
            user.last_login = None
        client.force_login(world.boss)
        with django_assert_max_num_queries(12):
            response = client.get(LIST)
        assert response.status_code == 200


class TestCreate:
    def test_boss_creates_an_account_with_a_first_role(self, client, world):
        client.force_login(world.boss)
        form = client.get(CREATE).context["form"]
        assert Role.SYSTEM_ADMIN not in dict(form.fields["role"].choices)
        response = client.post(
            CREATE,
            {
                "username": "wangwu",
                "full_name": "王五",
                "password": STRONG,
                "password2": STRONG,
                "org": world.branch_b.pk,
                "role": "branch_admin",
            },
        )
        user = get_user_model().objects.get(username="wangwu")
        assert response.status_code == 302 and response.url == _url("detail", user)
        assert RoleGrant.objects.get(user=user).org == world.branch_b
        event = AuditEvent.objects.get(action="user.create")
        assert event.actor == world.boss and STRONG not in str(event.__dict__)
        client.logout()
        assert client.post("/login/", {"username": "wangwu", "password": STRONG}).status_code == 302

    def test_it_links_a_member_found_by_name(self, client, world):
        client.force_login(world.boss)
        response = client.post(
            CREATE,
            {
                "username": "zhangsan",
                "full_name": "张三",
                "password": STRONG,
                "password2": STRONG,
                "member": "张三",
            },
        )
        assert response.status_code == 302
        world.member_a.person.refresh_from_db()
        assert world.member_a.person.user.username == "zhangsan"

    def test_errors_show_under_the_fields_and_typed_input_is_kept(self, client, world):
        client.force_login(world.boss)
        response = client.post(
            CREATE,
            {
                "username": "Alice",
                "full_name": "爱丽丝",
                "password": "12345678",
                "password2": "12345678",
                "member": "王党员",
                "org": world.branch_a.pk,
                "role": "viewer",
            },
        )
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert "ignoring case" in errors["username"][0]
        assert "password" in errors
        html = response.content.decode()
        assert 'value="Alice"' in html and 'value="爱丽丝"' in html and 'value="王党员"' in html
        assert "12345678" not in html  # passwords are never sent back
        assert not get_user_model().objects.filter(first_name="爱丽丝").exists()

    def test_service_errors_land_under_the_member_field(self, client, world):
        client.force_login(world.boss)
        response = client.post(
            CREATE,
            {
                "username": "dang2",
                "full_name": "王",
                "password": STRONG,
                "password2": STRONG,
                "member": "王党员",
            },
        )
        assert "already linked" in response.context["form"].errors["member"][0]

    def test_a_mismatched_confirmation_and_a_missing_role_are_field_errors(self, client, world):
        client.force_login(world.boss)
        response = client.post(
            CREATE, {"username": "x9", "full_name": "x", "password": STRONG, "password2": STRONG + "!"}
        )
        assert "differ" in response.context["form"].errors["password2"][0]
        response = client.post(
            CREATE, {"username": "x9", "full_name": "x", "password": STRONG, "password2": STRONG}
        )
        assert "outside the organizations you manage" in response.context["form"].errors["org"][0]

    def test_a_sub_admin_cannot_pick_an_org_or_member_outside_their_subtree(self, client, world):
        _sub, branch, sub_boss, _staff = _sub_committee(world)
        client.force_login(sub_boss)
        data = {"username": "x9", "full_name": "x", "password": STRONG, "password2": STRONG, "role": "viewer"}
        response = client.post(CREATE, {**data, "org": world.branch_a.pk})
        assert "Select a valid choice" in response.context["form"].errors["org"][0]
        response = client.post(CREATE, {**data, "org": branch.pk, "member": "张三"})
        assert "No member of your organizations" in response.context["form"].errors["member"][0]
        assert not get_user_model().objects.filter(username="x9").exists()


class TestUserPage:
    def test_it_shows_grants_history_and_account_actions(self, client, world):
        RoleGrant.objects.filter(user=world.bob).update(revoked_at=dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        RoleGrant.objects.create(user=world.bob, org=world.group_a1, role=Role.VIEWER)
        client.force_login(world.boss)
        response = client.get(_url("detail", world.bob))
        assert [g.org for g in response.context["grants"]] == [world.group_a1]
        assert [g.org for g in response.context["revoked_grants"]] == [world.branch_a]
        html = response.content.decode()
        assert _url("password", world.bob) in html and _url("set_active", world.bob) in html
        org_choices = [pk for pk, _label in response.context["grant_form"].fields["org"].choices if pk]
        assert len(org_choices) == 5

    def test_a_sub_admin_sees_only_grants_inside_their_subtree(self, client, world):
        _sub, branch, sub_boss, _staff = _sub_committee(world)
        RoleGrant.objects.create(user=world.bob, org=branch, role=Role.VIEWER)
        client.force_login(sub_boss)
        response = client.get(_url("detail", world.bob))
        assert [g.org for g in response.context["grants"]] == [branch]
        assert response.context["other_grants"] == 1
        assert world.branch_a.name not in response.content.decode()
        assert response.context["manage_error"]  # bob also holds a role in branch A

    def test_boss_grants_a_role(self, client, world):
        client.force_login(world.boss)
        response = client.post(_url("grant", world.bob), {"org": world.branch_b.pk, "role": "branch_admin"})
        assert response.status_code == 302
        assert RoleGrant.objects.filter(user=world.bob, org=world.branch_b, role="branch_admin").exists()
        event = AuditEvent.objects.filter(action="role.grant").latest("id")
        assert (event.actor, event.org) == (world.boss, world.branch_b)

    def test_a_refused_grant_shows_the_rule_under_the_field(self, client, world):
        client.force_login(world.boss)
        response = client.post(_url("grant", world.alice), {"org": world.branch_a.pk, "role": "branch_admin"})
        assert response.status_code == 200
        assert "already holds this role" in response.context["grant_form"].errors["role"][0]
        response = client.post(_url("grant", world.alice), {"org": world.branch_a.pk, "role": "system_admin"})
        assert response.context["grant_form"].errors["role"]
        response = client.post(
            _url("grant", world.alice), {"org": world.committee.pk, "role": "committee_admin"}
        )
        assert "below your own" in response.context["grant_form"].errors["role"][0]

    def test_boss_revokes_a_role_and_the_holder_loses_access_at_once(self, client, world):
        grant = RoleGrant.objects.get(user=world.alice)
        client.force_login(world.boss)
        response = client.post(_url("revoke", world.alice, grant.pk))
        assert response.status_code == 302
        grant.refresh_from_db()
        assert grant.revoked_at is not None
        assert AuditEvent.objects.filter(action="role.revoke", actor=world.boss).exists()
        client.force_login(world.alice)
        assert client.get(reverse("people:detail", args=[world.member_a.code])).status_code == 404

    def test_a_grant_outside_the_scope_cannot_be_revoked(self, client, world):
        _sub, _branch, sub_boss, staff = _sub_committee(world)
        RoleGrant.objects.create(user=staff, org=world.branch_a, role=Role.VIEWER)
        foreign = RoleGrant.objects.get(user=staff, org=world.branch_a)
        client.force_login(sub_boss)
        assert client.post(_url("revoke", staff, foreign.pk)).status_code == 404
        assert client.get(_url("revoke", staff, foreign.pk)).status_code == 405
        foreign.refresh_from_db()
        assert foreign.revoked_at is None

    def test_boss_resets_a_password(self, client, world):
        client.force_login(world.boss)
        assert client.get(_url("password", world.alice)).status_code == 200
        response = client.post(_url("password", world.alice), {"password": "abc", "password2": "abc"})
        assert response.context["form"].errors["password"]
        response = client.post(_url("password", world.alice), {"password": STRONG, "password2": STRONG})
        assert response.status_code == 302
        world.alice.refresh_from_db()
        assert world.alice.check_password(STRONG)
        assert AuditEvent.objects.filter(action="user.password_reset", actor=world.boss).exists()

    def test_boss_deactivates_and_reactivates(self, client, world):
        client.force_login(world.boss)
        assert client.get(_url("set_active", world.dang)).status_code == 405
        assert client.post(_url("set_active", world.dang), {"active": "0"}).status_code == 302
        world.dang.refresh_from_db()
        assert not world.dang.is_active
        assert client.post(_url("set_active", world.dang), {"active": "1"}).status_code == 302
        assert list(
            AuditEvent.objects.filter(action__startswith="user.")
            .values_list("action", flat=True)
            .order_by("id")
        ) == ["user.deactivate", "user.activate"]

    def test_a_deactivated_account_cannot_log_in(self, client, world):
        client.force_login(world.boss)
        client.post(_url("set_active", world.alice), {"active": "0"})
        client.logout()
        response = client.post("/login/", {"username": "alice", "password": DEMO_PASSWORD})
        assert response.status_code == 200 and "_auth_user_id" not in client.session

    def test_boss_unlocks_a_locked_account(self, client, world, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/login/", {"username": "alice", "password": "wrong"})
        client.force_login(world.boss)
        page = client.get(_url("detail", world.alice))
        assert page.context["locked_out"] and _url("unlock", world.alice) in page.content.decode()
        assert client.post(_url("unlock", world.alice)).status_code == 302
        assert AuditEvent.objects.filter(action="user.unlock", actor=world.boss).exists()
        assert not client.get(_url("detail", world.alice)).context["locked_out"]

    def test_a_global_admin_cannot_deactivate_themselves(self, client, world):
        client.force_login(world.admin)
        response = client.post(_url("set_active", world.admin), {"active": "0"}, follow=True)
        assert "cannot deactivate your own account" in response.content.decode()
        world.admin.refresh_from_db()
        assert world.admin.is_active

    def test_a_linked_member_outside_the_scope_is_not_named(self, client, world):
        _sub, branch, sub_boss, _staff = _sub_committee(world)
        RoleGrant.objects.create(user=world.dang, org=branch, role=Role.VIEWER)
        client.force_login(sub_boss)
        response = client.get(_url("detail", world.dang))
        assert response.context["membership"] is not None and not response.context["member_visible"]
        assert world.dang_membership.person.name not in response.content.decode()


def test_member_lookup_by_employee_number_and_code(client, world):
    member = make_member(world.branch_b, name="张三", employee_no="E1001")
    client.force_login(world.boss)
    data = {"username": "zs2", "full_name": "张三", "password": STRONG, "password2": STRONG}
    response = client.post(CREATE, {**data, "member": "张三"})
    assert "Several members match" in response.context["form"].errors["member"][0]
    assert client.post(CREATE, {**data, "member": "E1001"}).status_code == 302
    member.person.refresh_from_db()
    assert member.person.user.username == "zs2"
    prefilled = client.get(CREATE, {"member": str(world.member_a.code)})
    assert prefilled.context["form"].initial["member"] == str(world.member_a.code)
