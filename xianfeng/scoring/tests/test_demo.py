"""The demo's evaluation data: built through the services, fast, with published quarters, an open
current quarter, evaluator accounts, and member points from the demo's records."""

from __future__ import annotations

import datetime as dt
import io
import time
from contextlib import redirect_stdout
from unittest import mock

from django.test import TestCase, override_settings

from xianfeng import demo
from xianfeng.core.context import request_context
from xianfeng.scoring import demo as scoring_demo
from xianfeng.scoring.choices import EntrySource
from xianfeng.scoring.models import Entry, Result, Scheme

TODAY = dt.date(2026, 11, 19)


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class TestDemoScoring(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.seconds = 0.0

        def timed(result, *, today):
            start = time.perf_counter()
            scoring_demo.build_demo(result, today=today)
            cls.seconds = time.perf_counter() - start

        with (
            mock.patch.object(demo, "build_scoring_demo", timed),
            redirect_stdout(io.StringIO()),
            request_context(source="command"),
        ):
            cls.result = demo.build_demo(today=TODAY)

    def test_it_is_fast(self):
        assert self.seconds < 8, self.seconds  # a few seconds on a busy shared machine

    def test_past_quarters_are_published_and_the_current_one_is_open(self):
        scheme = Scheme.objects.get(template="branch_six_dimension")
        states = list(scheme.periods.order_by("start").values_list("state", flat=True))
        assert states == ["published", "published", "published", "open"]
        q1 = scheme.periods.order_by("start").first()
        ranks = list(Result.objects.filter(period=q1).order_by("rank").values_list("rank", flat=True))
        assert len(ranks) >= 5 and ranks[0] == 1
        assert any(r.outcomes for r in Result.objects.filter(period=q1))

    def test_the_evaluators_have_accounts(self):
        usernames = {row[0] for row in self.result.accounts}
        assert {"dangjianbu", "jiwei"} <= usernames

    def test_member_points_come_from_records_and_approved_entries(self):
        scheme = Scheme.objects.get(template="member_points_3_2")
        period = scheme.periods.get()
        assert Entry.objects.filter(period=period, source=EntrySource.ATTENDANCE).exists()
        assert Entry.objects.filter(period=period, source=EntrySource.MANUAL, status="approved").count() >= 5
        assert Result.objects.filter(period=period).count() > 100
