"""Responsibility lists, pledges acknowledged by the signer, monthly themes, and weekly summaries and
monthly plans visible up the tree."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from xianfeng.people.choices import Post
from xianfeng.supervision import services
from xianfeng.supervision.models import PlanKind, Pledge, ResponsibilityList, WorkPlan
from xianfeng.supervision.tests.helpers import D


class TestResponsibility:
    def test_a_list_is_for_a_post_or_a_person(self, world):
        with pytest.raises(ValidationError) as exc:
            services.responsibility_list_create(
                actor=world.alice, org=world.branch_a, year=2026, kind="principal", content="x"
            )
        assert "post" in exc.value.message_dict
        row = services.responsibility_list_create(
            actor=world.alice,
            org=world.branch_a,
            year=2026,
            kind="principal",
            post=Post.SECRETARY,
            content="第一责任人\n\n一岗双责",
        )
        assert row.lines() == ["第一责任人", "一岗双责"]
        with pytest.raises(PermissionDenied):
            services.responsibility_list_create(
                actor=world.bob,
                org=world.branch_a,
                year=2026,
                kind="principal",
                post=Post.SECRETARY,
                content="x",
            )
        assert ResponsibilityList.objects.count() == 1

    def test_only_the_signer_acknowledges_once(self, world):
        pledge = services.pledge_issue(
            actor=world.alice,
            org=world.branch_a,
            year=2026,
            title="责任书",
            content="承诺",
            signer=world.dang_membership.person,
        )
        for who in (world.alice, world.boss):
            with pytest.raises(ValidationError, match="Only"):
                services.pledge_acknowledge(actor=who, pledge=pledge)
        services.pledge_acknowledge(actor=world.dang, pledge=pledge)
        with pytest.raises(ValidationError, match="already"):
            services.pledge_acknowledge(actor=world.dang, pledge=pledge)
        assert Pledge.objects.get().acknowledged_at is not None

    def test_the_same_pledge_twice_is_refused(self, world):
        data = {
            "org": world.branch_a,
            "year": 2026,
            "title": "责任书",
            "content": "x",
            "signer": world.dang_membership.person,
        }
        services.pledge_issue(actor=world.alice, **data)
        with pytest.raises(ValidationError):
            services.pledge_issue(actor=world.alice, **data)


class TestThemesAndPlans:
    def test_a_theme_belongs_to_a_committee_and_is_replaced_in_the_same_month(self, world):
        with pytest.raises(ValidationError):
            services.theme_set(actor=world.alice, org=world.branch_a, month=D(2026, 3, 1), theme="x")
        services.theme_set(actor=world.boss, org=world.committee, month=D(2026, 3, 9), theme="党小组建设月")
        row = services.theme_set(
            actor=world.boss, org=world.committee, month=D(2026, 3, 20), theme="党支部标准化建设月"
        )
        assert row.month == D(2026, 3, 1) and row.theme == "党支部标准化建设月"

    def test_periods_are_mondays_and_first_days(self, world):
        week = services.plan_save(
            actor=world.alice,
            org=world.branch_a,
            kind=PlanKind.WEEKLY_SUMMARY,
            period=D(2026, 3, 12),
            content="x",
        )
        month = services.plan_save(
            actor=world.alice,
            org=world.branch_a,
            kind=PlanKind.MONTHLY_PLAN,
            period=D(2026, 3, 12),
            content="y",
        )
        assert (week.period, month.period) == (D(2026, 3, 9), D(2026, 3, 1))
        services.plan_save(
            actor=world.alice,
            org=world.branch_a,
            kind=PlanKind.WEEKLY_SUMMARY,
            period=D(2026, 3, 13),
            content="z",
        )
        assert WorkPlan.objects.count() == 2

    def test_plans_are_visible_up_the_tree_not_across(self, client, world):
        services.plan_save(
            actor=world.alice,
            org=world.branch_a,
            kind=PlanKind.MONTHLY_PLAN,
            period=D(2026, 3, 1),
            content="支部三月计划",
        )
        url = reverse("supervision:plans") + "?month=2026-03&org="
        client.force_login(world.boss)
        assert "支部三月计划" in client.get(url + str(world.committee.pk)).content.decode()
        client.force_login(world.charlie)
        assert "支部三月计划" not in client.get(url + str(world.branch_b.pk)).content.decode()
        assert client.get(url + str(world.branch_a.pk)).status_code == 404
