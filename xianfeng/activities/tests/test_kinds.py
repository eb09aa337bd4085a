"""Enterprise activity kinds: the service rules (codes, choices, talks, built-ins frozen but for active and
order, never deleted), audit rows, the pages' access matrix, and POST/PATCH /api/v1/activity-kinds/."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.activities import services
from xianfeng.activities.forms import PlanForm
from xianfeng.activities.models import ActivityKind
from xianfeng.activities.tests.test_api_activities import api, fields
from xianfeng.activities.tests.test_services_plan import at, days_ago, plan
from xianfeng.core.models import AuditEvent

KINDS = "/api/v1/activity-kinds/"


def new_kind(world, actor=None, **extra):
    values = {
        "code": "safety_talk",
        "name": "安全生产党建讲堂",
        "category": "study",
        "audience": "party_members",
        "org_types": ["branch"],
        "quorum": "none",
        "has_attendance": True,
        "has_agenda": False,
        "has_hours": True,
        "has_lecturer": True,
        "is_talk": False,
        "metrics": ["people_served"],
        "order": 200,
    }
    values.update(extra)
    return services.kind_create(actor=actor or world.boss, **values)


def error_fields(exc_info):
    return set(exc_info.value.message_dict)


class TestCreate:
    def test_it_adds_an_enterprise_kind_and_audits_it(self, world):
        kind = new_kind(world)
        assert kind.builtin is False and kind.active is True
        event = AuditEvent.objects.get(action="kind.create", target_id=str(kind.pk))
        assert event.actor == world.boss
        assert event.after["code"] == "safety_talk" and event.after["org_types"] == ["branch"]

    def test_it_can_be_planned_like_a_built_in_kind(self, world):
        new_kind(world)
        activity = plan(world, code="safety_talk")
        assert activity.kind.code == "safety_talk"

    @pytest.mark.parametrize("code", ["general_meeting", "talk"])
    def test_a_code_already_used_is_refused_even_by_a_built_in(self, world, code):
        with pytest.raises(ValidationError) as exc_info:
            new_kind(world, code=code)
        assert error_fields(exc_info) == {"code"}
        assert "built-in" in exc_info.value.message_dict["code"][0]

    def test_a_code_used_by_another_enterprise_kind_is_refused(self, world):
        new_kind(world)
        with pytest.raises(ValidationError) as exc_info:
            new_kind(world, name="另一个")
        assert error_fields(exc_info) == {"code"}

    def test_the_code_is_a_slug(self, world):
        with pytest.raises(ValidationError) as exc_info:
            new_kind(world, code="安全 讲堂")
        assert error_fields(exc_info) == {"code"}

    def test_values_come_from_the_choices(self, world):
        with pytest.raises(ValidationError) as exc_info:
            new_kind(
                world,
                category="party",
                audience="all",
                quorum="most",
                org_types=["branch", "company"],
                metrics=["smiles"],
            )
        assert error_fields(exc_info) == {"category", "audience", "quorum", "org_types", "metrics"}
        assert "company" in exc_info.value.message_dict["org_types"][0]
        assert not ActivityKind.objects.filter(code="safety_talk").exists()

    def test_a_talk_records_attendance_of_named_people(self, world):
        with pytest.raises(ValidationError) as exc_info:
            new_kind(world, is_talk=True, has_attendance=False, audience="party_members")
        assert error_fields(exc_info) == {"has_attendance", "audience"}
        assert new_kind(world, is_talk=True, audience="named").is_talk

    def test_it_needs_the_right_to_manage_orgs(self, world):
        for user in (world.alice, world.bob, world.dang):
            with pytest.raises(PermissionDenied):
                new_kind(world, actor=user)
        assert new_kind(world, actor=world.admin).code == "safety_talk"


class TestUpdate:
    def test_once_used_its_code_and_nature_are_locked_but_its_name_is_not(self, world):
        kind = new_kind(world)
        services.activity_plan(
            actor=world.alice, org=world.branch_a, kind=kind, planned_start=at(days_ago(3), 9, 0)
        )
        with pytest.raises(ValidationError) as exc_info:
            services.kind_update(actor=world.boss, kind=kind, data={"code": "renamed", "audience": "named"})
        assert error_fields(exc_info) == {"code", "audience"}
        services.kind_update(actor=world.boss, kind=kind, data={"name": "安全讲堂"})
        assert ActivityKind.objects.get(pk=kind.pk).name == "安全讲堂"

    def test_an_enterprise_kind_changes_and_is_audited(self, world):
        kind = new_kind(world)
        services.kind_update(actor=world.boss, kind=kind, data={"name": "安全讲堂", "metrics": []})
        kind.refresh_from_db()
        assert kind.name == "安全讲堂" and kind.metrics == []
        event = AuditEvent.objects.get(action="kind.update")
        assert event.before["name"] == "安全生产党建讲堂" and event.after["name"] == "安全讲堂"

    def test_the_same_rules_apply(self, world):
        kind = new_kind(world)
        with pytest.raises(ValidationError) as exc_info:
            services.kind_update(actor=world.boss, kind=kind, data={"code": "talk", "is_talk": True})
        assert error_fields(exc_info) == {"code", "audience"}
        kind.refresh_from_db()
        assert kind.code == "safety_talk" and not kind.is_talk

    def test_a_built_in_kind_only_changes_active_and_order(self, world):
        kind = ActivityKind.objects.get(code="party_lecture")
        with pytest.raises(ValidationError) as exc_info:
            services.kind_update(actor=world.boss, kind=kind, data={"name": "讲座", "has_hours": False})
        assert error_fields(exc_info) == {"name", "has_hours"}
        assert "national catalogue" in exc_info.value.message_dict["name"][0]
        services.kind_update(actor=world.boss, kind=kind, data={"active": False, "order": 5})
        kind.refresh_from_db()
        assert (kind.name, kind.active, kind.order) == ("党课", False, 5)
        assert AuditEvent.objects.filter(action="kind.update", target_id=str(kind.pk)).count() == 1

    def test_a_deactivated_kind_is_kept_but_not_offered_for_planning(self, world):
        kind = new_kind(world)
        activity = plan(world, code="safety_talk")
        services.kind_update(actor=world.boss, kind=kind, data={"active": False})
        activity.refresh_from_db()
        assert activity.kind == kind
        assert kind not in PlanForm(user=world.alice).fields["kind"].queryset
        with pytest.raises(ValidationError) as exc_info:
            plan(world, code="safety_talk")
        assert "kind" in exc_info.value.message_dict

    def test_unknown_fields_are_refused(self, world):
        kind = new_kind(world)
        with pytest.raises(ValidationError) as exc_info:
            services.kind_update(actor=world.boss, kind=kind, data={"builtin": True})
        assert error_fields(exc_info) == {"builtin"}

    def test_it_needs_the_right_to_manage_orgs(self, world):
        kind = new_kind(world)
        with pytest.raises(PermissionDenied):
            services.kind_update(actor=world.alice, kind=kind, data={"active": False})


class TestPages:
    def test_the_access_matrix(self, client, world):
        for url in ("/activities/kinds/", "/activities/kinds/new/", "/activities/kinds/talk/edit/"):
            response = client.get(url)
            assert response.status_code == 302 and "/login/" in response["Location"], url
            for user in (world.alice, world.bob):
                client.force_login(user)
                assert client.get(url).status_code == 403, (url, user)
            client.force_login(world.boss)
            assert client.get(url).status_code == 200, url
            client.logout()

    def test_the_list_shows_built_in_and_enterprise_kinds(self, client, world):
        new_kind(world)
        client.force_login(world.boss)
        page = client.get("/activities/kinds/").content.decode()
        assert "支部党员大会" in page and "安全生产党建讲堂" in page
        assert "Half or more of the voting members" in page
        assert "/activities/kinds/safety_talk/edit/" in page

    def test_the_list_is_in_the_navigation_of_managers_only(self, client, world):
        client.force_login(world.boss)
        assert 'href="/activities/kinds/"' in client.get("/activities/").content.decode()
        client.force_login(world.alice)
        assert 'href="/activities/kinds/"' not in client.get("/activities/").content.decode()

    def test_a_forbidden_post_writes_nothing(self, client, world):
        client.force_login(world.alice)
        assert client.post("/activities/kinds/new/", self._form()).status_code == 403
        assert not ActivityKind.objects.filter(code="safety_talk").exists()

    @staticmethod
    def _form(**extra):
        data = {
            "code": "safety_talk",
            "name": "安全生产党建讲堂",
            "category": "study",
            "audience": "party_members",
            "quorum": "none",
            "org_types": ["branch"],
            "has_attendance": "on",
            "has_hours": "on",
            "metrics": ["people_served"],
            "order": "200",
        }
        data.update(extra)
        return data

    def test_create_by_the_committee_admin(self, client, world):
        client.force_login(world.boss)
        response = client.post("/activities/kinds/new/", self._form())
        assert response.status_code == 302
        assert response["Location"] == "/activities/kinds/#kind-safety_talk"
        kind = ActivityKind.objects.get(code="safety_talk")
        assert kind.org_types == ["branch"] and kind.has_hours and not kind.has_agenda
        assert AuditEvent.objects.filter(action="kind.create", actor=world.boss).count() == 1

    def test_service_errors_land_on_the_fields(self, client, world):
        client.force_login(world.boss)
        response = client.post("/activities/kinds/new/", self._form(code="talk", is_talk="on"))
        assert response.status_code == 200
        form = response.context["form"]
        assert set(form.errors) == {"code", "audience"}
        assert not AuditEvent.objects.filter(action="kind.create").exists()

    def test_edit_and_deactivate_an_enterprise_kind(self, client, world):
        new_kind(world)
        client.force_login(world.boss)
        url = "/activities/kinds/safety_talk/edit/"
        assert 'name="code"' in client.get(url).content.decode()
        response = client.post(url, self._form(name="安全讲堂", order="210"))  # active unticked
        assert response.status_code == 302
        kind = ActivityKind.objects.get(code="safety_talk")
        assert (kind.name, kind.order, kind.active) == ("安全讲堂", 210, False)
        assert AuditEvent.objects.filter(action="kind.update", actor=world.boss).count() == 1

    def test_a_built_in_kind_offers_only_active_and_order(self, client, world):
        client.force_login(world.boss)
        url = "/activities/kinds/party_lecture/edit/"
        page = client.get(url).content.decode()
        assert 'name="order"' in page and 'name="active"' in page and 'name="name"' not in page
        response = client.post(url, {"order": "7", "active": "on", "name": "讲座"})
        assert response.status_code == 302
        kind = ActivityKind.objects.get(code="party_lecture")
        assert (kind.name, kind.order, kind.active) == ("党课", 7, True)

    def test_an_unknown_kind_is_a_404(self, client, world):
        client.force_login(world.boss)
        assert client.get("/activities/kinds/nothing/edit/").status_code == 404


class TestApi:
    BODY = {
        "code": "safety_talk",
        "name": "安全生产党建讲堂",
        "category": "study",
        "audience": "party_members",
        "org_types": ["branch"],
        "has_hours": True,
        "metrics": ["people_served"],
    }

    def test_post_creates_for_managers_only(self, world):
        assert api().post(KINDS, self.BODY, format="json").status_code == 401
        for user in (world.alice, world.bob):
            assert api(user).post(KINDS, self.BODY, format="json").status_code == 403
        assert not ActivityKind.objects.filter(code="safety_talk").exists()
        response = api(world.boss).post(KINDS, self.BODY, format="json")
        assert response.status_code == 201
        body = response.json()
        assert body["code"] == "safety_talk" and body["builtin"] is False and body["active"] is True
        assert body["quorum"] == "none" and body["has_attendance"] is True
        assert AuditEvent.objects.filter(action="kind.create", actor=world.boss).count() == 1
        assert "safety_talk" in {row["code"] for row in api(world.dang).get(KINDS).json()["results"]}

    def test_post_errors_have_the_api_shape(self, world):
        body = {**self.BODY, "code": "general_meeting", "metrics": ["smiles"], "is_talk": True}
        response = api(world.boss).post(KINDS, body, format="json")
        assert response.status_code == 400
        assert fields(response) == {"code", "metrics", "audience"}
        error = response.json()["errors"][0]
        assert set(error) == {"field", "message", "code"}
        response = api(world.boss).post(KINDS, {"code": "x"}, format="json")
        assert response.status_code == 400 and {"name", "category", "audience"} <= fields(response)

    def test_patch(self, world):
        new_kind(world)
        url = f"{KINDS}safety_talk/"
        assert api().patch(url, {"active": False}, format="json").status_code == 401
        assert api(world.alice).patch(url, {"active": False}, format="json").status_code == 403
        assert api(world.bob).patch(url, {"active": False}, format="json").status_code == 403
        response = api(world.boss).patch(url, {"active": False, "name": "安全讲堂"}, format="json")
        assert response.status_code == 200
        assert response.json()["active"] is False and response.json()["name"] == "安全讲堂"
        assert AuditEvent.objects.filter(action="kind.update", actor=world.boss).count() == 1
        assert "safety_talk" not in {row["code"] for row in api(world.boss).get(KINDS).json()["results"]}
        assert api(world.bob).get(url).json()["active"] is False
        assert api(world.boss).patch(f"{KINDS}nothing/", {"order": 1}, format="json").status_code == 404

    def test_patch_of_a_built_in_kind(self, world):
        url = f"{KINDS}party_lecture/"
        response = api(world.boss).patch(url, {"name": "讲座"}, format="json")
        assert response.status_code == 400
        assert response.json()["errors"][0]["field"] == "name"
        assert "national catalogue" in response.json()["errors"][0]["message"]
        response = api(world.boss).patch(url, {"order": 3}, format="json")
        assert response.status_code == 200 and response.json()["order"] == 3

    def test_kinds_are_never_deleted(self, world):
        new_kind(world)
        for code in ("safety_talk", "talk"):
            assert api(world.boss).delete(f"{KINDS}{code}/").status_code == 405
        assert ActivityKind.objects.filter(code__in=["safety_talk", "talk"]).count() == 2
