import contextlib
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from xianfeng.core.models import AuditEvent
from xianfeng.orgs import services
from xianfeng.orgs.choices import OrgStatus, OrgType
from xianfeng.orgs.models import Org
from xianfeng.people import services as people_services
from xianfeng.testing import make_org


class TestOrgCreate:
    def test_it_creates_a_child_with_the_default_term_and_an_audit_row(self, world):
        org = services.org_create(
            actor=world.boss,
            parent=world.general_branch,
            org_type=OrgType.BRANCH,
            name="配电运检党支部",
            code="PD01",
            term_start=dt.date(2025, 4, 1),
        )
        assert org.get_parent() == world.general_branch
        assert (org.term_years, org.term_end) == (3, dt.date(2028, 4, 1))
        event = AuditEvent.objects.get(action="org.create", target_id=str(org.pk))
        assert event.actor == world.boss and event.after["name"] == "配电运检党支部"

    def test_it_refuses_a_type_that_cannot_sit_under_the_parent(self, world):
        with pytest.raises(ValidationError) as err:
            services.org_create(
                actor=world.boss, parent=world.group_a1, org_type=OrgType.BRANCH, name="x", code="X1"
            )
        assert "parent" in err.value.message_dict

    def test_it_refuses_a_duplicate_code(self, world):
        with pytest.raises(ValidationError) as err:
            services.org_create(
                actor=world.boss,
                parent=world.committee,
                org_type=OrgType.BRANCH,
                name="x",
                code=world.branch_a.code,
            )
        assert "code" in err.value.message_dict

    def test_founding_date_today_is_accepted_tomorrow_is_not(self, world):
        today = timezone.localdate()
        ok = services.org_create(
            actor=None,
            parent=world.committee,
            org_type=OrgType.BRANCH,
            name="a",
            code="D0",
            founded_date=today,
        )
        assert ok.founded_date == today
        with pytest.raises(ValidationError) as err:
            services.org_create(
                actor=None,
                parent=world.committee,
                org_type=OrgType.BRANCH,
                name="b",
                code="D1",
                founded_date=today + dt.timedelta(days=1),
            )
        assert "founded_date" in err.value.message_dict

    def test_a_branch_admin_cannot_create_orgs(self, world):
        with pytest.raises(PermissionDenied):
            services.org_create(
                actor=world.alice, parent=world.branch_a, org_type=OrgType.PARTY_GROUP, name="g", code="G9"
            )

    def test_a_term_of_four_years_is_refused(self, world):
        with pytest.raises(ValidationError) as err:
            services.org_create(
                actor=None,
                parent=world.committee,
                org_type=OrgType.BRANCH,
                name="t",
                code="T4",
                term_start=dt.date(2024, 1, 1),
                term_years=4,
            )
        assert "term_years" in err.value.message_dict


class TestTermEnd:
    @pytest.mark.parametrize(
        ("start", "years", "end"),
        [
            (dt.date(2023, 5, 10), 3, dt.date(2026, 5, 10)),
            (dt.date(2024, 2, 29), 3, dt.date(2027, 2, 28)),  # leap day falls back to 28 Feb
            (dt.date(2024, 2, 29), 5, dt.date(2029, 2, 28)),
            (dt.date(2020, 12, 31), 5, dt.date(2025, 12, 31)),
        ],
    )
    def test_it_ends_on_the_same_calendar_day(self, start, years, end):
        assert Org(org_type=OrgType.BRANCH, term_start=start, term_years=years).compute_term_end() == end

    def test_days_left_the_day_before_on_and_after_the_end(self):
        org = Org(term_end=dt.date(2026, 5, 10))
        assert [org.term_days_left(dt.date(2026, 5, d)) for d in (9, 10, 11)] == [1, 0, -1]


class TestOrgMove:
    def test_it_moves_the_subtree_and_keeps_paths_consistent(self, world):
        services.org_move(actor=world.boss, org=world.branch_a, new_parent=world.committee)
        branch = Org.objects.get(pk=world.branch_a.pk)
        group = Org.objects.get(pk=world.group_a1.pk)
        assert branch.get_parent() == world.committee
        assert group.path.startswith(branch.path)
        assert Org.find_problems() == ([], [], [], [], [])
        assert AuditEvent.objects.filter(action="org.move", target_id=str(branch.pk)).exists()

    def test_it_refuses_moving_under_itself_or_a_descendant(self, world):
        for target in (world.general_branch, world.branch_a):
            with pytest.raises(ValidationError) as err:
                services.org_move(actor=world.boss, org=world.general_branch, new_parent=target)
            assert "parent" in err.value.message_dict
        assert Org.objects.get(pk=world.general_branch.pk).get_parent() == world.committee

    def test_members_follow_their_org_into_the_new_subtree(self, world):
        new_committee = make_org(world.committee, OrgType.COMMITTEE, "二级党委")
        services.org_move(actor=world.boss, org=world.branch_a, new_parent=new_committee)
        from xianfeng.people.models import Membership

        assert world.member_a in Membership.objects.in_subtree(Org.objects.get(pk=new_committee.pk))

    def test_a_branch_admin_cannot_move_their_branch_out_of_their_scope(self, world):
        with pytest.raises(PermissionDenied):
            services.org_move(actor=world.alice, org=world.group_a1, new_parent=world.branch_b)


class TestOrgDissolve:
    def test_it_refuses_while_members_remain(self, world):
        with pytest.raises(ValidationError):
            services.org_dissolve(
                actor=world.boss, org=world.branch_b, date=dt.date(2026, 1, 1), reason="合并"
            )
        assert Org.objects.get(pk=world.branch_b.pk).status == OrgStatus.ACTIVE

    def test_it_dissolves_an_empty_org_keeping_it_and_its_history(self, world):
        people_services.member_transfer(
            actor=world.boss, membership=world.member_b, to_org=world.branch_a, date=dt.date(2025, 1, 1)
        )
        services.org_dissolve(
            actor=world.boss, org=world.branch_b, date=dt.date(2025, 1, 2), reason="机构调整合并"
        )
        org = Org.objects.get(pk=world.branch_b.pk)
        assert (org.status, org.dissolved_reason) == (OrgStatus.DISSOLVED, "机构调整合并")
        assert AuditEvent.objects.filter(action="org.dissolve", target_id=str(org.pk)).exists()

    def test_it_requires_a_reason(self, world):
        with pytest.raises(ValidationError) as err:
            services.org_dissolve(actor=world.boss, org=world.group_a1, date=dt.date(2025, 1, 2), reason=" ")
        assert "reason" in err.value.message_dict


class TestMovesKeepTheTreeValid(HypothesisTestCase):
    """Property: any sequence of allowed and refused moves leaves a valid tree with no cycles."""

    @settings(max_examples=15, deadline=None)
    @given(moves=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 5)), min_size=1, max_size=8))
    def test_tree_invariants_hold(self, moves):
        root = make_org(None, OrgType.COMMITTEE, "root")
        nodes = [root, *(make_org(root, OrgType.COMMITTEE, f"c{i}") for i in range(5))]
        for source, target in moves:
            org, parent = Org.objects.get(pk=nodes[source].pk), Org.objects.get(pk=nodes[target].pk)
            with contextlib.suppress(ValidationError):
                services.org_move(actor=None, org=org, new_parent=parent)
        assert Org.find_problems() == ([], [], [], [], [])
        for org in Org.objects.all():
            parent = org.get_parent()
            assert parent is None or org.path.startswith(parent.path)
