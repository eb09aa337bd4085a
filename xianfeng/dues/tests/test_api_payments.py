"""/api/v1/dues/payments/ and /dues/arrears/: access, scoping, filters, the rules' errors, bounded queries."""

import datetime as dt

import pytest

from xianfeng.core.models import AuditEvent
from xianfeng.dues.tests.api_helpers import (
    URL,
    api,
    client_of,
    fields,
    queries_of,
    set_bases,
    target,
    written,
)
from xianfeng.dues.tests.helpers import YEAR, m, pay, set_base
from xianfeng.people.choices import PoliticalStatus
from xianfeng.testing import make_member


@pytest.fixture
def based(world):
    return set_bases(world)


# --- Payments ------------------------------------------------------------------------------------------


class TestPayments:
    def payload(self, world, **over):
        return {
            "membership": str(world.member_a.code),
            "month_owed": f"{YEAR}-03",
            "amount": "40.00",
            "paid_on": f"{YEAR}-03-10",
            "method": "cash",
            **over,
        }

    def test_alice_records_a_payment_as_its_collector(self, based):
        response = api(based.alice).post(
            f"{URL}payments/", self.payload(based, paid_by_proxy="张三的妻子"), format="json"
        )
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["month_owed"], body["amount"], body["kind"], body["collector"]) == (
            f"{YEAR}-03",
            "40.00",
            "regular",
            "alice",
        )
        assert (
            body["membership"]["code"] == str(based.member_a.code) and body["paid_by_proxy"] == "张三的妻子"
        )
        assert AuditEvent.objects.filter(action="dues.payment_record", actor=based.alice).count() == 1

    def test_a_voluntary_extra_payment(self, based):
        pay(based.member_a, m(3))
        payload = self.payload(based, amount="100.00", kind="voluntary_extra")
        response = api(based.alice).post(f"{URL}payments/", payload, format="json")
        assert response.status_code == 201 and response.json()["kind"] == "voluntary_extra"

    @pytest.mark.parametrize(
        ("user", "status"), [(None, 401), ("bob", 403), ("dang", 403), ("dang_other", 400), ("charlie", 400)]
    )
    def test_others_are_refused_and_nothing_is_written(self, based, user, status):
        before = written()
        payload = self.payload(based, membership=target(based, user))
        response = client_of(based, user.removesuffix("_other") if user else None).post(
            f"{URL}payments/", payload, format="json"
        )
        assert response.status_code == status
        assert written() == before

    def test_a_second_payment_for_a_paid_month_names_the_month(self, based):
        pay(based.member_a, m(3))
        before = written()
        response = api(based.alice).post(f"{URL}payments/", self.payload(based), format="json")
        assert response.status_code == 400 and fields(response) == ["month_owed"]
        assert "already recorded" in response.json()["errors"][0]["message"]
        assert written() == before

    def test_a_payment_before_the_membership_names_the_month_and_the_rule(self, based):
        newcomer = make_member(
            based.branch_a, status=PoliticalStatus.PROBATIONARY, admission_date=dt.date(YEAR, 6, 20)
        )
        set_base(newcomer)
        before = written()
        payload = self.payload(based, membership=str(newcomer.code))
        response = api(based.alice).post(f"{URL}payments/", payload, format="json")
        assert response.status_code == 400 and fields(response) == ["month_owed"]
        assert (
            f"{YEAR}-06" in response.json()["errors"][0]["message"]
            and "DUES-10" in response.json()["errors"][0]["message"]
        )
        assert written() == before

    @pytest.mark.parametrize(
        ("over", "field"),
        [
            ({"month_owed": f"{YEAR}-3"}, "month_owed"),
            ({"month_owed": f"{YEAR}-03-01"}, "month_owed"),
            ({"month_owed": "March"}, "month_owed"),
            ({"month_owed": f"{YEAR}-00"}, "month_owed"),
            ({"amount": "41.00"}, "amount"),
            ({"amount": "-40.00"}, "amount"),
            ({"amount": "abc"}, "amount"),
            ({"method": "barter"}, "method"),
            ({"kind": "tribute"}, "kind"),
            ({"paid_on": "2999-01-01"}, "paid_on"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, based, over, field):
        before = written()
        response = api(based.alice).post(f"{URL}payments/", self.payload(based, **over), format="json")
        assert response.status_code == 400, response.json()
        assert fields(response) == [field]
        assert written() == before

    def test_the_list_is_scoped_and_filtered(self, based):
        pay(based.member_a, m(3))
        pay(based.member_a, m(4))
        pay(based.dang_membership, m(3))
        pay(based.member_b, m(3))
        months = lambda user, **params: sorted(  # noqa: E731
            (r["membership"]["name"], r["month_owed"])
            for r in client_of(based, user).get(f"{URL}payments/", params).json()["results"]
        )
        assert months("charlie") == [("李四", f"{YEAR}-03")]
        assert months("dang") == [("王党员", f"{YEAR}-03")]
        assert months("alice", month=f"{YEAR}-04") == [("张三", f"{YEAR}-04")]
        assert months("boss", org=based.branch_b.pk) == [("李四", f"{YEAR}-03")]
        assert months("bob", membership=str(based.member_a.code)) == [
            ("张三", f"{YEAR}-03"),
            ("张三", f"{YEAR}-04"),
        ]
        assert months("charlie", org=based.branch_a.pk) == []
        assert api().get(f"{URL}payments/").status_code == 401

    @pytest.mark.parametrize(
        ("params", "field"), [({"month": "2025-13"}, "month"), ({"membership": "x"}, "membership")]
    )
    def test_a_bad_filter_names_the_parameter(self, based, params, field):
        response = api(based.boss).get(f"{URL}payments/", params)
        assert response.status_code == 400 and fields(response) == [field]

    def test_it_runs_a_constant_number_of_queries(self, world):
        client = api(world.boss)
        set_base(world.member_a)
        set_base(world.member_b)
        pay(world.member_a, m(1))
        pay(world.member_b, m(1))
        few, body = queries_of(client, f"{URL}payments/")
        assert body["count"] == 2
        for _n in range(18):
            member = make_member(world.branch_a)
            set_base(member)
            pay(member, m(2), actor=world.alice)
        many, body = queries_of(client, f"{URL}payments/")
        assert body["count"] == 20
        assert few == many <= 5  # token, grants, own rows, count, page


# --- Arrears -------------------------------------------------------------------------------------------


class TestArrears:
    AS_OF = f"{YEAR}-08-01"  # January to July ended: seven months

    def rows(self, world, user, **params):
        response = client_of(world, user).get(f"{URL}arrears/", {"as_of": self.AS_OF, **params})
        assert response.status_code == 200, response.json()
        return {r["membership"]["name"]: r for r in response.json()["results"]}

    def test_six_unpaid_months_without_reason_raise_the_dues_13_finding(self, based):
        for month in range(1, 8):
            pay(based.member_b, m(month))
        for month in range(1, 4):
            pay(based.dang_membership, m(month))
        rows = self.rows(based, "boss", org=based.general_branch.pk)
        assert set(rows) == {"张三", "王党员"}  # 李四 is up to date
        zhang = rows["张三"]
        assert zhang["unpaid_months"] == [f"{YEAR}-{n:02d}" for n in range(1, 8)]
        assert (zhang["consecutive_unpaid"], zhang["warning"], zhang["missing_base"]) == (7, True, False)
        assert zhang["finding"]["code"] == "DUES-13"
        assert (
            "党费规定 art. 13" in zhang["finding"]["source"] and "党章 art. 9" in zhang["finding"]["source"]
        )
        wang = rows["王党员"]
        assert (wang["consecutive_unpaid"], wang["warning"], wang["finding"]) == (4, True, None)
        assert zhang["membership"]["org"] == {"id": based.branch_a.pk, "name": based.branch_a.name}

    def test_all_includes_members_who_are_up_to_date_and_missing_bases_are_listed(self, world):
        set_base(world.member_a)
        for month in range(1, 8):
            pay(world.member_a, m(month))
        rows = self.rows(world, "boss")
        assert rows["王党员"]["missing_base"] and "张三" not in rows
        assert set(self.rows(world, "boss", all="true")) == {"张三", "王党员", "李四"}

    def test_the_default_scope_is_the_callers(self, based):
        assert set(self.rows(based, "charlie")) == {"李四"}
        assert set(self.rows(based, "dang")) == {"王党员"}  # their own row

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("charlie", 404), ("dang", 404)])
    def test_an_org_the_caller_cannot_see_is_a_404(self, based, user, status):
        response = client_of(based, user).get(f"{URL}arrears/", {"org": based.branch_a.pk})
        assert response.status_code == status

    def test_an_unknown_org_is_the_same_404(self, based):
        assert api(based.boss).get(f"{URL}arrears/", {"org": 999999}).status_code == 404

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"org": "abc"}, "org"), ({"as_of": "2025-02-30"}, "as_of"), ({"as_of": "2999-01-01"}, "as_of")],
    )
    def test_bad_parameters_name_the_field(self, based, params, field):
        response = api(based.boss).get(f"{URL}arrears/", params)
        assert response.status_code == 400 and fields(response) == [field]

    def test_it_runs_a_constant_number_of_queries(self, world):
        client = api(world.boss)
        set_base(world.member_a)
        set_base(world.member_b)
        params = {"as_of": self.AS_OF, "org": world.general_branch.pk}
        few, body = queries_of(client, f"{URL}arrears/", params)
        for _n in range(18):
            member = make_member(world.branch_a)
            set_base(member)
            pay(member, m(2))
        many, body = queries_of(client, f"{URL}arrears/", params)
        assert body["count"] >= 20
        # token, grants, org, members, bases, payment counts, the open members' payments, reasons
        assert few == many <= 9


class TestArrearsReasons:
    def payload(self, world, **over):
        return {
            "membership": str(world.member_a.code),
            "from_month": f"{YEAR}-01",
            "to_month": f"{YEAR}-06",
            "reason": "外派援疆",
            **over,
        }

    def test_a_recorded_reason_suspends_the_finding(self, based):
        response = api(based.alice).post(f"{URL}arrears/reasons", self.payload(based), format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["from_month"] == f"{YEAR}-01"
        rows = api(based.alice).get(f"{URL}arrears/", {"as_of": f"{YEAR}-07-01"}).json()["results"]
        zhang = next(r for r in rows if r["membership"]["name"] == "张三")
        assert zhang["warning"] and zhang["finding"] is None

    @pytest.mark.parametrize(
        ("user", "status"), [(None, 401), ("bob", 403), ("dang", 403), ("dang_other", 400), ("charlie", 400)]
    )
    def test_others_are_refused(self, based, user, status):
        before = written()
        payload = self.payload(based, membership=target(based, user))
        response = client_of(based, user.removesuffix("_other") if user else None).post(
            f"{URL}arrears/reasons", payload, format="json"
        )
        assert response.status_code == status
        assert written() == before

    @pytest.mark.parametrize(
        ("over", "field"),
        [
            ({"to_month": f"{YEAR - 1}-12"}, "to_month"),
            ({"from_month": "2025/01"}, "from_month"),
            ({"reason": "  "}, "reason"),
        ],
    )
    def test_bad_input_names_the_field(self, based, over, field):
        before = written()
        response = api(based.alice).post(f"{URL}arrears/reasons", self.payload(based, **over), format="json")
        assert response.status_code == 400 and fields(response) == [field]
        assert written() == before
