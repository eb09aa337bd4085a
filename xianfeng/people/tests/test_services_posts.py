import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from xianfeng.people import services
from xianfeng.people.choices import PoliticalStatus, Post
from xianfeng.testing import make_member


class TestPostAssign:
    def test_a_full_member_becomes_secretary_and_it_is_audited(self, world):
        holding = services.post_assign(
            actor=world.alice,
            person=world.member_a.person,
            org=world.branch_a,
            post=Post.SECRETARY,
            start_date=dt.date(2024, 3, 1),
        )
        assert holding.end_date is None

    def test_a_probationary_member_cannot_hold_a_committee_post(self, world):
        m = make_member(
            world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=dt.date(2025, 7, 1)
        )
        with pytest.raises(ValidationError) as err:
            services.post_assign(
                actor=world.alice,
                person=m.person,
                org=world.branch_a,
                post=Post.ORGANIZATION_MEMBER,
                start_date=dt.date(2025, 8, 1),
            )
        assert "person" in err.value.message_dict

    def test_a_branch_has_one_secretary_at_a_time(self, world):
        services.post_assign(
            actor=world.alice,
            person=world.member_a.person,
            org=world.branch_a,
            post=Post.SECRETARY,
            start_date=dt.date(2024, 3, 1),
        )
        with pytest.raises(ValidationError):
            services.post_assign(
                actor=world.alice,
                person=world.dang_membership.person,
                org=world.branch_a,
                post=Post.SECRETARY,
                start_date=dt.date(2024, 3, 1),
            )

    def test_a_group_leader_leads_a_group_of_the_members_own_branch(self, world):
        services.post_assign(
            actor=world.alice,
            person=world.member_a.person,
            org=world.group_a1,
            post=Post.GROUP_LEADER,
            start_date=dt.date(2024, 3, 1),
        )
        with pytest.raises(ValidationError) as err:
            services.post_assign(
                actor=world.alice,
                person=world.member_a.person,
                org=world.branch_a,
                post=Post.GROUP_LEADER,
                start_date=dt.date(2024, 3, 1),
            )
        assert "post" in err.value.message_dict

    def test_a_post_in_a_sibling_branch_is_refused(self, world):
        with pytest.raises(ValidationError) as err:
            services.post_assign(
                actor=world.boss,
                person=world.member_a.person,
                org=world.branch_b,
                post=Post.COMMITTEE_MEMBER,
                start_date=dt.date(2024, 3, 1),
            )
        assert "person" in err.value.message_dict


class TestPostEnd:
    def test_the_end_date_cannot_precede_the_start(self, world):
        holding = services.post_assign(
            actor=world.alice,
            person=world.member_a.person,
            org=world.branch_a,
            post=Post.SECRETARY,
            start_date=dt.date(2024, 3, 1),
        )
        with pytest.raises(ValidationError):
            services.post_end(actor=world.alice, holding=holding, end_date=dt.date(2024, 2, 29))
        assert services.post_end(actor=world.alice, holding=holding, end_date=dt.date(2024, 3, 1)).end_date
