"""A month's dues collection in a real browser: the branch sets the year's bases on the grid (a bad
row first: nothing saved, the error on its row), records the month for everyone on the collection
sheet, and a member sees the payment on their phone."""

from __future__ import annotations

import pytest
from django.utils import timezone

from xianfeng.browser_tests.conftest import login
from xianfeng.dues.models import DuesBase, DuesPayment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_branch_sets_bases_collects_a_month_and_the_member_sees_it(page, browser, world):
    today = timezone.localdate()
    month = f"{today:%Y-%m}"
    login(page, "alice")

    # January's work: the bases grid. A negative base is refused on its row and nothing is saved.
    page.goto(f"{page.base_url}/dues/bases/?org={world.branch_a.pk}&year={today.year}")
    page.fill(f"input[name='base-{world.member_a.code}']", "-5")
    page.fill(f"input[name='base-{world.dang_membership.code}']", "6000")
    page.locator("#xf-bases").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_load_state()
    row = page.locator(f"tr[data-member='{world.member_a.code}']")
    assert "table-danger" in (row.get_attribute("class") or "")
    assert row.locator(".invalid-feedback").is_visible()
    assert DuesBase.objects.count() == 0

    page.fill(f"input[name='base-{world.member_a.code}']", "3000")
    page.locator("#xf-bases").locator("xpath=ancestor::form").locator("button[type=submit]").click()
    page.wait_for_selector(".alert-success")
    amounts = page.locator("#xf-bases tbody tr td.num").all_inner_texts()
    assert any("15.00" in text for text in amounts)  # 3000 × 0.5 %
    assert any("90.00" in text for text in amounts)  # 6000 × 1.5 %

    # The month's collection: select everyone open and record them in one go.
    page.goto(f"{page.base_url}/dues/?org={world.branch_a.pk}&month={month}")
    assert page.locator("[data-testid=collected]").inner_text().strip() == "0.00"
    page.check("#xf-all")
    page.select_option("#id_method", "transfer")
    page.locator("#xf-collect button[type=submit]:not([name=only])").click()
    page.wait_for_selector(".alert-success")
    statuses = page.locator("#xf-sheet tbody tr").evaluate_all("rows => rows.map(r => r.dataset.status)")
    assert statuses == ["paid", "paid"]
    assert page.locator("[data-testid=collected]").inner_text().strip() == "105.00"
    assert page.locator("[data-testid=rate]").inner_text().strip() == "100.0%"
    assert DuesPayment.objects.filter(collector=world.alice).count() == 2

    # The member opens their dues on a phone and finds the month paid.
    phone = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740})
    member_page = phone.new_page()
    member_page.base_url = page.base_url
    login(member_page, "dang")
    member_page.goto(f"{page.base_url}/dues/me/")
    cell = member_page.locator(f"#xf-year tr[data-month='{month}']")
    assert cell.get_attribute("data-status") == "paid"
    assert "90.00" in cell.inner_text()
    assert member_page.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scroll
    phone.close()
