"""/api/v1/dues/sheet/, /summary/, /remittances/, /remittance-ratios/ and /members/{code}/year/{year}."""

import datetime as dt

import pytest

from xianfeng.core.models import AuditEvent
from xianfeng.dues import services
from xianfeng.dues.models import RemittanceRatio
from xianfeng.dues.tests.api_helpers import URL, api, client_of, fields, queries_of, set_bases, written
from xianfeng.dues.tests.helpers import YEAR, m, pay, set_base
from xianfeng.testing import make_member


@pytest.fixture
def based(world):
    return set_bases(world)


# --- The collection sheet ------------------------------------------------------------------------------


class TestSheet:
    def sheet(self, world, user, **params):
        return client_of(world, user).get(f"{URL}sheet/", params)

    def test_the_sheet_of_a_month_with_totals(self, based):
        pay(based.member_a, m(3))
        pay(based.member_a, m(3), amount="60.00", kind="voluntary_extra")
        body = self.sheet(based, "boss", org=based.committee.pk, month=f"{YEAR}-03").json()
        assert (body["month"], body["count"], body["paid_count"], body["open_count"]) == (
            f"{YEAR}-03",
            3,
            1,
            2,
        )
        assert (body["expected_total"], body["collected_total"], body["extra_total"], body["rate"]) == (
            "120.00",
            "40.00",
            "60.00",
            "33.3",
        )
        rows = {r["membership"]["name"]: r for r in body["results"]}
        assert rows["张三"]["status"] == "paid" and rows["张三"]["payment"]["amount"] == "40.00"
        assert (
            rows["张三"]["extra_total"] == "60.00" and rows["张三"]["extras"][0]["kind"] == "voluntary_extra"
        )
        assert rows["李四"]["status"] == "unpaid" and rows["李四"]["payment"] is None

    def test_the_rows_are_paged_and_the_totals_cover_the_whole_sheet(self, based):
        body = self.sheet(based, "boss", org=based.committee.pk, month=f"{YEAR}-03", page_size=2).json()
        assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
        assert body["expected_total"] == "120.00"

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("charlie", 404), ("dang", 404), ("bob", 200)])
    def test_access(self, based, user, status):
        assert self.sheet(based, user, org=based.branch_a.pk, month=f"{YEAR}-03").status_code == status

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"month": f"{YEAR}-03"}, "org"), ({"org": "x"}, "org"), ({"month": "2025-3"}, "month")],
    )
    def test_bad_parameters_name_the_field(self, based, params, field):
        response = self.sheet(based, "boss", **params)
        assert response.status_code == 400 and field in fields(response)

    def test_it_runs_a_constant_number_of_queries(self, world):
        client = api(world.boss)
        set_base(world.member_a)
        pay(world.member_a, m(3))
        params = {"org": world.committee.pk, "month": f"{YEAR}-03", "page_size": 500}
        few, body = queries_of(client, f"{URL}sheet/", params)
        for _n in range(18):
            member = make_member(world.branch_a)
            set_base(member)
            pay(member, m(3), actor=world.alice)
        many, body = queries_of(client, f"{URL}sheet/", params)
        assert body["count"] == 21 and body["paid_count"] == 19
        # token, grants, org; members, bases, adjustments, payments (values); the page's members, bases, payments
        assert few == many <= 10


# --- Totals, remittances and ratios --------------------------------------------------------------------


class TestSummary:
    def test_totals_with_the_remittance_due_and_remitted(self, based):
        for month in (1, 2, 3):
            pay(based.member_a, m(month))
            pay(based.member_b, m(month))
        services.remittance_ratio_set(actor=based.boss, org=based.committee, valid_from=m(1), ratio="0.05")
        services.remittance_record(
            actor=based.boss,
            org=based.committee,
            period_start=m(1),
            period_end=m(3),
            amount="10.00",
            remitted_on=dt.date(YEAR, 4, 10),
        )
        params = {"org": based.committee.pk, "start": f"{YEAR}-01", "end": f"{YEAR}-03"}
        body = api(based.boss).get(f"{URL}summary/", params).json()
        assert (body["start"], body["end"], body["ratio"]) == (f"{YEAR}-01", f"{YEAR}-03", "0.0500")
        total = body["total"]
        assert (total["members"], total["expected"], total["collected"], total["rate"]) == (
            3,
            "360.00",
            "240.00",
            "66.7",
        )
        assert (body["remittance_due"], body["remitted"], body["remittance_outstanding"]) == (
            "12.00",
            "10.00",
            "2.00",
        )
        assert [r["org"]["id"] for r in body["rows"]] == [based.general_branch.pk]
        assert body["remittances"][0]["period_end"] == f"{YEAR}-03"

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("charlie", 404), ("dang", 404), ("bob", 200)])
    def test_access(self, based, user, status):
        response = client_of(based, user).get(f"{URL}summary/", {"org": based.branch_a.pk})
        assert response.status_code == status

    @pytest.mark.parametrize(
        ("params", "field"),
        [({"start": "2025-06", "end": "2025-01"}, "end"), ({"start": "x"}, "start"), ({}, "org")],
    )
    def test_bad_parameters_name_the_field(self, based, params, field):
        if params:
            params["org"] = based.committee.pk
        response = api(based.boss).get(f"{URL}summary/", params)
        assert response.status_code == 400 and fields(response) == [field]


class TestRemittances:
    def payload(self, world, **over):
        return {
            "org": world.committee.pk,
            "period_start": f"{YEAR}-01",
            "period_end": f"{YEAR}-12",
            "amount": "500.00",
            "remitted_on": f"{YEAR + 1}-04-20",
            "reference": "转账凭证 0042",
            **over,
        }

    def test_the_committee_records_a_remittance(self, world):
        response = api(world.boss).post(f"{URL}remittances/", self.payload(world), format="json")
        assert response.status_code == 201, response.json()
        assert (response.json()["amount"], response.json()["period_start"]) == ("500.00", f"{YEAR}-01")
        assert AuditEvent.objects.filter(action="dues.remittance_record").count() == 1

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("alice", 400), ("bob", 403)])
    def test_others_are_refused(self, world, user, status):
        payload = self.payload(world, org=world.branch_a.pk) if user == "bob" else self.payload(world)
        before = written()
        assert client_of(world, user).post(f"{URL}remittances/", payload, format="json").status_code == status
        assert written() == before

    @pytest.mark.parametrize(
        ("over", "field"),
        [
            ({"period_end": f"{YEAR - 1}-12"}, "period_end"),
            ({"amount": "0"}, "amount"),
            ({"period_start": "x"}, "period_start"),
        ],
    )
    def test_bad_input_names_the_field(self, world, over, field):
        response = api(world.boss).post(f"{URL}remittances/", self.payload(world, **over), format="json")
        assert response.status_code == 400 and fields(response) == [field]

    def test_overlapping_runs_are_refused(self, world):
        client = api(world.boss)
        client.post(f"{URL}remittances/", self.payload(world), format="json")
        response = client.post(
            f"{URL}remittances/", self.payload(world, period_start=f"{YEAR}-06"), format="json"
        )
        assert response.status_code == 400 and fields(response) == ["period_start"]


class TestRemittanceRatios:
    def payload(self, org, **over):
        return {"org": org.pk, "valid_from": f"{YEAR}-01", "ratio": "0.05", "note": "党委决定", **over}

    def test_the_committee_above_sets_a_ratio_and_a_second_post_replaces_it(self, world):
        client = api(world.boss)
        response = client.post(f"{URL}remittance-ratios/", self.payload(world.general_branch), format="json")
        assert response.status_code == 201, response.json()
        assert (response.json()["ratio"], response.json()["valid_from"]) == ("0.0500", f"{YEAR}-01")
        again = client.post(
            f"{URL}remittance-ratios/", self.payload(world.general_branch, ratio="0.1"), format="json"
        )
        assert again.status_code == 200 and again.json()["ratio"] == "0.1000"
        assert RemittanceRatio.objects.count() == 1

    @pytest.mark.parametrize(
        ("user", "status"), [(None, 401), ("alice", 403), ("bob", 403), ("charlie", 400)]
    )
    def test_a_branch_cannot_set_its_own_ratio(self, world, user, status):
        before = written()
        response = client_of(world, user).post(
            f"{URL}remittance-ratios/", self.payload(world.branch_a), format="json"
        )
        assert response.status_code == status
        assert written() == before

    @pytest.mark.parametrize(
        ("over", "field"), [({"ratio": "1.5"}, "ratio"), ({"valid_from": "2025"}, "valid_from")]
    )
    def test_bad_input_names_the_field(self, world, over, field):
        response = api(world.boss).post(
            f"{URL}remittance-ratios/", self.payload(world.branch_a, **over), format="json"
        )
        assert response.status_code == 400 and fields(response) == [field]


# --- One member's year ---------------------------------------------------------------------------------


class TestMemberYear:
    def url(self, membership, year=YEAR):
        return f"{URL}members/{membership.code}/year/{year}"

    def test_a_member_reads_their_own_year_with_their_base(self, based):
        pay(based.dang_membership, m(1))
        pay(based.dang_membership, m(1), amount="20.00", kind="voluntary_extra")
        response = api(based.dang).get(self.url(based.dang_membership))
        assert response.status_code == 200
        body = response.json()
        assert body["base"]["base"] == "4000.00" and len(body["months"]) == 12
        assert body["months"][0] == {
            "month": f"{YEAR}-01",
            "expected": "40.00",
            "status": "paid",
            "payment": body["months"][0]["payment"],
            "extras": [body["months"][0]["extras"][0]],
        }
        assert (body["paid_total"], body["extra_total"], body["owed_total"]) == ("40.00", "20.00", "440.00")
        assert body["unpaid_months"][0] == f"{YEAR}-02"

    def test_a_viewer_reads_it_without_the_base(self, based):
        body = api(based.bob).get(self.url(based.member_a)).json()
        assert body["base"]["base"] is None and body["base"]["monthly_amount"] == "40.00"

    def test_a_year_without_a_base(self, based):
        body = api(based.alice).get(self.url(based.member_a, YEAR + 1)).json()
        assert body["base"] is None and {mo["status"] for mo in body["months"]} <= {"no_base", "due"}

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("charlie", 404), ("dang", 404)])
    def test_others_get_a_404(self, based, user, status):
        assert client_of(based, user).get(self.url(based.member_a)).status_code == status

    def test_an_absurd_year_names_the_year(self, based):
        response = api(based.alice).get(self.url(based.member_a, 1990))
        assert response.status_code == 400 and fields(response) == ["year"]
