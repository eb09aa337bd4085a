"""The calendar and the list: access, scope, filters, htmx partial, bounded query counts."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from xianfeng.activities import services
from xianfeng.activities.tests.test_services_plan import at, plan

CALENDAR = "/activities/calendar/"
LIST = "/activities/"


def this_month(day=10, hour=9):
    today = timezone.localdate()
    return at(today.replace(day=day), hour)


def titles(response):
    return [a.title for a in response.context["activities"]]


class TestCalendar:
    def test_anonymous_users_go_to_the_login(self, client, world):
        response = client.get(CALENDAR)
        assert response.status_code == 302 and response.url.startswith(reverse("login"))

    def test_it_shows_the_months_activities_of_the_users_subtree(self, client, world):
        plan(world, start=this_month(), title="A的大会")
        plan(world, org=world.branch_b, actor=world.boss, start=this_month(), title="B的大会")
        client.force_login(world.alice)
        content = client.get(CALENDAR).content.decode()
        assert "A的大会" in content and "B的大会" not in content
        client.force_login(world.charlie)
        content = client.get(CALENDAR).content.decode()
        assert "B的大会" in content and "A的大会" not in content

    def test_status_is_shown_by_colour_and_by_icon_and_word(self, client, world):
        planned = plan(world, start=this_month(3), title="计划中")
        done = plan(world, start=at(timezone.localdate(), 0, 0), code="theme_day", title="已召开")
        services.activity_record_held(actor=world.alice, activity=done, held_start=done.planned_start)
        dropped = plan(world, start=this_month(5), code="party_lecture", title="已取消")
        services.activity_cancel(actor=world.alice, activity=dropped, reason="改期")
        client.force_login(world.alice)
        content = client.get(CALENDAR).content.decode()
        assert "xf-cal-planned" in content and "bi-calendar-event" in content
        assert "xf-cal-cancelled" in content and "bi-x-circle" in content
        assert "xf-cal-held" in content and "bi-check-circle-fill" in content
        assert f"{planned.get_status_display()}:</span>" in content.replace("\n", "")

    def test_other_months_and_filters(self, client, world):
        plan(world, start=this_month(), title="本月")
        next_month = (timezone.localdate().replace(day=1) + dt.timedelta(days=40)).replace(day=20)
        plan(world, start=at(next_month), code="theme_day", title="下月")
        client.force_login(world.boss)
        assert "下月" in client.get(CALENDAR, {"month": next_month.strftime("%Y-%m")}).content.decode()
        assert "下月" not in client.get(CALENDAR).content.decode()
        assert "本月" not in client.get(CALENDAR, {"kind": "theme_day"}).content.decode()
        assert "本月" not in client.get(CALENDAR, {"org": world.branch_b.pk}).content.decode()
        assert "本月" in client.get(CALENDAR, {"org": world.general_branch.pk}).content.decode()

    def test_a_bad_month_falls_back_to_this_month(self, client, world):
        client.force_login(world.alice)
        response = client.get(CALENDAR, {"month": "2026-13"})
        assert response.status_code == 200
        assert response.context["month"] == timezone.localdate().replace(day=1)

    def test_self_service_members_go_to_my_meetings(self, client, world):
        client.force_login(world.dang)
        response = client.get(CALENDAR)
        assert response.status_code == 302 and response.url == reverse("activities:my")

    def test_the_query_count_does_not_grow_with_the_activities(self, client, world):
        client.force_login(world.alice)
        plan(world, start=this_month(2))
        with CaptureQueriesContext(connection) as small:
            client.get(CALENDAR)
        for day in range(3, 20):
            plan(world, start=this_month(day), code="theme_day")
        with CaptureQueriesContext(connection) as large:
            client.get(CALENDAR)
        assert len(large.captured_queries) == len(small.captured_queries) <= 14


class TestList:
    def test_anonymous_users_go_to_the_login(self, client, world):
        assert client.get(LIST).status_code == 302

    def test_it_lists_the_subtree_and_links_to_the_activity(self, client, world):
        mine = plan(world, title="A的会")
        plan(world, org=world.branch_b, actor=world.boss, title="B的会")
        client.force_login(world.bob)
        response = client.get(LIST)
        assert titles(response) == ["A的会"]
        assert reverse("activities:detail", args=[mine.code]) in response.content.decode()

    def test_filters_by_org_subtree_kind_status_and_month(self, client, world):
        first = plan(world, start=at(dt.date(2025, 3, 10)), title="三月大会")
        plan(world, start=at(dt.date(2025, 4, 10)), title="四月大会")
        plan(world, start=at(dt.date(2025, 3, 11)), code="theme_day", title="三月主题党日")
        plan(world, org=world.branch_b, actor=world.boss, start=at(dt.date(2025, 3, 12)), title="B三月")
        services.activity_cancel(actor=world.alice, activity=first, reason="改期")
        client.force_login(world.boss)
        assert sorted(titles(client.get(LIST, {"month": "2025-03"}))) == sorted(
            ["三月大会", "三月主题党日", "B三月"]
        )
        assert titles(
            client.get(LIST, {"month": "2025-03", "org": world.branch_a.pk, "kind": "general_meeting"})
        ) == ["三月大会"]
        assert titles(client.get(LIST, {"status": "cancelled"})) == ["三月大会"]
        assert len(titles(client.get(LIST, {"org": world.general_branch.pk}))) == 4

    def test_a_bad_month_is_named(self, client, world):
        client.force_login(world.alice)
        response = client.get(LIST, {"month": "March"})
        assert response.status_code == 200
        assert "YYYY-MM" in response.content.decode()

    def test_htmx_gets_only_the_table(self, client, world):
        plan(world, title="A的会")
        client.force_login(world.alice)
        response = client.get(LIST, headers={"HX-Request": "true", "HX-Target": "activity-table"})
        assert next(t.name for t in response.templates) == "activities/partials/activity_table.html"
        assert "<html" not in response.content.decode()

    def test_the_query_count_does_not_grow_with_the_rows(self, client, world):
        client.force_login(world.alice)
        plan(world, start=at(dt.date(2025, 1, 1)))
        with CaptureQueriesContext(connection) as small:
            client.get(LIST)
        for day in range(2, 30):
            plan(world, start=at(dt.date(2025, 1, day)))
        with CaptureQueriesContext(connection) as large:
            client.get(LIST)
        assert len(large.captured_queries) == len(small.captured_queries) <= 14

    def test_self_service_members_go_to_my_meetings(self, client, world):
        client.force_login(world.dang)
        assert client.get(LIST).url == reverse("activities:my")
