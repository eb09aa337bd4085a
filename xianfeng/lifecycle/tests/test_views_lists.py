"""The org pages: open letters (overdue first), members away (contact overdue first), suspensions (due
for removal first), the medal list — scoped to the org's subtree, in a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from xianfeng.core.models import AuditEvent
from xianfeng.lifecycle.choices import AwayReason
from xianfeng.lifecycle.tests.helpers import TODAY, away, contact, days_ago, issue, months_ago, suspend
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db


def page(client, name, org, **params):
    return client.get(reverse(name), {"org": org.pk, **params})


def queries(client, name, org, **params):
    with CaptureQueriesContext(connection) as ctx:
        assert page(client, name, org, **params).status_code == 200
    return len(ctx.captured_queries)


class TestLetters:
    def test_open_letters_overdue_first_within_the_subtree(self, client, world):
        fresh = issue(world.member_a, issue_date=days_ago(1))
        late = issue(world.dang_membership, issue_date=days_ago(120))
        issue(world.member_b, issue_date=days_ago(200))  # branch B
        client.force_login(world.alice)
        response = page(client, "lifecycle:letters", world.branch_a)
        rows = response.context["rows"]
        assert [r.letter for r in rows] == [late, fresh]
        assert [r.state for r in rows] == ["overdue", "issued"]
        assert response.context["overdue_count"] == 1
        assert "30 days" in response.content.decode()  # 120 − 90

    def test_all_letters_include_received_ones(self, client, world):
        from xianfeng.lifecycle.services import letter_receive

        letter = issue(world.member_a, issue_date=days_ago(10))
        letter_receive(actor=None, letter=letter, received_date=TODAY)
        client.force_login(world.alice)
        assert page(client, "lifecycle:letters", world.branch_a).context["rows"] == []
        assert [
            r.state for r in page(client, "lifecycle:letters", world.branch_a, show="all").context["rows"]
        ] == ["received"]

    def test_queries_do_not_grow_with_the_letters(self, client, world):
        client.force_login(world.boss)
        issue(world.member_a)
        one = queries(client, "lifecycle:letters", world.committee)
        for _ in range(5):
            issue(make_member(world.branch_b), issue_date=days_ago(100))
        assert queries(client, "lifecycle:letters", world.committee) == one

    def test_the_receive_button_is_for_writers(self, client, world):
        client.force_login(world.bob)
        assert (
            "Receive a member from outside"
            not in page(client, "lifecycle:letters", world.branch_a).content.decode()
        )
        client.force_login(world.alice)
        assert (
            "Receive a member from outside"
            in page(client, "lifecycle:letters", world.branch_a).content.decode()
        )


class TestMobile:
    def test_contact_overdue_first(self, client, world):
        near = away(world.member_a, start_date=months_ago(1), reason=AwayReason.WORK)
        overdue = away(world.dang_membership, start_date=months_ago(8), reason=AwayReason.STUDY_ABROAD)
        contact(overdue, months_ago(7))
        client.force_login(world.alice)
        response = page(client, "lifecycle:mobile", world.branch_a)
        rows = list(response.context["page"])
        assert [r.record for r in rows] == [overdue, near]
        assert rows[0].state.contact_overdue and rows[0].state.mobile and not rows[1].state.mobile
        assert response.context["overdue_count"] == 1
        assert rows[0].state.last_contact == months_ago(7)

    def test_queries_do_not_grow_with_the_members_away(self, client, world):
        client.force_login(world.boss)
        contact(away(world.member_a), TODAY)
        one = queries(client, "lifecycle:mobile", world.committee)
        for n in range(5):
            record = away(
                make_member(world.branch_b), reason=AwayReason.WORK_ABROAD, start_date=months_ago(n + 1)
            )
            contact(record, TODAY)
        assert queries(client, "lifecycle:mobile", world.committee) == one


class TestSuspensions:
    def test_due_for_removal_first(self, client, world):
        recent = suspend(world.member_a, start_date=days_ago(20))
        old = suspend(world.dang_membership, start_date=TODAY - relativedelta(years=2, days=3))
        client.force_login(world.bob)
        rows = list(page(client, "lifecycle:suspensions", world.branch_a).context["page"])
        assert [(r.suspension, r.state) for r in rows] == [(old, "due_removal"), (recent, "suspended")]

    def test_queries_do_not_grow_with_the_suspensions(self, client, world):
        client.force_login(world.boss)
        suspend(world.member_a)
        one = queries(client, "lifecycle:suspensions", world.committee)
        for _ in range(5):
            suspend(make_member(world.branch_b))
        assert queries(client, "lifecycle:suspensions", world.committee) == one


class TestMedal:
    def veteran(self, org, conversion, name):
        return make_member(
            org, name=name, admission_date=conversion - relativedelta(years=1), birth_date=dt.date(1948, 1, 1)
        )

    def test_the_page_lists_the_year_and_exports(self, client, world):
        self.veteran(world.branch_a, dt.date(1976, 7, 1), "老党员甲")
        self.veteran(world.branch_a, dt.date(1976, 7, 2), "老党员乙")
        client.force_login(world.alice)
        response = page(client, "lifecycle:medal", world.branch_a, year=2026)
        assert [m.person.name for m, _age in response.context["rows"]] == ["老党员甲"]
        assert response.context["rows"][0][1] == 50
        assert "Export .xlsx" in response.content.decode()
        download = client.get(reverse("lifecycle:medal_export"), {"org": world.branch_a.pk, "year": 2026})
        assert download.status_code == 200 and ".xlsx" in download["Content-Disposition"]
        assert AuditEvent.objects.get(action="export.medal_list").after == {"year": 2026, "rows": 1}

    def test_readers_see_the_list_without_the_export(self, client, world):
        client.force_login(world.bob)
        assert "Export .xlsx" not in page(client, "lifecycle:medal", world.branch_a).content.decode()

    def test_queries_do_not_grow_with_the_list(self, client, world):
        client.force_login(world.boss)
        self.veteran(world.branch_a, dt.date(1970, 7, 1), "甲")
        one = queries(client, "lifecycle:medal", world.committee, year=2026)
        for n in range(5):
            self.veteran(world.branch_b, dt.date(1970 + n, 1, 1), f"乙{n}")
        assert queries(client, "lifecycle:medal", world.committee, year=2026) == one
