import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from xianfeng.core.roles import Action
from xianfeng.core.scoping import can, get_for_user, granted_paths
from xianfeng.orgs.models import Org
from xianfeng.people.models import Membership, Person


class TestSubtreeScoping:
    def test_a_branch_admin_sees_their_branch_and_its_groups_only(self, world):
        visible = set(Org.objects.restrict(world.alice, Action.VIEW))
        assert visible == {world.branch_a, world.group_a1}

    def test_a_committee_admin_sees_the_whole_tree(self, world):
        assert Org.objects.restrict(world.boss, Action.VIEW).count() == Org.objects.count()

    def test_members_of_a_sibling_branch_are_invisible(self, world):
        assert world.member_b not in Membership.objects.restrict(world.alice)
        assert world.member_a in Membership.objects.restrict(world.alice)

    def test_a_viewer_can_see_but_not_change(self, world):
        assert world.member_a in Membership.objects.restrict(world.bob, Action.VIEW)
        assert not Membership.objects.restrict(world.bob, Action.CHANGE).exists()

    def test_a_member_sees_only_their_own_record(self, world):
        assert list(Person.objects.restrict(world.dang)) == [world.dang_membership.person]
        assert list(Membership.objects.restrict(world.dang)) == [world.dang_membership]
        assert not Membership.objects.restrict(world.dang, Action.CHANGE).exists()

    def test_anonymous_sees_nothing(self, world):
        from django.contrib.auth.models import AnonymousUser

        assert not Membership.objects.restrict(AnonymousUser()).exists()

    def test_nested_grants_collapse_to_the_outer_subtree(self, world):
        from xianfeng.core.models import RoleGrant

        RoleGrant.objects.create(user=world.boss, org=world.branch_a, role="branch_admin")
        world.boss.__dict__.pop("_xianfeng_grants", None)
        assert granted_paths(world.boss, Action.CHANGE) == [world.committee.path]

    def test_a_revoked_grant_no_longer_counts(self, world):
        from django.utils import timezone

        world.alice.role_grants.update(revoked_at=timezone.now())
        world.alice.__dict__.pop("_xianfeng_grants", None)
        assert not can(world.alice, Action.VIEW, world.branch_a)


class TestGetForUser:
    def test_outsider_gets_404(self, world):
        with pytest.raises(Http404):
            get_for_user(Membership.objects.all(), world.charlie, code=world.member_a.code)

    def test_read_only_gets_403_for_a_write(self, world):
        with pytest.raises(PermissionDenied):
            get_for_user(Membership.objects.all(), world.bob, Action.CHANGE, code=world.member_a.code)

    def test_permitted_gets_the_object(self, world):
        got = get_for_user(Membership.objects.all(), world.alice, Action.CHANGE, code=world.member_a.code)
        assert got == world.member_a

    def test_a_malformed_code_is_a_404_not_a_500(self, world):
        with pytest.raises(Http404):
            get_for_user(Membership.objects.all(), world.alice, code="not-a-uuid")
