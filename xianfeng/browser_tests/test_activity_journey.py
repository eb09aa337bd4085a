"""The organizational-life journey in a real browser: a branch admin plans a meeting, a member checks in
from a phone (a second browser context) by opening the QR code's address, the admin changes one
attendance inline (htmx), records the meeting as held with minutes, and the branch's health check
shows this quarter's general-meeting obligation (BR-09) as met, with the meeting as its evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from xianfeng.activities.models import Activity, Attendance
from xianfeng.browser_tests.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_plan_check_in_from_a_phone_and_record_the_minutes(page, browser, live_server, world):
    login(page, "alice")
    start = timezone.localtime(timezone.now() + dt.timedelta(minutes=5))
    health = f"{page.base_url}/compliance/health/{world.branch_a.pk}/?year={start.year}"
    br09 = "li.xf-finding:has(span.badge:text-is('BR-09'))"

    # Before: this quarter's general meeting (支部条例 art. 11) is not yet met.
    page.goto(health)
    assert page.locator(br09).count() >= 1
    assert page.locator(f"{br09} .xf-status-ok").count() == 0

    # Plan this month's general meeting, starting in five minutes (inside the check-in window).
    page.goto(page.base_url + "/activities/new/")
    page.select_option("#id_org", str(world.branch_a.pk))
    page.select_option("#id_kind", label="支部党员大会")
    page.fill("#id_planned_start", start.strftime("%Y-%m-%dT%H:%M"))
    page.fill("#id_place", "党员活动室")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    activity = Activity.objects.get()
    assert page.url.endswith(f"/activities/{activity.code}/")
    assert page.locator("svg.segno").count() == 1  # the QR code panel
    checkin_url = page.locator(f"a[href*='/activities/checkin/{activity.code}/']").get_attribute("href")
    assert checkin_url and activity.checkin_token in checkin_url

    # The member opens the QR code's address on a phone, logs in and checks in.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    phone.set_default_timeout(15_000)
    member = phone.new_page()
    member.base_url = live_server.url
    login(member, "dang")
    member.goto(checkin_url)
    with member.expect_navigation():
        member.locator("#checkin-button").click()
    assert member.locator("#checkin-result").count() == 1
    assert member.evaluate("document.documentElement.scrollWidth") <= 375
    row = Attendance.objects.get(activity=activity, person=world.dang_membership.person)
    assert (row.status, row.source) == ("present", "qr")
    member.reload()  # a second scan
    assert member.locator("#checkin-result").count() == 1
    assert Attendance.objects.filter(activity=activity, status="present").count() == 1
    phone.close()

    # The admin puts the other member on leave, inline: reason first, then the status.
    page.reload()
    person = world.member_a.person
    row_saved = f"#att-{person.code} [role=status]"  # the swapped row says "saved"
    page.fill(f"#reason-{person.code}", "出差")
    with page.expect_response(lambda response: response.url.endswith("/attendance/")):
        page.locator(f"#reason-{person.code}").blur()
    page.wait_for_selector(row_saved, state="attached")
    page.select_option(f"#status-{person.code}", "leave")
    page.wait_for_selector(f"#att-{person.code} .xf-status-warn")  # the new row shows "on leave"
    assert page.locator(f"#reason-{person.code}").input_value() == "出差"
    assert Attendance.objects.get(activity=activity, person=person).status == "leave"

    # Record the meeting as held, with the minutes.
    page.goto(page.base_url + f"/activities/{activity.code}/held/")
    page.fill("#id_minutes", "王党员：传达上级会议精神。")
    with page.expect_navigation():
        page.locator("main form button[type=submit]").first.click()
    activity.refresh_from_db()
    assert activity.status == "held"
    assert activity.minutes == "王党员：传达上级会议精神。"
    assert activity.quorum_met is True  # 1 of 2 voting members present: half or more
    assert Activity.objects.held().filter(org=world.branch_a, kind__code="general_meeting").count() == 1

    # After: the health check counts it; the finding is met and names the meeting as evidence.
    page.goto(health)
    finding = page.locator(br09).filter(has=page.locator(f"a[href$='/activities/{activity.code}/']"))
    assert finding.count() == 1
    assert finding.locator(".xf-status-ok").count() == 1
