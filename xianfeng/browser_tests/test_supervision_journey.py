"""From an inspection finding to verified closure, in a real browser: the committee records what the
inspection found and issues the rectification notice; the member responsible opens "my items" on a
phone and submits the evidence with a file; the owner cannot verify their own rectification; the
committee verifies it and the register shows it closed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from xianfeng.browser_tests.conftest import login
from xianfeng.supervision.models import Rectification, RectificationStatus

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def submit(page: Any) -> None:
    page.click("main form[method=post] button[type=submit]")
    page.wait_for_load_state()


def test_inspection_finding_to_verified_closure(page, world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"  # evidence files stay out of var/media
    from django.utils import timezone

    today = timezone.localdate()
    # The committee records the inspection batch and one problem for branch A.
    login(page, "boss")
    page.goto(f"{page.base_url}{reverse('supervision:batch_create')}?org={world.committee.pk}")
    page.select_option("#id_source", "inspection")
    page.fill("#id_title", "2026年公司党委第一巡察组反馈问题")
    page.fill("#id_issued_on", today.isoformat())
    submit(page)
    page.wait_for_selector("#id_problem")  # on to the batch's first problem
    page.fill("#id_problem", "“三会一课”记录不规范，会议要素不全")
    page.select_option("#id_category", "organizational")
    page.select_option("#id_responsible_org", str(world.branch_a.pk))
    page.select_option("#id_responsible_person", str(world.dang_membership.person.pk))
    page.fill("#id_measures", "重新学习支部工作条例，规范记录")
    page.fill("#id_deadline", (today - dt.timedelta(days=1)).isoformat())  # before the issue date
    submit(page)
    assert page.locator("#id_deadline.is-invalid").count() == 1  # refused on the field, input kept
    assert page.input_value("#id_problem").startswith("“三会一课”")
    page.fill("#id_deadline", (today + dt.timedelta(days=30)).isoformat())
    submit(page)
    page.wait_for_selector(".alert-success")
    item = Rectification.objects.get()
    row = page.locator(f"#xf-register tr[data-rectification='{item.code}']")
    assert row.count() == 1
    notice = page.locator(f"a[href$='{reverse('supervision:notice', args=[item.batch.code])}']")
    with page.expect_download() as download:
        notice.click()
    assert download.value.suggested_filename.endswith(".docx")

    # The member responsible, on a phone: "my items" → the problem → evidence with a file.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 390, "height": 844})
    login(page, "dang")
    page.goto(page.base_url + reverse("supervision:mine"))
    page.click(f"a[data-rectification='{item.code}']")
    page.click(f"a[href$='{reverse('supervision:rectification_submit', args=[item.code])}']")
    evidence = tmp_path / "整改报告.pdf"
    evidence.write_bytes(PDF)
    page.fill("#id_evidence", "已补齐3月至5月会议记录，附整改报告")
    page.set_input_files("#id_evidence_files", str(evidence))
    submit(page)
    page.wait_for_selector("[data-testid=evidence]")
    assert "整改报告.pdf" in page.inner_text("main")
    # The owner never verifies.
    response = page.goto(page.base_url + reverse("supervision:rectification_verify", args=[item.code]))
    assert response is not None and response.status == 403

    # The committee verifies: accepted, closed.
    page.context.clear_cookies()
    page.set_viewport_size({"width": 1366, "height": 900})
    login(page, "boss")
    page.goto(page.base_url + reverse("supervision:mine"))
    page.click(f"a[data-verify='{item.code}']")
    page.click(f"a[href$='{reverse('supervision:rectification_verify', args=[item.code])}']")
    page.check("input[name=decision][value=accept]")
    page.fill("#id_note", "经查验，整改到位，同意销号")
    submit(page)
    page.wait_for_selector("[data-testid=verification]")
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED and item.verified_by == world.boss
    page.goto(f"{page.base_url}{reverse('supervision:rectifications')}?org={world.committee.pk}&state=closed")
    assert page.locator(f"#xf-register tr[data-rectification='{item.code}'] .text-bg-success").count() == 1
