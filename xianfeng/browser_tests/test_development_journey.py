"""A person's development from application to conversion, in a real browser, with a simulated clock:
every step is recorded on a date in the past (application in 2023) so the whole pipeline fits before
today. The branch admin picks each step among those offered, fills only the fields it asks for, sees
what the rules require, has the candidate decision one day before a year refused on the date field,
and watches the board name the next step."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from xianfeng.browser_tests.conftest import login
from xianfeng.development.models import DevelopmentStep
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

VOTES = {"should_attend": "3", "present": "3", "votes_for": "3", "votes_against": "0", "abstentions": "0"}


class Desk:
    """The branch admin's browser on one person's development page."""

    def __init__(self, page: Any, person_url: str) -> None:
        self.page, self.person_url = page, person_url

    def open(self, code: str) -> None:
        self.page.goto(self.person_url)
        self.page.click(f"#xf-offered a[data-step='{code}']")
        self.page.wait_for_selector("#xf-step-form")

    def submit(self, fields: dict[str, str], selects: dict[str, str] | None = None) -> None:
        for name, value in fields.items():
            self.page.fill(f"#id_{name}", value)
        for name, value in (selects or {}).items():
            self.page.select_option(f"#id_{name}", value)
        self.page.click("#xf-step-form button[type=submit]")
        self.page.wait_for_load_state()

    def record(self, code: str, fields: dict[str, str], selects: dict[str, str] | None = None) -> None:
        self.open(code)
        self.submit(fields, selects)
        self.page.wait_for_selector(".alert-success")
        assert self.page.url == self.person_url  # back on the timeline


def board_card(page: Any, board_url: str, code: Any) -> Any:
    page.goto(board_url)
    return page.locator(f"#xf-board li[data-member='{code}']")


def test_application_to_conversion_in_the_browser(page, world):
    person = make_member(
        world.branch_a, name="赵发展", status=PoliticalStatus.APPLICANT, admission_date=dt.date(2025, 3, 1)
    )  # applied on 2023-03-01
    a, b = world.member_a, world.dang_membership  # full members since 2011 and 2018
    login(page, "alice")
    board_url = f"{page.base_url}{reverse('development:board')}?org={world.branch_a.pk}"
    desk = Desk(page, f"{page.base_url}{reverse('development:person', args=[person.code])}")

    card = board_card(page, board_url, person.code)
    assert card.locator("[data-step='talk'][data-level='overdue']").count() == 1  # the talk is late
    assert card.locator(".badge.text-bg-danger").first.inner_text().strip() != ""  # said in words too

    # Stage 1 and 2: application, talk, activist, filing, contacts, a review.
    desk.record("application", {"date": "2023-03-01"})
    desk.record("talk", {"date": "2023-03-15"}, {"person_1": str(a.code)})
    desk.record("activist", {"date": "2023-04-01"})
    desk.record("activist_filed", {"date": "2023-04-10"})
    desk.record("contacts", {"date": "2023-04-10"}, {"person_1": str(a.code), "person_2": str(b.code)})
    card = board_card(page, board_url, person.code)
    assert card.locator("[data-step='activist_review']").count() == 1
    desk.record("activist_review", {"date": "2023-10-01"})

    # A thought report (local rule, quarterly): overdue on the board, recorded on the person's page.
    card = board_card(page, board_url, person.code)
    assert card.locator("[data-step='thought_report'][data-level='overdue']").count() == 1
    page.goto(desk.person_url)
    page.fill("#id_received_on", "2023-07-01")
    page.fill("#id_summary", "第二季度思想汇报")
    page.click("#xf-reports button[type=submit]")
    page.wait_for_selector(".alert-success")
    assert "第二季度思想汇报" in page.locator("#xf-reports").inner_text()

    # Stage 3: one day before a year as activist is refused on the date field, naming the rule.
    desk.open("candidate")
    assert "2024-04-01" in page.locator("#xf-requirements").inner_text()  # said before the save
    desk.submit({"date": "2024-03-31"})
    error = page.locator("#id_date_errors").inner_text()
    assert "DEV-08" in error and "2024-04-01" in error
    assert page.locator("#id_date").get_attribute("aria-invalid") == "true"
    assert not DevelopmentStep.objects.filter(membership=person, step="candidate").exists()
    desk.submit({"date": "2024-04-01"})
    page.wait_for_selector(".alert-success")
    desk.record("candidate_filed", {"date": "2024-04-10"})
    desk.record("sponsors", {"date": "2024-04-10"}, {"person_1": str(a.code), "person_2": str(b.code)})
    desk.record(
        "political_review", {"date": "2024-04-20", "conclusion": "政治审查合格"}, {"decision": "passed"}
    )
    desk.record("training", {"date": "2024-04-25", "training_days": "3"})

    # Stage 4: acceptance; the board then waits for the committee's approval.
    desk.record("committee_check", {"date": "2024-05-01"})
    desk.record("pre_review", {"date": "2024-05-10"}, {"decision": "passed"})
    desk.record("volunteer_form", {"date": "2024-05-15"})
    desk.open("acceptance_meeting")
    assert "DEV-13" in page.locator("#xf-requirements").inner_text()
    desk.submit({"date": "2024-06-01", **VOTES})
    page.wait_for_selector(".alert-success")
    desk.record("higher_talk", {"date": "2024-06-10"}, {"person_1": str(a.code)})
    card = board_card(page, board_url, person.code)
    assert card.locator("[data-step='approval']").count() == 1
    desk.record(
        "approval", {"date": "2024-06-20"}, {"decision": "passed", "approving_org": str(world.committee.pk)}
    )
    person.refresh_from_db()
    assert person.status == PoliticalStatus.PROBATIONARY and str(person.admission_date) == "2024-06-01"

    # Stage 5: conversion when probation has ended, then the committee's approval.
    card = board_card(page, board_url, person.code)
    assert card.locator("[data-step='conversion_meeting']").count() == 1
    desk.record("conversion_application", {"date": "2025-05-20"})
    desk.record("conversion_meeting", {"date": "2025-06-01", **VOTES}, {"decision": "passed"})
    desk.record("conversion_approval", {"date": "2025-06-20"}, {"decision": "passed"})
    person.refresh_from_db()
    assert person.status == PoliticalStatus.FULL and str(person.conversion_date) == "2025-06-01"
    assert page.locator("[data-testid=status]").get_attribute("data-status") == PoliticalStatus.FULL
    assert page.locator("#xf-timeline-5 li[data-step='conversion_approval']").count() == 1
    assert board_card(page, board_url, person.code).count() == 0  # a full member leaves the board
