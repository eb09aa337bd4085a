"""/api/v1/dues/bases/…: the access matrix, the base shown only to who may change it, bad input naming
the field, bounded queries; and the schema lists every dues path."""

import json

import pytest
from rest_framework.test import APIClient

from xianfeng.core.models import AuditEvent
from xianfeng.dues import services
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
from xianfeng.dues.tests.helpers import YEAR, m, set_base
from xianfeng.testing import make_member


@pytest.fixture
def based(world):
    return set_bases(world)


# --- Bases ---------------------------------------------------------------------------------------------


class TestBaseList:
    @pytest.mark.parametrize(
        ("user", "names"),
        [
            ("alice", {"张三", "王党员"}),
            ("charlie", {"李四"}),
            ("dang", {"王党员"}),
            ("boss", {"张三", "王党员", "李四"}),
        ],
    )
    def test_it_lists_the_callers_scope(self, based, user, names):
        rows = client_of(based, user).get(f"{URL}bases/").json()["results"]
        assert {r["membership"]["name"] for r in rows} == names

    def test_it_answers_401_to_anonymous(self, based):
        assert api().get(f"{URL}bases/").status_code == 401

    def test_the_base_is_shown_only_to_who_may_change_it_and_to_the_member(self, based):
        def base_of(user, name):
            rows = client_of(based, user).get(f"{URL}bases/").json()["results"]
            return next(r for r in rows if r["membership"]["name"] == name)

        assert base_of("alice", "张三")["base"] == "4000.00"
        assert base_of("bob", "张三")["base"] is None  # read-only viewer
        assert base_of("bob", "张三")["monthly_amount"] == "40.00"
        assert base_of("dang", "王党员")["base"] == "4000.00"  # their own

    def test_org_year_and_membership_filters(self, based):
        set_base(based.member_b, year=YEAR + 1)
        client = api(based.boss)
        rows = client.get(f"{URL}bases/", {"org": based.branch_b.pk}).json()["results"]
        assert {(r["membership"]["name"], r["year"]) for r in rows} == {("李四", YEAR), ("李四", YEAR + 1)}
        rows = client.get(f"{URL}bases/", {"year": YEAR + 1}).json()["results"]
        assert [r["membership"]["name"] for r in rows] == ["李四"]
        rows = client.get(f"{URL}bases/", {"membership": str(based.member_a.code)}).json()["results"]
        assert [r["membership"]["code"] for r in rows] == [str(based.member_a.code)]
        assert client.get(f"{URL}bases/", {"org": 999999}).json()["count"] == 0

    def test_an_outsider_filtering_on_a_sibling_branch_gets_nothing(self, based):
        assert api(based.charlie).get(f"{URL}bases/", {"org": based.branch_a.pk}).json()["count"] == 0

    def test_it_runs_a_constant_number_of_queries(self, world):
        client = api(world.boss)
        set_base(world.member_a)
        set_base(world.member_b)
        few, body = queries_of(client, f"{URL}bases/")
        assert body["count"] == 2
        for _n in range(18):
            base = set_base(make_member(world.branch_a))
            services.dues_base_adjust(
                actor=None, dues_base=base, effective_month=m(7), base="6000.00", reason="调岗"
            )
        many, body = queries_of(client, f"{URL}bases/")
        assert body["count"] == 20 and len(body["results"][-1]["adjustments"]) in (0, 1)
        assert few == many <= 6  # token, grants, own rows, count, page, adjustments


class TestBaseSet:
    def payload(self, world, **over):
        return {
            "membership": str(world.member_a.code),
            "year": YEAR,
            "category": "employed",
            "base": "8000.00",
            **over,
        }

    def test_alice_sets_a_base_and_it_is_audited(self, world):
        response = api(world.alice).post(f"{URL}bases/", self.payload(world), format="json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert (body["monthly_amount"], body["base"], body["schedule"]) == ("120.00", "8000.00", "2008")
        assert AuditEvent.objects.filter(action="dues.base_set", actor=world.alice).count() == 1

    def test_re_setting_before_any_payment_answers_200(self, world):
        client = api(world.alice)
        client.post(f"{URL}bases/", self.payload(world), format="json")
        response = client.post(f"{URL}bases/", self.payload(world, base="3000.00"), format="json")
        assert response.status_code == 200 and response.json()["monthly_amount"] == "15.00"

    def test_a_fixed_amount_category(self, world):
        payload = self.payload(world, category="student", base=None)
        response = api(world.alice).post(f"{URL}bases/", payload, format="json")
        assert response.status_code == 201 and response.json()["monthly_amount"] == "0.20"

    @pytest.mark.parametrize(
        ("user", "status"), [(None, 401), ("bob", 403), ("dang", 403), ("dang_other", 400), ("charlie", 400)]
    )
    def test_others_are_refused_and_nothing_is_written(self, world, user, status):
        before = written()
        payload = self.payload(world, membership=target(world, user))
        response = client_of(world, user.removesuffix("_other") if user else None).post(
            f"{URL}bases/", payload, format="json"
        )
        assert response.status_code == status
        if status == 400:  # a membership the caller cannot see is unknown to them
            assert fields(response) == ["membership"]
        assert written() == before

    @pytest.mark.parametrize(
        ("over", "field", "words"),
        [
            ({"base": "-1.00"}, "base", "negative"),
            ({"base": "1000000.01"}, "base", "not plausible"),
            ({"base": "12.345"}, "base", "decimal"),
            ({"base": None}, "base", "amount"),
            ({"category": "emperor"}, "category", ""),
            ({"year": 1999}, "year", "2000"),
            ({"membership": "not-a-code"}, "membership", ""),
            ({"category": "student", "base": None, "fixed_amount": "5.00"}, "fixed_amount", "0.20"),
        ],
    )
    def test_bad_input_names_the_field_and_writes_nothing(self, world, over, field, words):
        before = written()
        response = api(world.alice).post(f"{URL}bases/", self.payload(world, **over), format="json")
        assert response.status_code == 400
        assert fields(response) == [field]
        assert words in response.json()["errors"][0]["message"]
        assert written() == before


class TestBaseAdjustAndHardship:
    def test_alice_adjusts_a_base_mid_year(self, based):
        base = based.member_a.dues_bases.get()
        payload = {"effective_month": f"{YEAR}-07", "base": "6000.00", "reason": "岗位调整"}
        response = api(based.alice).post(f"{URL}bases/{base.pk}/adjust", payload, format="json")
        assert response.status_code == 201, response.json()
        (adjustment,) = response.json()["adjustments"]
        assert adjustment == {
            "id": adjustment["id"],
            "effective_month": f"{YEAR}-07",
            "base": "6000.00",
            "fixed_amount": None,
            "monthly_amount": "90.00",
            "above_soft_ceiling": False,
            "capped": False,
            "reason": "岗位调整",
        }

    @pytest.mark.parametrize(
        ("payload", "field"),
        [
            ({"effective_month": f"{YEAR}-13", "base": "6000.00", "reason": "x"}, "effective_month"),
            ({"effective_month": f"{YEAR}-01", "base": "6000.00", "reason": "x"}, "effective_month"),
            ({"effective_month": f"{YEAR}-07", "base": "6000.00", "reason": " "}, "reason"),
            ({"effective_month": f"{YEAR}-07", "base": "-5", "reason": "x"}, "base"),
        ],
    )
    def test_bad_adjustments_name_the_field(self, based, payload, field):
        base = based.member_a.dues_bases.get()
        before = written()
        response = api(based.alice).post(f"{URL}bases/{base.pk}/adjust", payload, format="json")
        assert response.status_code == 400 and fields(response) == [field]
        assert written() == before

    @pytest.mark.parametrize(("user", "status"), [(None, 401), ("bob", 403), ("dang", 404), ("charlie", 404)])
    def test_adjust_and_hardship_refuse_others(self, based, user, status):
        base = based.member_a.dues_bases.get()
        before = written()
        client = client_of(based, user)
        adjust = {"effective_month": f"{YEAR}-07", "base": "6000.00", "reason": "x"}
        assert client.post(f"{URL}bases/{base.pk}/adjust", adjust, format="json").status_code == status
        hardship = self.hardship(based)
        assert client.post(f"{URL}bases/{base.pk}/hardship", hardship, format="json").status_code == status
        assert written() == before

    def hardship(self, world, **over):
        return {
            "hardship": "reduction",
            "reason": "家庭困难",
            "approved_by": world.general_branch.pk,
            "from_month": f"{YEAR}-03",
            "to_month": f"{YEAR}-12",
            "reduced_amount": "10.00",
            **over,
        }

    def test_a_branch_admin_records_a_reduction_approved_by_the_committee_above(self, based):
        base = based.member_a.dues_bases.get()
        response = api(based.alice).post(
            f"{URL}bases/{base.pk}/hardship", self.hardship(based), format="json"
        )
        assert response.status_code == 200, response.json()
        body = response.json()
        assert (body["hardship"], body["hardship_amount"], body["hardship_reason"]) == (
            "reduction",
            "10.00",
            "家庭困难",
        )
        assert body["hardship_approved_by"]["id"] == based.general_branch.pk
        assert (body["hardship_from"], body["hardship_to"]) == (f"{YEAR}-03", f"{YEAR}-12")
        viewer = api(based.bob).get(f"{URL}bases/", {"membership": str(based.member_a.code)}).json()
        assert viewer["results"][0]["hardship_reason"] is None

    @pytest.mark.parametrize(
        ("over", "field"),
        [
            ({"approved_by": "branch_a"}, "approved_by"),  # the branch itself
            ({"approved_by": "branch_b"}, "approved_by"),  # not above the branch, and invisible
            ({"reduced_amount": "40.00"}, "reduced_amount"),
            ({"hardship": "amnesty"}, "hardship"),
            ({"to_month": f"{YEAR}-02"}, "to_month"),
            ({"from_month": "March"}, "from_month"),
        ],
    )
    def test_bad_hardship_names_the_field(self, based, over, field):
        if over.get("approved_by") in ("branch_a", "branch_b"):
            over = {"approved_by": getattr(based, over["approved_by"]).pk}
        base = based.member_a.dues_bases.get()
        before = written()
        response = api(based.alice).post(
            f"{URL}bases/{base.pk}/hardship", self.hardship(based, **over), format="json"
        )
        assert response.status_code == 400 and fields(response) == [field]
        assert written() == before


def test_every_dues_path_is_in_the_schema(db):
    schema = json.loads(APIClient().get("/api/v1/openapi.json").content)
    for path in (
        "bases/",
        "bases/{base_id}/adjust",
        "bases/{base_id}/hardship",
        "payments/",
        "arrears/",
        "arrears/reasons",
        "sheet/",
        "summary/",
        "members/{code}/year/{year}",
        "remittances/",
        "remittance-ratios/",
    ):
        assert f"/api/v1/dues/{path}" in schema["paths"], path
