"""people.selectors.memberships_on and the activity visibility selectors."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from xianfeng.activities import selectors
from xianfeng.activities.tests.test_services_plan import at, days_ago, plan
from xianfeng.people import services as people_services
from xianfeng.people.selectors import memberships_on
from xianfeng.testing import make_member, make_org


def names(rows):
    return sorted(row.membership.person.name for row in rows)


class TestMembershipsOn:
    def test_status_on_the_date_comes_from_the_key_dates(self, world):
        member = make_member(
            world.branch_a, name="预备丁", status="probationary", admission_date=days_ago(30)
        )
        before = memberships_on(day=days_ago(31), org=world.branch_a, person_ids=[member.person_id])
        after = memberships_on(day=days_ago(30), org=world.branch_a, person_ids=[member.person_id])
        assert [row.status for row in before] == ["candidate"]
        assert [row.status for row in after] == ["probationary"]

    def test_a_chain_of_transfers_is_unwound(self, world):
        other = make_org(world.general_branch, name="第三支部")
        first, second = days_ago(20), days_ago(10)
        people_services.member_transfer(
            actor=None, membership=world.member_a, to_org=world.branch_b, date=first
        )
        people_services.member_transfer(actor=None, membership=world.member_a, to_org=other, date=second)
        where = {
            days_ago(21): world.branch_a,
            first: world.branch_b,
            days_ago(11): world.branch_b,
            second: other,
        }
        for day, org in where.items():
            assert "张三" in names(memberships_on(day=day, org=org)), (day, org)
            for elsewhere in {world.branch_a, world.branch_b, other} - {org}:
                assert "张三" not in names(memberships_on(day=day, org=elsewhere)), (day, elsewhere)

    def test_a_subtree_includes_sub_organizations(self, world):
        assert names(memberships_on(day=days_ago(1), org=world.general_branch, subtree=True)) == sorted(
            ["张三", "李四", "王党员"]
        )
        assert names(memberships_on(day=days_ago(1), org=world.general_branch)) == []

    def test_people_who_had_not_applied_yet_are_not_there(self, world):
        assert memberships_on(day=dt.date(1990, 1, 1), org=world.branch_a) == []

    def test_a_constant_number_of_queries(self, world):
        for i in range(10):
            make_member(world.branch_a, name=f"批量{i}")
        with CaptureQueriesContext(connection) as ctx:
            assert len(memberships_on(day=days_ago(1), org=world.branch_a)) == 12
        assert len(ctx.captured_queries) <= 2


class TestVisibility:
    def test_staff_see_their_subtree_and_members_their_own_org(self, world):
        in_a = plan(world)
        in_b = plan(world, org=world.branch_b, actor=world.boss)
        assert set(selectors.visible_activities(world.alice)) == {in_a}
        assert set(selectors.visible_activities(world.charlie)) == {in_b}
        assert set(selectors.visible_activities(world.boss)) == {in_a, in_b}
        assert set(selectors.visible_activities(world.dang)) == {in_a}

    def test_a_member_sees_an_activity_they_are_on_the_list_of(self, world):
        training = plan(
            world,
            org=world.general_branch,
            code="training",
            actor=world.boss,
            participants=[world.dang_membership.person],
        )
        assert training in set(selectors.visible_activities(world.dang))

    def test_the_calendar_puts_activities_on_their_local_day(self, world):
        day = days_ago(3)
        late = plan(world, code="theme_day", start=at(day, 23, 30))
        weeks = selectors.calendar_month(
            queryset=selectors.visible_activities(world.alice), first=day.replace(day=1), today=day
        )
        cells = {cell.date: cell.activities for week in weeks for cell in week}
        assert cells[day] == [late]
