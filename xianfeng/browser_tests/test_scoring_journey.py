"""A quarter's branch assessment in a real browser: the committee creates the six-dimension scheme from
its template and puts it in use; the 党建部 evaluator fills their column of the grid with the keyboard
(a score above the maximum is refused in its cell, nothing saved; a stale second window is told of the
conflict and overwrites nothing); the committee computes, ranks, locks and publishes the quarter; the
branch sees its assessment."""

from __future__ import annotations

import pytest

from xianfeng.browser_tests.conftest import login
from xianfeng.scoring.models import Entry, Period, Result, Scheme
from xianfeng.scoring.tests.helpers import YEAR, department_head

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def cell(page, org):
    return page.locator(f"input[data-cell='party-{org.pk}']")


def test_a_quarter_of_branch_assessment(page, browser, world):
    department_head(world, "dangjian", "党建部")

    # The committee creates the scheme from the shipped template and puts it in use.
    login(page, "boss")
    page.goto(f"{page.base_url}/scoring/?org={world.committee.pk}")
    page.select_option("#id_template", "branch_six_dimension")
    page.fill("#id_year", str(YEAR))
    page.locator("#xf-scheme-new button[type=submit]").click()
    page.wait_for_selector("#xf-scheme-form")
    scheme = Scheme.objects.get()
    assert scheme.dimensions.count() == 7
    page.locator("form[action$='/activate/'] button").click()
    page.wait_for_selector(".alert-success")
    scheme.refresh_from_db()
    assert scheme.status == "active"
    quarter = Period.objects.filter(scheme=scheme).order_by("start").first()

    # The 党建部 evaluator fills the 党建 column: a score above 35 is refused in its cell.
    evaluator = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    grid = evaluator.new_page()
    grid.base_url = page.base_url
    login(grid, "dangjian")
    grid.goto(f"{page.base_url}/scoring/periods/{quarter.pk}/grid/?dimension=party")
    cell(grid, world.branch_a).fill("40")
    cell(grid, world.branch_a).press("Enter")  # moves down; the change event saves the cell
    grid.wait_for_selector(f"#cell-party-{world.branch_a.pk} .invalid-feedback")
    assert not Entry.objects.exists()

    cell(grid, world.branch_a).fill("32.5")
    cell(grid, world.branch_a).press("Enter")
    grid.wait_for_selector(f"#cell-party-{world.branch_a.pk} .text-success")
    assert cell(grid, world.branch_b).evaluate("node => node === document.activeElement")  # keyboard flow
    cell(grid, world.branch_b).fill("30")
    cell(grid, world.branch_b).press("Enter")
    grid.wait_for_selector(f"#cell-party-{world.branch_b.pk} .text-success")
    assert sorted(Entry.objects.values_list("points", flat=True)) == [30, 32.5]

    # A second window opened before those saves is stale: its save is refused with the stored value.
    stale = evaluator.new_page()
    stale.base_url = page.base_url
    stale.goto(f"{page.base_url}/scoring/periods/{quarter.pk}/grid/?dimension=party")
    Entry.objects.filter(subject_org=world.branch_a).update(version=5)  # someone else saved meanwhile
    cell(stale, world.branch_a).fill("20")
    cell(stale, world.branch_a).press("Enter")
    stale.wait_for_selector(f"#cell-party-{world.branch_a.pk} .invalid-feedback")
    assert cell(stale, world.branch_a).input_value() == "32.5"
    assert Entry.objects.get(subject_org=world.branch_a).points == 32.5
    evaluator.close()

    # The committee closes the quarter: compute and rank, lock, publish.
    page.goto(f"{page.base_url}/scoring/periods/{quarter.pk}/")
    page.locator("form[action$='/compute/'] button").click()
    page.wait_for_selector("#xf-ranking tbody tr[data-subject]")
    ranking = page.locator("#xf-ranking tbody tr").evaluate_all("rows => rows.map(r => r.dataset.subject)")
    assert ranking == [world.branch_a.name, world.branch_b.name]
    page.locator("form[action$='/lock/'] button").click()
    page.wait_for_selector("form[action$='/publish/']")
    page.locator("form[action$='/publish/'] button").click()
    page.wait_for_selector(".alert-success")
    quarter.refresh_from_db()
    assert quarter.state == "published"
    assert Result.objects.get(period=quarter, subject_org=world.branch_a).rank == 1

    # The branch opens its assessment page and finds the quarter's total and rank.
    branch = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    branch_page = branch.new_page()
    branch_page.base_url = page.base_url
    login(branch_page, "alice")
    branch_page.goto(
        f"{page.base_url}/scoring/branches/{world.branch_a.pk}/?scheme={scheme.pk}&period={quarter.pk}"
    )
    row = branch_page.locator("#xf-branch-history tbody tr").first
    assert "32.50" in row.inner_text()
    branch.close()
