from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.core.roles import Role
from xianfeng.supervision import selectors, services
from xianfeng.supervision.models import Rectification, RectificationStatus
from xianfeng.supervision.tests.helpers import ISSUED, D, batch, pdf, rectification
from xianfeng.testing import make_user


class TestRegister:
    def test_from_finding_to_verified_closure(self, world):
        item = rectification(world)
        services.rectification_submit(actor=world.dang, item=item, evidence="已补齐记录", files=[pdf()])
        item.refresh_from_db()
        assert item.status == RectificationStatus.SUBMITTED and item.files.count() == 1
        services.rectification_verify(actor=world.boss, item=item, accept=True, note="材料齐全")
        item.refresh_from_db()
        assert item.status == RectificationStatus.CLOSED and item.verified_by == world.boss

    def test_verification_refused_sends_it_back(self, world):
        item = rectification(world)
        services.rectification_submit(actor=world.alice, item=item, evidence="已整改")
        with pytest.raises(ValidationError) as exc:
            services.rectification_verify(actor=world.boss, item=item, accept=False, note="")
        assert "note" in exc.value.message_dict
        services.rectification_verify(actor=world.boss, item=item, accept=False, note="缺少佐证")
        item.refresh_from_db()
        assert item.status == RectificationStatus.OPEN and item.verification_note == "缺少佐证"

    def test_submitting_without_evidence_is_refused(self, world):
        item = rectification(world)
        with pytest.raises(ValidationError) as exc:
            services.rectification_submit(actor=world.dang, item=item, evidence=" ")
        assert "evidence" in exc.value.message_dict
        item.refresh_from_db()
        assert item.status == RectificationStatus.OPEN

    def test_the_owner_never_verifies(self, world):
        # A committee administrator who is also the person responsible for the problem.
        owner = make_user("owner", grants=[(Role.COMMITTEE_ADMIN, world.committee)])
        person = world.member_a.person
        person.user = owner
        person.save(update_fields=["user"])
        item = rectification(world, responsible_person=person)
        services.rectification_submit(actor=world.alice, item=item, evidence="已整改")
        with pytest.raises(ValidationError, match="cannot verify their own"):
            services.rectification_verify(actor=owner, item=item, accept=True)
        item.refresh_from_db()
        assert item.status == RectificationStatus.SUBMITTED

    def test_whoever_submitted_cannot_verify(self, world):
        item = rectification(world)
        services.rectification_submit(actor=world.boss, item=item, evidence="已整改")
        with pytest.raises(ValidationError, match="submitted the evidence"):
            services.rectification_verify(actor=world.boss, item=item, accept=True)
        services.rectification_verify(actor=world.admin, item=item, accept=True)

    def test_only_the_issuer_verifies(self, world):
        item = rectification(world)
        services.rectification_submit(actor=world.dang, item=item, evidence="已整改")
        with pytest.raises(PermissionDenied):
            services.rectification_verify(actor=world.alice, item=item, accept=True)

    def test_a_deadline_before_the_issue_date_is_refused(self, world):
        b = batch(world)
        with pytest.raises(ValidationError) as exc:
            rectification(world, b, deadline=ISSUED - D.resolution)
        assert "deadline" in exc.value.message_dict
        assert not Rectification.objects.exists()

    def test_rectify_at_once_has_a_short_deadline(self, world, settings):
        settings.XIANFENG_SUPERVISION_IMMEDIATE_DAYS = 10
        b = batch(world)
        item = rectification(world, b, immediate=True, deadline=None)
        assert item.deadline == D(2026, 2, 11)
        with pytest.raises(ValidationError, match="within 10 days"):
            rectification(world, b, immediate=True, deadline=D(2026, 3, 1))

    def test_counts_by_category_for_reports(self, world, django_assert_num_queries):
        b = batch(world)
        done = rectification(world, b)
        rectification(world, b, category="conduct")
        rectification(world, b, category="conduct", immediate=True, deadline=None)
        services.rectification_submit(actor=world.dang, item=done, evidence="x")
        services.rectification_verify(actor=world.boss, item=done, accept=True)
        with django_assert_num_queries(1):
            counts = selectors.rectification_counts(org=world.committee, today=D(2026, 3, 1))
        assert [(c.category, c.problems, c.rectified, c.immediate, c.overdue) for c in counts] == [
            ("organizational", 1, 1, 0, 0),
            ("conduct", 2, 0, 1, 1),
        ]
        assert selectors.rectification_counts(org=world.branch_b) == []
        assert selectors.rectification_counts(org=world.committee, start=D(2027, 1, 1)) == []


def test_the_owner_writes_the_measures_while_rectifying(world):
    item = rectification(world)
    services.rectification_update(actor=world.dang, item=item, measures="逐月检查会议记录")
    item.refresh_from_db()
    assert item.measures == "逐月检查会议记录"
    services.rectification_submit(actor=world.dang, item=item, evidence="x")
    with pytest.raises(ValidationError):
        services.rectification_update(actor=world.dang, item=item, measures="y")
    with pytest.raises(PermissionDenied):
        services.rectification_update(actor=world.charlie, item=item, measures="y")
