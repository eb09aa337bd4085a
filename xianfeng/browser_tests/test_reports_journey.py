"""The annual summary in a real browser: the committee's staff choose the org and the year, build the
summary (a job with a progress bar), open the preview, click a figure and see the records behind
it, rewrite a paragraph (a mistaken term is caught at once) and export the Word document."""

from __future__ import annotations

import io

import pytest
from docx import Document

from xianfeng.browser_tests.conftest import login
from xianfeng.reports.models import SummaryDocument
from xianfeng.reports.tests.conftest import YEAR, records  # noqa: F401 - the hand-counted records

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_build_preview_trace_a_figure_edit_and_export(page, records, settings):  # noqa: F811
    # The job runs within the request here: a worker thread writing to the test server's shared
    # in-memory SQLite database while the page polls can hit SQLite's shared-cache table locks,
    # which busy_timeout does not cover (a file database in WAL mode has no such problem). The
    # polling itself is tested in reports/tests/test_views.py.
    settings.XIANFENG_REPORTS_JOB_MODE = "inline"
    world = records.world
    login(page, "boss")
    page.goto(f"{page.base_url}/reports/?org={world.committee.pk}")
    page.select_option("#xf-rep-year", str(YEAR))
    page.click("[data-testid=build]")

    # the job page shows the progress bar, then moves on to the preview by itself
    page.wait_for_url(lambda url: "/reports/documents/" in url, timeout=60_000)
    assert page.locator("h1").inner_text().startswith(world.committee.name)
    assert page.locator("#xf-checks").is_visible()

    # a figure opens exactly the records it counts
    figure = page.locator("article [data-fact='activities.kind.party_committee_meeting']").first
    assert figure.inner_text() == "2"
    figure.click()
    panel = page.locator("[data-testid=records]")
    panel.wait_for()
    rows = panel.locator("tbody tr")
    assert rows.count() == 2
    text = panel.inner_text()
    assert "党委会（3月）" in text and "党委会（9月）" in text and "党委会（上年）" not in text

    # rewrite the opening paragraph; the mistaken term is flagged at once
    opening = page.locator("#xf-block-b2")
    opening.hover()
    page.click("[data-testid=edit-b2]")
    page.fill(
        "#xf-block-b2 textarea",
        "一年来，党委坚决做到二个维护，召开党委会{{activities.kind.party_committee_meeting}}次。",
    )
    page.click("#xf-block-b2 [data-testid=save-block]")
    page.wait_for_selector("#xf-block-b2 [data-fact='activities.kind.party_committee_meeting']")
    assert "坚决做到二个维护" in page.locator("#xf-block-b2").inner_text()
    page.wait_for_selector("[data-testid=check-errors]")
    assert "两个维护" in page.locator("#xf-checks").inner_text()

    # export: the Word file carries the edited prose and the figures
    with page.expect_download() as info:
        page.click("[data-testid=download-docx]")
    data = open(info.value.path(), "rb").read()  # noqa: SIM115 - the browser's temp file
    text = "\n".join(p.text for p in Document(io.BytesIO(data)).paragraphs)
    assert "召开党委会2次" in text and "二个维护" in text
    assert SummaryDocument.objects.get().edited
