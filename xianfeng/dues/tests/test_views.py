"""The dues pages as users meet them: the access matrix, the collector's batch, the bases grid, a
member's page and forms, arrears, totals and remittance, and a member's own dues."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.core.models import AuditEvent
from xianfeng.dues.choices import DuesCategory, PaymentKind
from xianfeng.dues.models import DuesBase, DuesPayment, Remittance, RemittanceRatio
from xianfeng.dues.tests.helpers import pay, set_base
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
THIS_MONTH = TODAY.replace(day=1)
YEAR = TODAY.year


def month_before(n: int) -> dt.date:
    index = THIS_MONTH.year * 12 + THIS_MONTH.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def ym(day: dt.date) -> str:
    return f"{day:%Y-%m}"


@pytest.fixture
def based(world):
    """Both members of branch A and the member of branch B have a 4000-yuan base (40.00 a month)."""
    for membership in (world.member_a, world.dang_membership, world.member_b):
        set_base(membership, year=YEAR)
    return world


# --- Access matrix ---------------------------------------------------------------------------------

PAGES = ["dues:sheet", "dues:bases", "dues:arrears", "dues:summary"]


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_is_sent_to_login(client, world, name):
    response = client.get(reverse(name), {"org": world.branch_a.pk})
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize("name", PAGES)
def test_outsider_in_the_sibling_branch_gets_404(client, world, name):
    client.force_login(world.charlie)
    assert client.get(reverse(name), {"org": world.branch_a.pk}).status_code == 404


@pytest.mark.parametrize("name", PAGES)
def test_member_without_a_role_is_refused(client, world, name):
    client.force_login(world.dang)
    assert client.get(reverse(name)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("user", ["bob", "alice", "boss"])
def test_permitted_users_see_the_page(client, based, name, user):
    client.force_login(getattr(based, user))
    response = client.get(reverse(name), {"org": based.branch_a.pk})
    assert response.status_code == 200
    assert based.branch_a.name in response.content.decode()


def test_bad_org_parameter_is_404_not_500(client, world):
    client.force_login(world.alice)
    assert client.get(reverse("dues:sheet"), {"org": "x"}).status_code == 404


def test_member_page_matrix(client, based):
    url = reverse("dues:member", args=[based.member_a.code])
    assert client.get(url).status_code == 302
    client.force_login(based.charlie)
    assert client.get(url).status_code == 404
    client.force_login(based.bob)
    response = client.get(url)
    assert response.status_code == 200
    assert "Record a payment" not in response.content.decode()  # read-only: no forms
    assert client.post(reverse("dues:member_pay", args=[based.member_a.code]), {}).status_code == 403
    client.force_login(based.alice)
    assert "Record a payment" in client.get(url).content.decode()


def test_read_only_user_cannot_collect_or_set_bases(client, based):
    client.force_login(based.bob)
    data = {
        "org": based.branch_a.pk,
        "month": ym(THIS_MONTH),
        "paid_on": TODAY.isoformat(),
        "method": "cash",
        "members": [str(based.member_a.code)],
    }
    assert client.post(reverse("dues:collect"), data).status_code == 403
    response = client.post(reverse("dues:bases"), {"org": based.branch_a.pk, "year": YEAR})
    assert response.status_code == 403
    assert not DuesPayment.objects.exists()


# --- The collector's screen -------------------------------------------------------------------------


def test_sheet_lists_branch_members_with_amounts_and_statuses(client, based):
    pay(based.member_a, THIS_MONTH, paid_on=TODAY)
    client.force_login(based.alice)
    response = client.get(reverse("dues:sheet"), {"org": based.branch_a.pk, "month": ym(THIS_MONTH)})
    rows = {r.membership.pk: r for r in response.context["sheet"].rows}
    assert set(rows) == {based.member_a.pk, based.dang_membership.pk}  # not branch B's member
    assert rows[based.member_a.pk].status == "paid"
    assert rows[based.dang_membership.pk].status == "due"
    assert response.context["sheet"].collected_total == Decimal("40.00")


def test_collector_records_selected_members_in_one_go(client, based):
    client.force_login(based.alice)
    month = month_before(1)
    response = client.post(
        reverse("dues:collect"),
        {
            "org": based.branch_a.pk,
            "month": ym(month),
            "paid_on": TODAY.isoformat(),
            "method": "transfer",
            "members": [str(based.member_a.code), str(based.dang_membership.code)],
        },
    )
    assert response.status_code == 302
    paid = DuesPayment.objects.filter(month_owed=month)
    assert paid.count() == 2
    assert {p.amount for p in paid} == {Decimal("40.00")}
    assert {p.collector_id for p in paid} == {based.alice.pk}
    assert AuditEvent.objects.filter(action="dues.payment_record").count() == 2


def test_one_row_button_records_only_that_member(client, based):
    client.force_login(based.alice)
    client.post(
        reverse("dues:collect"),
        {
            "org": based.branch_a.pk,
            "month": ym(THIS_MONTH),
            "paid_on": TODAY.isoformat(),
            "method": "cash",
            "members": [str(based.member_a.code), str(based.dang_membership.code)],
            "only": str(based.dang_membership.code),
        },
    )
    assert list(DuesPayment.objects.values_list("membership_id", flat=True)) == [based.dang_membership.pk]


def test_batch_is_all_or_nothing_and_names_the_member(client, based):
    """A month beyond the back-payment limit fails for everyone: nothing is written, the page says why."""
    client.force_login(based.alice)
    old = month_before(8)
    if old.year != YEAR:  # a base covering the old month
        for membership in (based.member_a, based.dang_membership):
            set_base(membership, year=old.year)
    response = client.post(
        reverse("dues:collect"),
        {
            "org": based.branch_a.pk,
            "month": ym(old),
            "paid_on": TODAY.isoformat(),
            "method": "cash",
            "members": [str(based.member_a.code), str(based.dang_membership.code)],
        },
    )
    assert response.status_code == 400
    assert "6 months" in response.content.decode()
    assert not DuesPayment.objects.exists()


def test_future_payment_date_is_refused_on_the_field(client, based):
    client.force_login(based.alice)
    response = client.post(
        reverse("dues:collect"),
        {
            "org": based.branch_a.pk,
            "month": ym(THIS_MONTH),
            "paid_on": (TODAY + dt.timedelta(days=1)).isoformat(),
            "method": "cash",
            "members": [str(based.member_a.code)],
        },
    )
    assert response.status_code == 400
    assert response.context["form"].errors["paid_on"]
    assert not DuesPayment.objects.exists()


def test_nothing_selected_is_a_clear_error(client, based):
    client.force_login(based.alice)
    data = {"org": based.branch_a.pk, "month": ym(THIS_MONTH), "paid_on": TODAY.isoformat(), "method": "cash"}
    response = client.post(reverse("dues:collect"), data)
    assert response.status_code == 400
    assert "Select at least one member" in response.content.decode()


def test_sheet_query_count_does_not_grow_with_members(client, based, django_assert_max_num_queries):
    client.force_login(based.alice)
    url = reverse("dues:sheet")
    params = {"org": based.branch_a.pk, "month": ym(THIS_MONTH)}
    client.get(url, params)  # warm caches (session, grants)
    with django_assert_max_num_queries(40) as few:
        client.get(url, params)
    for _ in range(8):
        set_base(make_member(based.branch_a), year=YEAR)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url, params)
    assert len(response.context["rows"]) == 10


def test_a_long_sheet_shows_one_page_of_rows_and_figures_for_all(client, based, monkeypatch):
    from xianfeng.dues.views import collection

    monkeypatch.setattr(collection, "SHEET_PAGE", 1)
    pay(based.member_a, THIS_MONTH, paid_on=TODAY)
    client.force_login(based.alice)
    url = reverse("dues:sheet")
    params = {"org": based.branch_a.pk, "month": ym(THIS_MONTH)}
    first, second = client.get(url, params), client.get(url, {**params, "page": 2})
    shown = [r.membership.pk for page in (first, second) for r in page.context["rows"]]
    assert sorted(shown) == sorted([based.member_a.pk, based.dang_membership.pk])  # each once
    for page in (first, second):
        assert (page.context["sheet"].owing_count, page.context["sheet"].paid_count) == (2, 1)
    assert f"?org={based.branch_a.pk}&amp;month={ym(THIS_MONTH)}&amp;page=2" in first.content.decode()


def test_recording_from_a_later_page_returns_to_it(client, based, monkeypatch):
    from xianfeng.dues.views import collection

    monkeypatch.setattr(collection, "SHEET_PAGE", 1)
    client.force_login(based.alice)
    response = client.post(
        reverse("dues:collect"),
        {
            "org": based.branch_a.pk,
            "month": ym(THIS_MONTH),
            "page": "2",
            "paid_on": TODAY.isoformat(),
            "method": "cash",
            "only": str(based.dang_membership.code),
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("page=2")
    assert list(DuesPayment.objects.values_list("membership_id", flat=True)) == [based.dang_membership.pk]


# --- Bases grid -----------------------------------------------------------------------------------


def test_bases_grid_saves_typed_bases(client, world):
    client.force_login(world.alice)
    response = client.post(
        reverse("dues:bases"),
        {
            "org": world.branch_a.pk,
            "year": YEAR,
            f"cat-{world.member_a.code}": DuesCategory.EMPLOYED,
            f"base-{world.member_a.code}": "5000.01",
            f"cat-{world.dang_membership.code}": DuesCategory.STUDENT,
        },
    )
    assert response.status_code == 302
    amounts = dict(DuesBase.objects.filter(year=YEAR).values_list("membership_id", "monthly_amount"))
    assert amounts == {world.member_a.pk: Decimal("75.00"), world.dang_membership.pk: Decimal("0.20")}


def test_bases_grid_is_all_or_nothing_with_the_error_on_its_row(client, world):
    client.force_login(world.alice)
    response = client.post(
        reverse("dues:bases"),
        {
            "org": world.branch_a.pk,
            "year": YEAR,
            f"cat-{world.member_a.code}": DuesCategory.EMPLOYED,
            f"base-{world.member_a.code}": "4000",
            f"cat-{world.dang_membership.code}": DuesCategory.EMPLOYED,
            f"base-{world.dang_membership.code}": "-1",
        },
    )
    assert response.status_code == 400
    rows = {r.membership.pk: r for r in response.context["rows"]}
    assert "negative" in rows[world.dang_membership.pk].error
    assert rows[world.member_a.pk].error == ""
    assert not DuesBase.objects.exists()


def test_bases_grid_absurd_base_is_refused(client, world):
    client.force_login(world.alice)
    response = client.post(
        reverse("dues:bases"),
        {
            "org": world.branch_a.pk,
            "year": YEAR,
            f"cat-{world.member_a.code}": DuesCategory.EMPLOYED,
            f"base-{world.member_a.code}": "1000000.01",
        },
    )
    assert response.status_code == 400
    assert not DuesBase.objects.exists()


def test_bases_grid_prefills_from_last_year_and_locks_paid_bases(client, world):
    set_base(world.member_a, base="6000.00", year=YEAR - 1)
    set_base(world.dang_membership, year=YEAR)
    pay(world.dang_membership, month_before(1), paid_on=TODAY)
    client.force_login(world.alice)
    response = client.get(reverse("dues:bases"), {"org": world.branch_a.pk, "year": YEAR})
    rows = {r.membership.pk: r for r in response.context["rows"]}
    assert rows[world.member_a.pk].suggested and rows[world.member_a.pk].base == "6000.00"
    assert rows[world.dang_membership.pk].locked


def test_bases_grid_hides_bases_from_read_only_users(client, based):
    client.force_login(based.bob)
    page = client.get(reverse("dues:bases"), {"org": based.branch_a.pk, "year": YEAR}).content.decode()
    assert "4000.00" not in page and "40.00" in page


# --- A member's page --------------------------------------------------------------------------------


def test_member_page_records_a_voluntary_extra_payment(client, based):
    client.force_login(based.alice)
    response = client.post(
        reverse("dues:member_pay", args=[based.member_a.code]),
        {
            "year": YEAR,
            "month_owed": ym(THIS_MONTH),
            "kind": PaymentKind.VOLUNTARY_EXTRA,
            "amount": "100",
            "paid_on": TODAY.isoformat(),
            "method": "cash",
        },
    )
    assert response.status_code == 302
    assert DuesPayment.objects.get().kind == PaymentKind.VOLUNTARY_EXTRA


def test_member_page_second_regular_payment_is_refused(client, based):
    pay(based.member_a, THIS_MONTH, paid_on=TODAY)
    client.force_login(based.alice)
    response = client.post(
        reverse("dues:member_pay", args=[based.member_a.code]),
        {
            "year": YEAR,
            "month_owed": ym(THIS_MONTH),
            "kind": PaymentKind.REGULAR,
            "amount": "40.00",
            "paid_on": TODAY.isoformat(),
            "method": "cash",
        },
    )
    assert response.status_code == 400
    assert response.context["forms"]["pay"].errors["month_owed"]
    assert DuesPayment.objects.count() == 1


def test_member_page_payment_before_acceptance_is_refused(client, world):
    accepted = THIS_MONTH.replace(day=15) if TODAY.day >= 15 else THIS_MONTH
    newcomer = make_member(world.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=accepted)
    set_base(newcomer, year=YEAR)
    client.force_login(world.alice)
    response = client.post(
        reverse("dues:member_pay", args=[newcomer.code]),
        {
            "year": YEAR,
            "month_owed": ym(month_before(1)),
            "kind": PaymentKind.REGULAR,
            "amount": "40.00",
            "paid_on": TODAY.isoformat(),
            "method": "cash",
        },
    )
    assert response.status_code == 400
    assert "month of acceptance" in str(response.context["forms"]["pay"].errors["month_owed"])
    assert not DuesPayment.objects.exists()


def test_member_page_malformed_month_names_the_field(client, based):
    client.force_login(based.alice)
    response = client.post(
        reverse("dues:member_reason", args=[based.member_a.code]),
        {"year": YEAR, "from_month": "2026-13", "to_month": ym(THIS_MONTH), "reason": "sick"},
    )
    assert response.status_code == 400
    assert response.context["forms"]["reason"].errors["from_month"]


def test_member_page_adjustment_and_hardship(client, based):
    client.force_login(based.boss)
    url = reverse("dues:member_hardship", args=[based.member_a.code])
    response = client.post(
        url,
        {
            "year": YEAR,
            "hardship": "exemption",
            "approved_by": based.committee.pk,
            "from_month": f"{YEAR}-01",
            "to_month": f"{YEAR}-12",
            "reason": "serious illness",
        },
    )
    assert response.status_code == 302
    assert DuesBase.objects.get(membership=based.member_a).hardship == "exemption"
    response = client.post(
        reverse("dues:member_adjust", args=[based.member_a.code]),
        {"year": YEAR, "effective_month": f"{YEAR}-01", "base": "5000", "reason": "raise"},
    )
    assert response.status_code == 400  # January is the yearly base, not an adjustment
    assert response.context["forms"]["adjust"].errors["effective_month"]


def test_member_sees_own_dues_on_me_page(client, based):
    pay(based.dang_membership, month_before(1), paid_on=TODAY)
    client.force_login(based.dang)
    response = client.get(reverse("dues:me"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data.membership == based.dang_membership and data.paid_total == Decimal("40.00")
    assert client.get(reverse("dues:member", args=[based.member_a.code])).status_code == 404


def test_me_without_membership_explains(client, world):
    client.force_login(world.alice)
    response = client.get(reverse("dues:me"))
    assert response.status_code == 200 and response.context["membership"] is None


# --- Arrears, totals, remittance --------------------------------------------------------------------


def test_arrears_page_shows_the_finding_at_six_months(client, world):
    set_base(world.member_a, year=month_before(7).year)
    if month_before(7).year != YEAR:
        set_base(world.member_a, year=YEAR)
    client.force_login(world.alice)
    response = client.get(reverse("dues:arrears"), {"org": world.branch_a.pk, "show": "finding"})
    names = [r.membership.pk for r in response.context["page"]]
    assert world.member_a.pk in names
    assert "DUES-13" in response.content.decode()


def test_summary_and_remittance(client, based):
    pay(based.member_a, month_before(0), paid_on=TODAY)
    client.force_login(based.boss)
    url = reverse("dues:ratio_set")
    response = client.post(
        url, {"org": based.general_branch.pk, "year": YEAR, "valid_from": f"{YEAR}-01", "percent": "5"}
    )
    assert response.status_code == 302
    assert RemittanceRatio.objects.get().ratio == Decimal("0.0500")
    response = client.get(
        reverse("dues:summary"), {"org": based.general_branch.pk, "year": YEAR, "period": f"m{TODAY.month}"}
    )
    totals = response.context["totals"]
    assert totals.total.collected == Decimal("40.00")
    assert totals.remittance_due == Decimal("2.00")
    response = client.post(
        reverse("dues:remittance_create"),
        {
            "org": based.general_branch.pk,
            "year": YEAR,
            "period": f"m{TODAY.month}",
            "period_start": ym(THIS_MONTH),
            "period_end": ym(THIS_MONTH),
            "amount": "2.00",
            "remitted_on": TODAY.isoformat(),
        },
    )
    assert response.status_code == 302
    assert Remittance.objects.get().amount == Decimal("2.00")


def test_branch_admin_cannot_set_their_own_ratio(client, based):
    client.force_login(based.alice)
    response = client.post(
        reverse("dues:ratio_set"),
        {"org": based.branch_a.pk, "year": YEAR, "valid_from": f"{YEAR}-01", "percent": "5"},
    )
    assert response.status_code == 403
    assert not RemittanceRatio.objects.exists()
