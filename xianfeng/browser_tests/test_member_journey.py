"""The main journey of the foundation, in a real browser: log in, walk the tree, add a member,
import a workbook with a bad row and read the error report, then import a good one."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from xianfeng.browser_tests.conftest import login
from xianfeng.people.models import Membership, Person
from xianfeng.testing import id_number_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _workbook_from_template(page: Any, rows: list[dict[str, Any]], tmp_path: Path) -> Path:
    """Download the import template through the UI and fill it the way a user would."""
    with page.expect_download() as download_info:
        page.locator("a[href$='/members/io/template/']").click()
    template = tmp_path / "template.xlsx"
    download_info.value.save_as(template)
    workbook = load_workbook(template)
    sheet = workbook.worksheets[0]
    headers = [cell.value for cell in sheet[1]]
    for row in rows:
        sheet.append([row.get(header, "") for header in headers])
    target = tmp_path / "members.xlsx"
    workbook.save(target)
    return target


def _row(name: str, birth: dt.date, org: str, **extra: Any) -> dict[str, Any]:
    return {
        "姓名": name,
        "身份证号码": id_number_for(birth, "male"),
        "所在组织(名称或编码)": org,
        "政治面貌": "入党申请人",
        "申请入党日期": "2025-03-01",
        **extra,
    }


def test_a_branch_admin_walks_the_tree_adds_a_member_and_imports(page, world, tmp_path):
    login(page, "alice")
    assert page.url.rstrip("/") == page.base_url  # lands on the workbench

    # Walk the tree down to the branch and see its page.
    page.goto(page.base_url + "/orgs/")
    page.get_by_role("link", name=world.branch_a.name).first.click()
    page.wait_for_url(f"**/orgs/{world.branch_a.pk}/")
    assert world.branch_a.name in page.locator("h1").inner_text()

    # Add a member through the form; birth date and gender come from the ID number.
    page.goto(page.base_url + "/members/new/")
    page.fill("#id_name", "孙浏览")
    page.fill("#id_id_number", id_number_for(dt.date(1995, 5, 20), "female"))
    page.select_option("#id_status", "applicant")
    page.fill("#id_application_date", "2025-06-01")
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert "孙浏览" in page.locator("main").inner_text()
    added = Person.objects.get(name="孙浏览")
    assert added.birth_date == dt.date(1995, 5, 20) and added.membership.org == world.branch_a

    # Import: one row points to a sibling branch outside alice's scope; nothing may be written.
    page.goto(page.base_url + "/members/io/import/")
    bad = _workbook_from_template(
        page,
        [
            _row("导入甲", dt.date(1990, 1, 1), world.branch_a.code),
            _row("导入乙", dt.date(1991, 2, 2), world.branch_b.code),
        ],
        tmp_path,
    )
    page.set_input_files("input[type=file]", str(bad))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    error_rows = page.locator("main table tbody tr")
    assert error_rows.count() == 1  # only the bad row is reported
    cells = error_rows.first.locator("td").all_inner_texts()
    assert cells[0] == "3" and cells[1] == "所在组织(名称或编码)"  # sheet row 3, the org column
    page.screenshot(path=str(tmp_path / "import-errors.png"), full_page=True)
    assert not Person.objects.filter(name__in=["导入甲", "导入乙"]).exists()

    # A corrected file is previewed, confirmed, and imported whole.
    page.goto(page.base_url + "/members/io/import/")
    good = _workbook_from_template(
        page,
        [
            _row("导入甲", dt.date(1990, 1, 1), world.branch_a.code),
            _row("导入丙", dt.date(1992, 3, 3), world.branch_a.code),
        ],
        tmp_path,
    )
    page.set_input_files("input[type=file]", str(good))
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    page.locator("form button[type=submit]").last.click()  # confirm
    page.wait_for_load_state()
    assert Membership.objects.filter(person__name__in=["导入甲", "导入丙"], org=world.branch_a).count() == 2


def test_a_member_sees_their_own_record_on_a_phone(browser, live_server, world):
    context = browser.new_context(locale="zh-CN", viewport={"width": 375, "height": 740}, is_mobile=True)
    page = context.new_page()
    page.base_url = live_server.url
    login(page, "dang")
    page.goto(live_server.url + "/members/me/")
    text = page.locator("main").inner_text()
    assert "王党员" in text
    assert world.dang_membership.person.id_number not in text  # masked by default
    # Nothing is wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    context.close()
