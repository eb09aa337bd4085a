"""Accounts in a real browser: a committee admin creates an account with a branch role; the new
user logs in and sees that branch only; a weak password is refused on the way."""

from __future__ import annotations

import pytest

from xianfeng.browser_tests.conftest import login
from xianfeng.core.models import AuditEvent, RoleGrant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_committee_admin_creates_a_branch_admin_who_sees_only_their_branch(
    page, world, browser, live_server
):
    login(page, "boss")
    page.goto(page.base_url + "/users/new/")
    page.fill("#id_username", "zhibu_b")
    page.fill("#id_full_name", "李书记")
    page.fill("#id_password", "weakpass")
    page.fill("#id_password2", "weakpass")
    page.select_option("#id_org", str(world.branch_b.pk))
    page.select_option("#id_role", "branch_admin")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.locator("#id_password").evaluate(
        "e => e.classList.contains('is-invalid')"
    )  # named under the field
    assert not RoleGrant.objects.filter(user__username="zhibu_b").exists()

    page.fill("#id_password", "Zhibu-2026x")
    page.fill("#id_password2", "Zhibu-2026x")
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()
    grant = RoleGrant.objects.get(user__username="zhibu_b")
    assert (grant.org, grant.role) == (world.branch_b, "branch_admin")
    assert AuditEvent.objects.filter(action="role.grant", org=world.branch_b).exists()

    # The new account logs in (a second browser context) and its member list holds branch B only.
    context = browser.new_context(locale="zh-CN")
    other = context.new_page()
    other.base_url = live_server.url
    login(other, "zhibu_b", "Zhibu-2026x")
    other.goto(live_server.url + "/members/")
    table = other.locator("main table").inner_text()
    assert world.member_b.person.name in table and world.member_a.person.name not in table
    response = other.request.get(live_server.url + f"/members/{world.member_a.code}/")
    assert response.status == 404  # a sibling branch's member does not exist for this account
    context.close()
