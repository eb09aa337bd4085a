"""Real-browser tests: Playwright drives Debian's chromium (headless) against pytest-django's live server.

Playwright's sync API runs an event loop in this thread, so Django's async-safety guard is lifted for
these tests only (the ORM calls in the test body are ordinary synchronous calls).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed: `make test` installs it (apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def ensure_catalogues() -> None:
    """The catalogues the data migrations load (activity kinds, the national obligations, the dues
    rates, the mistaken political terms). A transactional test restores them from the serialized database; in a parallel CI run they
    were once found missing on a worker all the same, so a journey reloads whatever is absent rather
    than fail on an empty catalogue."""
    from xianfeng.activities.catalogue import load_builtin_kinds
    from xianfeng.activities.models import ActivityKind
    from xianfeng.compliance.catalogue import NATIONAL_FILE, load_profile, read_profile
    from xianfeng.compliance.models import Obligation, ObligationProfile
    from xianfeng.dues.models import RateBracket, RateSchedule
    from xianfeng.dues.rates import load_builtin_schedules

    if not ActivityKind.objects.exists():
        load_builtin_kinds(ActivityKind)
    if not ObligationProfile.objects.filter(builtin=True).exists():
        load_profile(
            read_profile(NATIONAL_FILE),
            profile_model=ObligationProfile,
            obligation_model=Obligation,
            kind_model=ActivityKind,
            builtin=True,
        )
    if not RateSchedule.objects.exists():
        load_builtin_schedules(RateSchedule, RateBracket)
    from xianfeng.reports.checks import builtin_terms
    from xianfeng.reports.models import DraftingTerm

    if not DraftingTerm.objects.exists():
        DraftingTerm.objects.bulk_create(DraftingTerm(wrong=w, right=r) for w, r in builtin_terms())


@pytest.fixture
def page(browser: Any, live_server: Any, request: Any) -> Iterator[Any]:
    ensure_catalogues()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.base_url = live_server.url  # type: ignore[attr-defined]
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:  # keep a screenshot of what the browser showed
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: Any, call: Any) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.when == "call":
        item.rep_call = report


def login(page: Any, username: str, password: str = "Demo@2026") -> None:
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(lambda url: "/login/" not in url)  # the POST has landed and redirected
