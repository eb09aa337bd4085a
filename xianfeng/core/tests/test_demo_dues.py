"""The demo's party dues: bases for everyone, payments that pass the service's checks, audited, and the
deliberate gaps (a warning, a DUES-13 finding, an excused member, a reduction, extra payments)."""

import datetime as dt
import io
from collections import Counter, defaultdict
from contextlib import redirect_stdout
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings

from xianfeng import demo
from xianfeng.compliance.engine import Scope
from xianfeng.compliance.rules import coded_findings
from xianfeng.core.context import request_context
from xianfeng.core.models import AuditEvent
from xianfeng.dues import services
from xianfeng.dues.choices import DuesCategory, Hardship, PaymentKind
from xianfeng.dues.models import (
    ArrearsReason,
    DuesBase,
    DuesBaseAdjustment,
    DuesPayment,
    Remittance,
    RemittanceRatio,
)
from xianfeng.dues.selectors import amount_in_month, arrears
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership

TODAY = dt.date(2026, 11, 19)  # late 2026: last year complete, this year up to October


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
class TestDemoDues(TestCase):
    @classmethod
    def setUpTestData(cls):
        out = io.StringIO()
        with redirect_stdout(out), request_context(source="command"):
            cls.result = demo.build_demo(today=TODAY)
        cls.output = out.getvalue()
        cls.root = cls.result.root
        cls.rows = {r.membership.pk: r for r in arrears(scope_orgs_or_user=[cls.root], as_of=TODAY)}

    def test_every_party_member_has_a_base_for_each_year_they_owe_dues(self):
        members = Membership.objects.filter(status__in=PARTY_MEMBER_STATUSES, left_date__isnull=True)
        for year in (2025, 2026):
            owing = members.filter(admission_date__lte=dt.date(year, 12, 31))
            with_base = set(DuesBase.objects.filter(year=year).values_list("membership_id", flat=True))
            assert set(owing.values_list("pk", flat=True)) <= with_base, year
        categories = Counter(DuesBase.objects.filter(year=2026).values_list("category", flat=True))
        assert categories[DuesCategory.EMPLOYED] > 150
        assert 25 <= categories[DuesCategory.RETIRED] <= 40
        assert categories[DuesCategory.STUDENT] == 1
        assert DuesBase.objects.get(category=DuesCategory.STUDENT).monthly_amount == Decimal("0.20")
        employed = DuesBase.objects.filter(category=DuesCategory.EMPLOYED)
        assert all(Decimal(4000) <= b.base <= Decimal(16000) for b in employed)
        assert DuesBaseAdjustment.objects.count() == 1

    def test_the_three_gaps_warning_finding_and_excused(self):
        behind = {pk: r for pk, r in self.rows.items() if r.unpaid_months}
        assert len(behind) == 3, {r.membership.person.name: r.unpaid_months for r in behind.values()}
        by_run = {r.consecutive_unpaid: r for r in behind.values()}
        assert set(by_run) == {3, 6, 7}
        assert by_run[3].warning and by_run[3].finding is None
        assert by_run[3].membership.org.name == "配电运检党支部"
        assert by_run[7].finding is not None and by_run[7].finding.code == "DUES-13"
        assert by_run[7].membership.org.name == "营销服务中心党支部"
        assert by_run[6].warning and by_run[6].finding is None  # a recorded reason suspends the rule
        assert ArrearsReason.objects.get().membership == by_run[6].membership
        assert not any(r.missing_base for r in self.rows.values())

    def test_the_finding_member_is_the_one_absent_from_organizational_life(self):
        found = coded_findings(scope=self.root, today=TODAY)
        absent = {f.person_id for f in found if f.rule == "rule/absent_from_org_life"}
        dues = [f for f in found if f.rule == "rule/dues_arrears"]
        assert len(dues) == 3  # two due soon (three and six months), one overdue (seven, no reason)
        overdue = {f.person_id for f in dues if f.status == "overdue"}
        assert overdue and overdue == absent

    def test_the_demo_branch_has_no_dues_gap(self):
        chengdong = self.result.orgs["chengdong"]
        found = coded_findings(scope=Scope.org_and_groups(chengdong), today=TODAY)
        assert not [f for f in found if f.rule == "rule/dues_arrears"]

    def test_a_reduction_approved_by_the_committee_and_extra_payments(self):
        reduced = DuesBase.objects.get(hardship=Hardship.REDUCTION)
        assert reduced.hardship_approved_by == self.root and reduced.category == DuesCategory.RETIRED
        assert 0 < reduced.hardship_amount < reduced.monthly_amount
        kinds = Counter(DuesPayment.objects.values_list("kind", flat=True))
        assert kinds[PaymentKind.VOLUNTARY_EXTRA] == 1 and kinds[PaymentKind.LARGE_ONE_OFF] == 1
        assert DuesPayment.objects.filter(paid_by_proxy__gt="").exists()

    def test_the_remittance_ratio_and_last_years_remittance(self):
        ratio = RemittanceRatio.objects.get()
        assert (ratio.org, ratio.ratio) == (self.root, Decimal("0.0500"))
        remittance = Remittance.objects.get()
        assert (remittance.period_start, remittance.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 1))
        assert remittance.amount > Decimal("5000.00")  # the large one-off payment goes in full

    def test_every_payment_passes_the_services_checks(self):
        bases = {(b.membership_id, b.year): b for b in DuesBase.objects.all()}
        adjustments = defaultdict(list)
        for adj in DuesBaseAdjustment.objects.all():
            adjustments[adj.dues_base_id].append(adj)
        payments = DuesPayment.objects.select_related("membership").filter(kind=PaymentKind.REGULAR)
        assert 4000 <= payments.count() <= 7000
        for p in payments:
            base = bases[(p.membership_id, p.month_owed.year)]
            assert p.amount == amount_in_month(base, adjustments[base.pk], p.month_owed) > 0, p
            errors = services._payment_errors(p.membership, p.month_owed, p.paid_on, p.kind, p.amount)
            assert errors == {}, (p, errors)
            assert p.paid_on <= TODAY
        months = Counter(payments.values_list("month_owed", flat=True))
        assert months[dt.date(2026, 11, 1)] > 50  # this month: many have paid already

    def test_every_dues_write_is_audited_as_the_system(self):
        events = AuditEvent.objects.filter(action__startswith="dues.")
        counts = Counter(events.values_list("action", flat=True))
        assert counts[services.A_PAYMENT] == DuesPayment.objects.count()
        assert counts[services.A_BASE_SET] == DuesBase.objects.count()
        assert counts[services.A_HARDSHIP] == counts[services.A_BASE_ADJUST] == counts[services.A_REASON] == 1
        assert set(events.values_list("actor_name", flat=True)) == {"system"}
        assert set(events.values_list("source", flat=True)) == {"command"}
        payment = (
            DuesPayment.objects.filter(kind=PaymentKind.REGULAR).select_related("membership__org").first()
        )
        event = events.get(action=services.A_PAYMENT, target_id=str(payment.pk))
        assert event.org == payment.membership.org and event.after["amount"] == str(payment.amount)
        assert "Party dues:" in self.output

    def test_the_command_refuses_a_database_that_has_dues(self):
        with pytest.raises(CommandError, match="already has dues"):
            call_command("demo_dues", stdout=io.StringIO())


@pytest.mark.django_db
def test_the_command_needs_the_demo_committee():
    with pytest.raises(CommandError, match="No demo committee"):
        call_command("demo_dues", stdout=io.StringIO())
