"""Accounts and role grants: core.services and the scope rules of core.selectors."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from xianfeng.core import selectors, services
from xianfeng.core.models import AuditEvent, RoleGrant
from xianfeng.core.roles import Action, Role
from xianfeng.core.scoping import can
from xianfeng.orgs import services as org_services
from xianfeng.orgs.choices import OrgType
from xianfeng.testing import make_member, make_org, make_user

STRONG = "Zhibu@2026x"


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("id"))


class TestUserCreate:
    def test_it_creates_an_account_with_a_first_role_and_audits_without_the_password(self, world):
        user = services.user_create(
            actor=world.boss,
            username="wangwu",
            full_name="王五",
            password=STRONG,
            org=world.branch_a,
            role=Role.VIEWER,
        )
        assert user.check_password(STRONG) and user.first_name == "王五" and user.is_active
        assert RoleGrant.objects.get(user=user).role == Role.VIEWER
        [created] = _events("user.create")
        assert (created.actor, created.org, created.target_id) == (world.boss, world.branch_a, str(user.pk))
        assert created.after == {"username": "wangwu", "first_name": "王五", "is_active": True}
        assert _events("role.grant")[-1].org == world.branch_a
        dumped = json.dumps([e.__dict__ for e in AuditEvent.objects.all()], default=str)
        assert STRONG not in dumped and user.password not in dumped

    @pytest.mark.parametrize("password", ["short1!", "12345678", "abcdefgh", "wangwu2026"])
    def test_it_applies_the_password_validators(self, world, password):
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(
                actor=world.boss,
                username="wangwu",
                full_name="王五",
                password=password,
                org=world.branch_a,
                role=Role.VIEWER,
            )
        assert set(_errors(excinfo)) == {"password"}
        assert not get_user_model().objects.filter(username="wangwu").exists()

    def test_usernames_are_unique_ignoring_case(self, world):
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(
                actor=world.boss,
                username="ALICE",
                full_name="Alice",
                password=STRONG,
                org=world.branch_a,
                role=Role.VIEWER,
            )
        assert "ignoring case" in _errors(excinfo)["username"][0]

    def test_all_field_errors_come_at_once(self, world):
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(
                actor=world.boss,
                username="a b/c",
                full_name=" ",
                password="123",
                org=world.committee,
                role=Role.SYSTEM_ADMIN,
            )
        assert set(_errors(excinfo)) == {"username", "full_name", "password", "role"}
        assert not get_user_model().objects.filter(username="a b/c").exists()

    def test_the_first_role_follows_the_grant_rules(self, world):
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(
                actor=world.boss,
                username="peer",
                full_name="x",
                password=STRONG,
                org=world.committee,
                role=Role.COMMITTEE_ADMIN,
            )
        assert "below your own" in _errors(excinfo)["role"][0]
        assert not AuditEvent.objects.filter(action="user.create").exists()

    def test_it_links_a_member_of_the_actors_organizations(self, world):
        person = world.member_a.person
        user = services.user_create(
            actor=world.boss, username="zhangsan", full_name="张三", password=STRONG, person=person
        )
        person.refresh_from_db()
        assert person.user == user
        assert _events("person.link_user")[-1].org == world.branch_a
        assert _events("user.create")[-1].org == world.branch_a
        assert selectors.user_in_scope(world.boss, user)

    def test_a_member_already_linked_to_an_account_is_refused(self, world):
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(
                actor=world.boss,
                username="dang2",
                full_name="王党员",
                password=STRONG,
                person=world.dang_membership.person,
            )
        assert "dang" in _errors(excinfo)["person"][0]

    def test_a_member_outside_the_actors_subtree_is_refused(self, world):
        _sub, sub_boss = _sub_committee(world)
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(
                actor=sub_boss,
                username="lisi",
                full_name="李四",
                password=STRONG,
                person=world.member_b.person,
            )
        assert "person" in _errors(excinfo)

    def test_a_non_global_admin_must_give_a_role_or_a_member(self, world):
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(actor=world.boss, username="loose", full_name="x", password=STRONG)
        assert "outside the organizations you manage" in _errors(excinfo)["org"][0]
        with pytest.raises(ValidationError) as excinfo:
            services.user_create(
                actor=world.boss, username="loose", full_name="x", password=STRONG, org=world.branch_a
            )
        assert "both" in _errors(excinfo)["role"][0]

    def test_a_global_admin_may_create_a_bare_account(self, world):
        user = services.user_create(actor=world.admin, username="bare", full_name="x", password=STRONG)
        assert user in selectors.user_list(actor=world.admin)
        assert user not in selectors.user_list(actor=world.boss)

    @pytest.mark.parametrize("who", ["alice", "bob", "charlie", "dang"])
    def test_it_needs_the_manage_roles_right(self, world, who):
        with pytest.raises(PermissionDenied):
            services.user_create(
                actor=getattr(world, who),
                username="x1",
                full_name="x",
                password=STRONG,
                org=world.branch_a,
                role=Role.VIEWER,
            )


def _sub_committee(world):
    """A second-level committee under the root with one branch, and its committee admin."""
    sub = make_org(world.committee, OrgType.COMMITTEE, "二级党委", term_start=dt.date(2024, 1, 1))
    branch = make_org(sub, OrgType.BRANCH, "二级党委第一支部", term_start=dt.date(2024, 1, 1))
    sub.branch = branch
    return sub, make_user("subboss", grants=[(Role.COMMITTEE_ADMIN, sub)])


class TestRoleGrant:
    def test_it_grants_and_audits_on_the_grants_org(self, world):
        grant = services.role_grant(
            actor=world.boss, user=world.bob, org=world.branch_b, role=Role.BRANCH_ADMIN
        )
        assert (grant.granted_by, grant.revoked_at) == (world.boss, None)
        event = _events("role.grant")[-1]
        assert (event.actor, event.org, event.target_id) == (world.boss, world.branch_b, str(grant.pk))
        assert event.after == {"user": "bob", "org": world.branch_b.name, "role": "branch_admin"}

    def test_it_takes_effect_immediately_for_the_same_user_object(self, world):
        bob = world.bob
        assert not can(bob, Action.CHANGE, world.branch_b)
        services.role_grant(actor=world.boss, user=bob, org=world.branch_b, role=Role.BRANCH_ADMIN)
        assert can(bob, Action.CHANGE, world.branch_b)

    def test_one_active_grant_per_user_org_and_role(self, world):
        with pytest.raises(ValidationError) as excinfo:
            services.role_grant(
                actor=world.boss, user=world.alice, org=world.branch_a, role=Role.BRANCH_ADMIN
            )
        assert "already holds this role" in _errors(excinfo)["role"][0]
        assert RoleGrant.objects.filter(user=world.alice, revoked_at__isnull=True).count() == 1

    def test_a_revoked_role_may_be_granted_again(self, world):
        grant = RoleGrant.objects.get(user=world.alice)
        services.role_revoke(actor=world.boss, grant=grant)
        services.role_grant(actor=world.boss, user=world.alice, org=world.branch_a, role=Role.BRANCH_ADMIN)
        assert RoleGrant.objects.filter(user=world.alice).count() == 2

    def test_an_unknown_role_is_a_field_error(self, world):
        with pytest.raises(ValidationError) as excinfo:
            services.role_grant(actor=world.boss, user=world.bob, org=world.branch_a, role="king")
        assert "role" in _errors(excinfo)

    @pytest.mark.parametrize("who", ["alice", "bob", "charlie"])
    def test_actors_without_manage_roles_are_refused(self, world, who):
        with pytest.raises(PermissionDenied):
            services.role_grant(
                actor=getattr(world, who), user=world.bob, org=world.branch_a, role=Role.VIEWER
            )

    def test_a_grant_in_a_sibling_subtree_is_refused(self, world):
        sub, sub_boss = _sub_committee(world)
        member = make_member(sub.branch, name="赵六")
        user = services.user_create(
            actor=sub_boss, username="zhaoliu", full_name="赵六", password=STRONG, person=member.person
        )
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=sub_boss, user=user, org=world.branch_b, role=Role.VIEWER)
        assert not RoleGrant.objects.filter(user=user).exists()

    def test_an_account_outside_the_actors_scope_cannot_be_given_a_role(self, world):
        sub, sub_boss = _sub_committee(world)
        with pytest.raises(PermissionDenied):
            services.role_grant(actor=sub_boss, user=world.admin, org=sub.branch, role=Role.VIEWER)

    def test_the_system_admin_role_is_granted_by_global_admins_only(self, world):
        # boss is committee admin on the root: everything below, but not the global role above it.
        with pytest.raises(ValidationError) as excinfo:
            services.role_grant(
                actor=world.boss, user=world.alice, org=world.branch_a, role=Role.SYSTEM_ADMIN
            )
        assert "system administrator of the whole organization" in _errors(excinfo)["role"][0]
        grant = services.role_grant(
            actor=world.admin, user=world.bob, org=world.committee, role=Role.SYSTEM_ADMIN
        )
        assert grant.pk and selectors.manages_everything(world.bob)

    def test_administrator_roles_only_strictly_below_the_actors_own_node(self, world):
        with pytest.raises(ValidationError) as excinfo:  # no peers on boss's own node
            services.role_grant(
                actor=world.boss, user=world.alice, org=world.committee, role=Role.COMMITTEE_ADMIN
            )
        assert "below your own administration node" in _errors(excinfo)["role"][0]
        sub, _sub_boss = _sub_committee(world)
        grant = services.role_grant(actor=world.boss, user=world.alice, org=sub, role=Role.COMMITTEE_ADMIN)
        assert grant.pk

    def test_no_grants_on_a_dissolved_org(self, world):
        empty = make_org(world.general_branch, OrgType.BRANCH, "空支部", term_start=dt.date(2024, 1, 1))
        org_services.org_dissolve(actor=None, org=empty, date=dt.date(2025, 1, 1), reason="合并")
        empty.refresh_from_db()
        with pytest.raises(ValidationError) as excinfo:
            services.role_grant(actor=world.boss, user=world.bob, org=empty, role=Role.VIEWER)
        assert "dissolved" in _errors(excinfo)["org"][0]


class TestRoleRevoke:
    def test_it_keeps_the_row_audits_and_stops_scoping_immediately(self, world):
        alice = world.alice
        assert can(alice, Action.CHANGE, world.branch_a)
        grant = RoleGrant.objects.get(user=alice)
        services.role_revoke(actor=world.boss, grant=grant)
        grant.refresh_from_db()
        assert grant.revoked_at is not None
        event = _events("role.revoke")[-1]
        assert (event.actor, event.org, event.before["role"]) == (world.boss, world.branch_a, "branch_admin")
        next_request_alice = get_user_model().objects.get(pk=alice.pk)
        assert not can(next_request_alice, Action.VIEW, world.branch_a)

    def test_a_revoked_grant_keeps_the_account_listed_but_gives_no_rights(self, world):
        sub, sub_boss = _sub_committee(world)
        member = make_member(sub.branch, name="赵六")
        user = services.user_create(
            actor=sub_boss,
            username="zhaoliu",
            full_name="赵六",
            password=STRONG,
            org=sub.branch,
            role="viewer",
        )
        grant = RoleGrant.objects.get(user=user)
        services.role_revoke(actor=sub_boss, grant=grant)
        fresh = get_user_model().objects.get(pk=user.pk)
        assert not can(fresh, Action.VIEW, member.org)
        assert fresh in selectors.user_list(actor=sub_boss)  # to re-grant or deactivate it
        assert selectors.account_manage_error(sub_boss, fresh) is None
        services.role_grant(actor=sub_boss, user=fresh, org=sub.branch, role=Role.VIEWER)
        assert can(fresh, Action.VIEW, member.org)

    def test_revoking_twice_is_an_error(self, world):
        grant = RoleGrant.objects.get(user=world.bob)
        services.role_revoke(actor=world.boss, grant=grant)
        with pytest.raises(ValidationError):
            services.role_revoke(actor=world.boss, grant=grant)

    def test_outsiders_and_peers_cannot_revoke(self, world):
        with pytest.raises(PermissionDenied):
            services.role_revoke(actor=world.charlie, grant=RoleGrant.objects.get(user=world.bob))
        with pytest.raises(ValidationError) as excinfo:  # boss cannot remove the system admin
            services.role_revoke(actor=world.boss, grant=RoleGrant.objects.get(user=world.admin))
        assert "role" in _errors(excinfo)
        _sub, sub_boss = _sub_committee(world)
        with pytest.raises(PermissionDenied):
            services.role_revoke(actor=sub_boss, grant=RoleGrant.objects.get(user=world.alice))


class TestAccountActions:
    def test_password_reset_validates_audits_without_the_value_and_ends_sessions(self, world):
        old_hash = world.alice.password
        with pytest.raises(ValidationError) as excinfo:
            services.user_set_password(actor=world.boss, user=world.alice, password="12345678")
        assert "password" in _errors(excinfo)
        services.user_set_password(actor=world.boss, user=world.alice, password=STRONG)
        world.alice.refresh_from_db()
        assert world.alice.check_password(STRONG) and world.alice.password != old_hash
        event = _events("user.password_reset")[-1]
        assert (event.actor, event.org, event.before, event.after) == (world.boss, world.branch_a, None, None)
        assert STRONG not in json.dumps(event.__dict__, default=str)

    def test_deactivate_and_activate_are_audited(self, world):
        services.user_set_active(actor=world.boss, user=world.dang, active=False)
        world.dang.refresh_from_db()
        assert not world.dang.is_active
        event = _events("user.deactivate")[-1]
        assert (event.org, event.before, event.after) == (
            world.branch_a,
            {"is_active": True},
            {"is_active": False},
        )
        services.user_set_active(actor=world.boss, user=world.dang, active=True)
        assert _events("user.activate")[-1].after == {"is_active": True}

    def test_an_admin_cannot_deactivate_themselves(self, world):
        with pytest.raises(ValidationError):
            services.user_set_active(actor=world.admin, user=world.admin, active=False)

    def test_unlock_clears_the_lockout(self, world, client, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post("/login/", {"username": "alice", "password": "wrong"})
        assert services.is_locked_out(world.alice)
        assert services.user_unlock(actor=world.boss, user=world.alice) >= 1
        assert not services.is_locked_out(world.alice)
        assert _events("user.unlock")[-1].org == world.branch_a
        from xianfeng.testing import DEMO_PASSWORD

        assert client.post("/login/", {"username": "alice", "password": DEMO_PASSWORD}).status_code == 302

    @pytest.mark.parametrize(
        ("action", "kwargs"),
        [
            (services.user_set_password, {"password": STRONG}),
            (services.user_set_active, {"active": False}),
            (services.user_unlock, {}),
        ],
    )
    def test_accounts_with_rights_at_or_above_the_actor_are_protected(self, world, action, kwargs):
        with pytest.raises(PermissionDenied):  # the global system admin
            action(actor=world.boss, user=world.admin, **kwargs)
        peer = make_user("peer", grants=[(Role.COMMITTEE_ADMIN, world.committee)])
        with pytest.raises(PermissionDenied):  # a peer on the same node
            action(actor=world.boss, user=peer, **kwargs)
        with pytest.raises(PermissionDenied):  # alice holds a role in branch A; charlie manages nothing
            action(actor=world.charlie, user=world.alice, **kwargs)

    def test_an_account_with_a_role_elsewhere_is_protected_from_a_sub_admin(self, world):
        sub, sub_boss = _sub_committee(world)
        services.role_grant(actor=world.boss, user=world.alice, org=sub.branch, role=Role.VIEWER)
        assert world.alice in selectors.user_list(actor=sub_boss)  # visible …
        with pytest.raises(PermissionDenied):  # … but alice also administers branch A
            services.user_set_password(actor=sub_boss, user=world.alice, password=STRONG)
        assert "outside yours" in selectors.account_manage_error(sub_boss, world.alice)


class TestUserScope:
    def test_a_root_committee_admin_sees_accounts_with_roles_or_members_in_the_tree(self, world):
        names = set(selectors.user_list(actor=world.boss).values_list("username", flat=True))
        assert names == {"admin", "boss", "alice", "bob", "charlie", "dang"}

    def test_superusers_are_listed_to_global_admins_only(self, world):
        root = make_user("root", is_superuser=True, grants=[(Role.VIEWER, world.branch_a)])
        assert root not in selectors.user_list(actor=world.boss)
        assert root in selectors.user_list(actor=world.admin)

    def test_a_sub_committee_admin_sees_only_their_subtree(self, world):
        sub, sub_boss = _sub_committee(world)
        member = make_member(sub.branch, name="赵六")
        linked = make_user("zhaoliu")
        member.person.user = linked
        member.person.save(update_fields=["user"])
        names = set(selectors.user_list(actor=sub_boss).values_list("username", flat=True))
        assert names == {"subboss", "zhaoliu"}
        with pytest.raises(Http404):
            selectors.get_user_for_actor(sub_boss, world.alice.pk)
        assert selectors.get_user_for_actor(sub_boss, linked.pk) == linked

    @pytest.mark.parametrize("who", ["alice", "bob", "charlie", "dang"])
    def test_users_without_manage_roles_see_no_account(self, world, who):
        assert not selectors.user_list(actor=getattr(world, who)).exists()
