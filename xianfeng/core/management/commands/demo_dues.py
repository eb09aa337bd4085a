"""Party dues of the demo committee: last year and this year up to `today`, with deliberate gaps.

`build_dues()` runs at the end of xianfeng.demo.build_demo (after the organizational life); the command
`xianfeng demo_dues` adds the same dues to a demo database loaded before dues existed.

What it writes (a seeded random generator, dates relative to `today`, so every run is the same):
- a base for every party member for each of the two years they owe dues in (DUES-04): employed
  members on after-tax pay of 4,000–15,000 yuan (company leaders at the top), a raise in January;
  the 离退休 branch on pensions (DUES-07); one young member of 信息通信 on full-time graduate study
  this year at the fixed 0.20 yuan (DUES-08); one mid-year adjustment after a promotion in 变电运维;
- a reduction for a seriously ill retiree, approved by the company committee (DUES-09);
- the regular payments of every month owed from January of last year (or the acceptance month,
  DUES-10) to last month, and this month's for about 60 % of the members; the retirees pay quarterly
  in cash, one of them through his son; everyone else by authorised payroll deduction or online;
- deliberate gaps: a member of 配电运检 three months behind (the warning), the member of 营销服务中心
  absent from organizational life for seven months also seven months behind without a reason (the
  DUES-13 finding, 自行脱党 risk), a member of 输电运检 posted to Xinjiang six months behind with the
  reason recorded (a warning, no finding); 城东供电所 (the `zhibu` account) is fully paid;
- one voluntary extra payment (the committee secretary, 七一) and one large one-off payment of a
  veteran (all to the centre, DUES-05); a remittance ratio of 0.05 on the company committee set by
  itself as the top of the demo tree (DUES-15), and last year's remittance once April has passed.

Bases, adjustment, reduction, reason, extra payments, ratio and remittance go through dues.services
(validated and audited as the system). The ~5,500 regular payments do not: through
`dues_payment_record` each takes about eight queries, some 20 s in all, four times the demo's budget
for dues. They are computed with the same rules (the month's amount from `amount_in_month`, the
acceptance month, back-payment within six months, advance payment within the quarter, never after
today) and written with bulk_create, each with the audit event the service would write
(`dues.payment_record`, the after-snapshot, the member's org; audit.build + audit.record_many).
`core/tests/test_demo_dues.py` replays the service's checks on every payment.
"""

from __future__ import annotations

import datetime as dt
import random
import sys
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, TextIO

from dateutil.relativedelta import relativedelta
from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper
from django.db import transaction
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.dues import rules, services
from xianfeng.dues.choices import DuesCategory, Hardship, PaymentKind, PaymentMethod
from xianfeng.dues.models import DuesBase, DuesBaseAdjustment, DuesPayment
from xianfeng.dues.selectors import amount_in_month, dues_start
from xianfeng.dues.summaries import dues_totals
from xianfeng.orgs.models import Org
from xianfeng.people.choices import PARTY_MEMBER_STATUSES
from xianfeng.people.models import Membership, PostHolding

SEED = 2026 + 7  # issue 7
ROOT_CODE = "LJGD"
TEN = Decimal("10")


@dataclass
class DuesSummary:
    bases: int = 0
    payments: int = 0
    warning: str = ""  # the member three months behind
    finding: str = ""  # the member six or more months behind without a reason (DUES-13)
    excused: str = ""  # the member behind with a recorded reason
    remitted: Decimal | None = None

    def line(self) -> str:
        return (
            f"Party dues: {self.bases} bases, {self.payments} payments; three months behind: {self.warning}; "
            f"seven months without a reason (DUES-13): {self.finding}; excused: {self.excused}; "
            f"last year's remittance: {self.remitted if self.remitted is not None else 'not yet due'}."
        )


def _month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _branch(key: str) -> Org:
    from xianfeng.demo import BRANCHES  # the demo imports this module

    index = next(i for i, spec in enumerate(BRANCHES, start=1) if spec.key == key)
    return Org.objects.get(code=f"{ROOT_CODE}-B{index:02d}")


class _Dues:
    def __init__(self, today: dt.date) -> None:
        self.today = today
        self.rng = random.Random(SEED)
        self.year = today.year
        self.first = dt.date(today.year - 1, 1, 1)
        self.last = _month(today) - relativedelta(months=1)  # the last ended month
        self.root = Org.objects.get(code=ROOT_CODE, depth=1)
        self.members = list(
            Membership.objects.filter(status__in=PARTY_MEMBER_STATUSES, org__path__startswith=self.root.path)
            .select_related("person", "org")
            .order_by("pk")
        )
        self.posted = set(
            PostHolding.objects.filter(end_date__isnull=True).values_list("person_id", flat=True)
        )
        self.retired_org = _branch("lituixiu")
        self.unpaid: dict[int, int] = {}  # membership → trailing unpaid months
        self.summary = DuesSummary()

    # -- who --------------------------------------------------------------------------------------------
    def ordinary(self, org: Org) -> list[Membership]:
        """Current full members of the branch without a post, admitted before last year."""
        return [
            m
            for m in self.members
            if m.org_id == org.pk
            and m.left_date is None
            and m.status == "full"
            and m.person_id not in self.posted
            and (m.admission_date or self.today) < self.first
        ]

    def absentee(self) -> Membership:
        """The member of 营销服务中心 the absence rule flags (demo_activities), else its last ordinary one."""
        from xianfeng.compliance.engine import Scope
        from xianfeng.compliance.rules import coded_findings

        org = _branch("yingxiao")
        found = coded_findings(scope=Scope.org_and_groups(org), today=self.today)
        ids = {f.person_id for f in found if f.rule == "rule/absent_from_org_life"}
        chosen = [m for m in self.members if m.person_id in ids]
        return chosen[0] if chosen else self.ordinary(org)[-1]

    # -- bases ------------------------------------------------------------------------------------------
    def owes_in(self, m: Membership, year: int) -> bool:
        start = dues_start(m)
        return (
            start is not None
            and start <= dt.date(year, 12, 1)
            and (m.left_date is None or m.left_date >= dt.date(year, 1, 1))
        )

    def pay_for(self, m: Membership) -> tuple[str, Decimal]:
        rng = self.rng
        if m.org_id == self.retired_org.pk:
            return DuesCategory.RETIRED, Decimal(rng.randrange(3500, 7500, 10))
        department = m.person.department
        if department == "公司领导":
            return DuesCategory.EMPLOYED, Decimal(rng.randrange(13000, 15000, 10))
        if m.person_id in self.posted:
            return DuesCategory.EMPLOYED, Decimal(rng.randrange(8000, 12500, 10))
        return DuesCategory.EMPLOYED, Decimal(round(rng.triangular(4000, 11000, 6200), -1))

    def bases(self, student: Membership) -> None:
        for m in self.members:
            category, base = self.pay_for(m)
            for year in (self.year - 1, self.year):
                if not self.owes_in(m, year):
                    continue
                if year == self.year:
                    base = (base * Decimal(1 + self.rng.randint(0, 6) / 100)).quantize(TEN)
                if m.pk == student.pk and year == self.year:
                    services.dues_base_set(
                        actor=None, membership=m, year=year, category=DuesCategory.STUDENT, base=None
                    )
                else:
                    services.dues_base_set(actor=None, membership=m, year=year, category=category, base=base)
                self.summary.bases += 1

    def changes(self, promoted: Membership, ill: Membership) -> None:
        effective = _month(self.today) - relativedelta(months=4)
        if effective.year == self.year and effective.month > 1:
            services.dues_base_adjust(
                actor=None,
                dues_base=DuesBase.objects.get(membership=promoted, year=self.year),
                effective_month=effective,
                base=Decimal("9800.00"),
                reason="晋升变电运维中心副主任，岗位工资调整",
            )
        base = DuesBase.objects.get(membership=ill, year=self.year)
        services.dues_hardship_set(
            actor=None,
            dues_base=base,
            hardship=Hardship.REDUCTION,
            reason="身患重病，医疗费用负担重，本人申请，经支部研究、报公司党委批准减交",
            approved_by=self.root,
            from_month=dt.date(self.year, 1, 1),
            to_month=dt.date(self.year, 12, 1),
            reduced_amount=(base.monthly_amount / 2).quantize(rules.CENT, rounding=ROUND_HALF_UP),
        )

    # -- payments ---------------------------------------------------------------------------------------
    def paid_on(self, m: Membership, month: dt.date, quarterly: bool) -> dt.date:
        if quarterly:  # paid at the branch's meeting in the first month of the quarter (DUES-12)
            month = dt.date(month.year, 3 * ((month.month - 1) // 3) + 1, 1)
            day = month + dt.timedelta(days=self.rng.randint(8, 20))
        else:  # payroll: the month's salary day; online: any day of the month
            day = month + dt.timedelta(days=self.rng.randint(9, 15) if m.pk % 3 else self.rng.randint(1, 27))
        return min(day, self.today)

    def payments(self) -> None:
        bases: dict[tuple[int, int], DuesBase] = {
            (b.membership_id, b.year): b for b in DuesBase.objects.filter(membership__in=self.members)
        }
        adjustments: dict[int, list[DuesBaseAdjustment]] = defaultdict(list)
        for adj in DuesBaseAdjustment.objects.filter(dues_base__in=bases.values()):
            adjustments[adj.dues_base_id].append(adj)
        oldest = min(
            (m for m in self.members if m.org_id == self.retired_org.pk and m.left_date is None),
            key=lambda m: m.person.birth_date,
        )
        rows: list[DuesPayment] = []
        this_month = _month(self.today)
        for m in self.members:
            start = dues_start(m)
            if start is None:
                continue
            quarterly = m.org_id == self.retired_org.pk
            last = self.last if m.left_date is None else min(self.last, _month(m.left_date))
            months = [
                self.first + relativedelta(months=i)
                for i in range(rules.month_index(last) - rules.month_index(self.first) + 1)
            ]
            months = [mo for mo in months if mo >= start]
            if m.pk in self.unpaid:
                months = months[: len(months) - self.unpaid[m.pk]]
            elif m.left_date is None and self.rng.random() < 0.6:
                months.append(this_month)
            method = (
                PaymentMethod.CASH
                if quarterly
                else (PaymentMethod.PAYROLL_DEDUCTION_AUTHORIZED if m.pk % 3 else PaymentMethod.ONLINE)
            )
            for month in months:
                base = bases[(m.pk, month.year)]
                rows.append(
                    DuesPayment(
                        membership=m,
                        month_owed=month,
                        amount=amount_in_month(base, adjustments[base.pk], month),
                        paid_on=self.paid_on(m, month, quarterly),
                        method=method,
                        kind=PaymentKind.REGULAR,
                        paid_by_proxy="其子代交" if m.pk == oldest.pk else "",
                    )
                )
        DuesPayment.objects.bulk_create(rows, batch_size=1000)
        audit.record_many(
            [
                audit.build(
                    actor=None,
                    action=services.A_PAYMENT,
                    target=p,
                    org=p.membership.org,
                    after=audit.snapshot(p),
                )
                for p in rows
            ]
        )
        self.summary.payments += len(rows)

    def extras(self, secretary: Membership, veteran: Membership) -> None:
        july = dt.date(self.year if self.today >= dt.date(self.year, 7, 10) else self.year - 1, 7, 1)
        for m, amount, kind, note in (
            (secretary, "1000.00", PaymentKind.VOLUNTARY_EXTRA, "庆祝建党节，自愿多交党费"),
            (veteran, "5000.00", PaymentKind.LARGE_ONE_OFF, "老党员自愿交纳特殊党费"),
        ):
            services.dues_payment_record(
                actor=None,
                membership=m,
                month_owed=july,
                amount=Decimal(amount),
                paid_on=july + dt.timedelta(days=1),
                method=PaymentMethod.TRANSFER,
                kind=kind,
                note=note,
            )
            self.summary.payments += 1

    def remittance(self) -> None:
        services.remittance_ratio_set(
            actor=None,
            org=self.root,
            valid_from=self.first,
            ratio=Decimal("0.05"),
            note="公司党委决定（DUES-15）",
        )
        day = dt.date(self.year, 4, 20)
        if self.today < day:
            return
        due = dues_totals(self.root, self.first, dt.date(self.year - 1, 12, 1), self.today).remittance_due
        services.remittance_record(
            actor=None,
            org=self.root,
            period_start=self.first,
            period_end=dt.date(self.year - 1, 12, 1),
            amount=due,
            remitted_on=day,
            reference=f"{self.year}年党费上缴凭证第1号",
        )
        self.summary.remitted = due

    # -- the whole ------------------------------------------------------------------------------------
    def build(self) -> DuesSummary:
        finding = self.absentee()
        warning = self.ordinary(_branch("peidian"))[-1]
        excused = self.ordinary(_branch("shudian"))[-1]
        self.unpaid = {warning.pk: 3, finding.pk: 7, excused.pk: 6}
        xintong = self.ordinary(_branch("xintong"))
        student = max(xintong, key=lambda m: m.person.birth_date)  # the youngest
        promoted = self.ordinary(_branch("biandian"))[0]
        retirees = self.ordinary(self.retired_org)
        ill, veteran = retirees[0], retirees[-1]
        secretary = next(
            m for m in self.members if m.person.job_post.startswith("党委书记") and m.left_date is None
        )
        self.bases(student)
        self.changes(promoted, ill)
        self.payments()
        self.extras(secretary, veteran)
        run_start = self.last - relativedelta(months=5)
        services.arrears_reason_record(
            actor=None,
            membership=excused,
            from_month=run_start,
            to_month=self.last,
            reason="外派新疆参加电网援建，经支部同意援建期间暂缓交纳，返回后补交",
        )
        self.remittance()
        self.summary.warning, self.summary.finding = warning.person.name, finding.person.name
        self.summary.excused = excused.person.name
        return self.summary


def build_dues(*, today: dt.date, stdout: TextIO | OutputWrapper | None = None) -> DuesSummary:
    """Write the demo committee's dues for last year and this year; print a summary line."""
    summary = _Dues(today).build()
    (stdout or sys.stdout).write(summary.line() + "\n")
    return summary


class Command(BaseCommand):
    help = "Add party dues (last year and this year) to a demo database loaded before dues existed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--today", type=dt.date.fromisoformat, help="Default: today (YYYY-MM-DD).")

    def handle(self, *args: Any, today: dt.date | None = None, **options: Any) -> None:
        from xianfeng.core.context import request_context

        if not Org.objects.filter(code=ROOT_CODE, depth=1).exists():
            raise CommandError("No demo committee: load it first with `xianfeng demo`.")
        if DuesBase.objects.exists():
            raise CommandError("The database already has dues bases; nothing was written.")
        with request_context(source="command"), transaction.atomic():
            build_dues(today=today or timezone.localdate(), stdout=self.stdout)
