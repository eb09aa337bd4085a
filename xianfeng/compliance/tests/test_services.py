"""Enterprise profiles and obligations, imports, contact points: validation, permissions, audit."""

import copy
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from xianfeng.activities.models import ActivityKind
from xianfeng.compliance import services
from xianfeng.compliance.models import ContactPoint, Obligation, ObligationProfile, ProfileAssignment
from xianfeng.compliance.tests.builders import enterprise_profile, seed004
from xianfeng.core.models import AuditEvent
from xianfeng.testing import make_member

D = dt.date


def kinds(*codes):
    return list(ActivityKind.objects.filter(code__in=codes))


def data(**over):
    return {
        "code": "monthly-lecture",
        "title": "党课每月1次",
        "subject": "org",
        "org_types": ["branch"],
        "posts": [],
        "condition": "always",
        "topic_tag": "",
        "given_by_subject": False,
        "at_contact_point": False,
        "min_count": 1,
        "period": "month",
        "deadline_month": None,
        "deadline_day": None,
        "due_soon_days": 7,
        "citation": "XX公司2026年党建工作要点 §10",
        "rule_ref": "ENT-10",
        "valid_from": D(2026, 1, 1),
        "valid_to": None,
        **over,
    }


@pytest.fixture
def profile(world):
    return enterprise_profile(world.committee)


def refused(fn, field):
    with pytest.raises(ValidationError) as info:
        fn()
    assert field in info.value.message_dict, info.value.message_dict
    return info.value.message_dict[field]


class TestObligationCreate:
    def test_it_creates_an_enterprise_obligation_with_an_audit_row(self, world, profile):
        made = services.obligation_create(
            actor=world.boss, profile=profile, data=data(), kinds=kinds("party_lecture")
        )
        assert made.level == "enterprise" and list(made.kinds.values_list("code", flat=True)) == [
            "party_lecture"
        ]
        event = AuditEvent.objects.get(action="obligation.create")
        assert event.after["kinds"] == ["party_lecture"] and event.actor == world.boss

    @pytest.mark.parametrize(
        ("over", "field"),
        [
            ({"min_count": 0}, "min_count"),
            ({"period": "fortnight"}, "period"),
            ({"org_types": []}, "org_types"),
            ({"valid_to": D(2025, 12, 31)}, "valid_to"),
            ({"deadline_month": 6, "deadline_day": 30}, "deadline_month"),  # monthly: no deadline month
            ({"period": "year", "deadline_month": 2, "deadline_day": 30}, "deadline_day"),
            ({"topic_tag": "gossip"}, "topic_tag"),
            ({"subject": "post_holder"}, "posts"),
            ({"at_contact_point": True}, "at_contact_point"),
            ({"code": "br13-theme-day-monthly"}, "code"),  # a national rule cannot be replaced
        ],
    )
    def test_bad_input_is_refused_and_nothing_is_written(self, world, profile, over, field):
        refused(
            lambda: services.obligation_create(
                actor=world.boss, profile=profile, data=data(**over), kinds=kinds("party_lecture")
            ),
            field,
        )
        assert not Obligation.objects.filter(profile=profile).exists()
        assert not AuditEvent.objects.filter(action="obligation.create").exists()

    def test_no_kind_is_refused(self, world, profile):
        refused(
            lambda: services.obligation_create(actor=world.boss, profile=profile, data=data(), kinds=[]),
            "kinds",
        )

    @pytest.mark.parametrize(
        ("over", "ok"),
        [
            ({"period": "quarter"}, False),  # theme day monthly (BR-13) → quarterly: a longer period
            ({"period": "year", "min_count": 11}, False),  # fewer than 12 a year
            (
                {"period": "year", "min_count": 12},
                False,
            ),  # 12 a year allows a gap month: still a longer period
            ({"min_count": 2}, True),  # twice a month: stricter
            ({"topic_tag": "safety"}, True),  # a themed day is another obligation, not a loosening
            ({"org_types": ["party_group"]}, True),  # not the national rule's subjects
        ],
    )
    def test_a_national_rule_cannot_be_loosened(self, world, profile, over, ok):
        call = lambda: services.obligation_create(  # noqa: E731
            actor=world.boss, profile=profile, data=data(code="theme", **over), kinds=kinds("theme_day")
        )
        if ok:
            assert call().pk
        else:
            messages = refused(call, "min_count")
            assert any("BR-13" in m for m in messages)
            assert not Obligation.objects.filter(profile=profile).exists()

    def test_a_local_default_may_be_replaced_by_its_code(self, world, profile):
        made = services.obligation_create(
            actor=world.boss,
            profile=profile,
            data=data(code="br12-branch-lecture-quarterly", period="year"),  # looser than the L default
            kinds=kinds("party_lecture"),
        )
        assert made.period == "year"

    def test_the_national_profile_is_read_only(self, world):
        national = ObligationProfile.objects.get(code="national")
        with pytest.raises(PermissionDenied):
            services.obligation_create(
                actor=world.admin, profile=national, data=data(), kinds=kinds("party_lecture")
            )
        with pytest.raises(PermissionDenied):
            services.obligation_deactivate(actor=world.admin, obligation=national.obligations.first())

    @pytest.mark.parametrize("user", ["alice", "bob", "charlie"])
    def test_only_those_who_manage_the_assigned_orgs_may_edit(self, world, profile, user):
        with pytest.raises(PermissionDenied):
            services.obligation_create(
                actor=getattr(world, user), profile=profile, data=data(), kinds=kinds("party_lecture")
            )


class TestObligationUpdate:
    def test_it_updates_validates_and_deactivates(self, world, profile):
        made = services.obligation_create(
            actor=world.boss, profile=profile, data=data(), kinds=kinds("party_lecture")
        )
        refused(
            lambda: services.obligation_update(actor=world.boss, obligation=made, data={"min_count": 0}),
            "min_count",
        )
        made.refresh_from_db()
        assert made.min_count == 1
        services.obligation_update(
            actor=world.boss, obligation=made, data={"min_count": 2}, kinds=kinds("party_lecture", "training")
        )
        made.refresh_from_db()
        assert made.min_count == 2 and made.kinds.count() == 2
        services.obligation_deactivate(actor=world.boss, obligation=made, valid_to=D(2026, 6, 30))
        made.refresh_from_db()
        assert (made.active, made.valid_to) == (False, D(2026, 6, 30))
        refused(lambda: services.obligation_deactivate(actor=world.boss, obligation=made), "active")
        assert [
            e.action for e in AuditEvent.objects.filter(action__startswith="obligation.").order_by("id")
        ] == [
            "obligation.create",
            "obligation.update",
            "obligation.deactivate",
        ]


class TestProfiles:
    def test_create_and_assign(self, world):
        made = services.profile_create(actor=world.boss, code="xx-2026", name="XX公司2026")
        services.profile_assign(actor=world.boss, profile=made, org=world.general_branch)
        refused(
            lambda: services.profile_assign(actor=world.boss, profile=made, org=world.general_branch), "org"
        )
        with pytest.raises(PermissionDenied):
            services.profile_assign(actor=world.alice, profile=made, org=world.branch_a)
        with pytest.raises(PermissionDenied):
            services.profile_create(actor=world.bob, code="nope", name="nope")

    def test_seed004_imports_and_assigns(self, world):
        profile = services.profile_import(actor=world.boss, data=seed004(), org=world.committee)
        assert profile.obligations.count() == 18
        assert {o.rule_ref for o in profile.obligations.all()} == {"S004-17", "S004-25", "S004-26", "S004-31"}
        assert all(o.citation.startswith("XX公司2022年党建工作要点 §") for o in profile.obligations.all())
        assert ProfileAssignment.objects.filter(profile=profile, org=world.committee).exists()
        again = services.profile_import(actor=world.boss, data=seed004(), org=world.committee)  # idempotent
        assert again.pk == profile.pk and again.obligations.count() == 18
        assert AuditEvent.objects.filter(action="profile.import").count() == 2

    def test_a_profile_with_one_bad_row_writes_nothing(self, world):
        bad = copy.deepcopy(seed004())
        bad["obligations"][3]["min_count"] = 0
        bad["obligations"][5]["period"] = "fortnight"
        bad["obligations"][7]["kinds"] = ["party_lecture", "séance"]
        with pytest.raises(ValidationError) as info:
            services.profile_import(actor=world.boss, data=bad, org=world.committee)
        errors = info.value.message_dict
        assert {"obligations[3].min_count", "obligations[5].period", "obligations[7].kinds"} <= set(errors)
        assert not ObligationProfile.objects.filter(code="seed004").exists()

    @pytest.mark.parametrize(
        "mutate",
        [
            lambda d: d["profile"].update(code="national"),
            lambda d: d["profile"].update(applies_everywhere=True),
            lambda d: d.pop("obligations"),
            lambda d: d["obligations"][0].update(code=d["obligations"][1]["code"]),
        ],
    )
    def test_malformed_profiles_are_refused(self, world, mutate):
        bad = copy.deepcopy(seed004())
        mutate(bad)
        with pytest.raises(ValidationError):
            services.profile_import(actor=world.boss, data=bad)

    def test_a_file_that_loosens_a_national_rule_is_refused(self, world):
        bad = copy.deepcopy(seed004())
        bad["obligations"].append(
            {
                **bad["obligations"][0],
                "code": "loose",
                "subject": "org",
                "org_types": ["branch"],
                "kinds": ["theme_day"],
                "period": "quarter",
                "topic_tag": "",
            }
        )
        with pytest.raises(ValidationError) as info:
            services.profile_import(actor=world.boss, data=bad)
        assert "obligations[18].min_count" in info.value.message_dict


class TestContactPoints:
    def test_create_and_end(self, world):
        leader = make_member(world.committee, name="联系领导").person
        point = services.contact_point_create(
            actor=world.boss, person=leader, org=world.branch_a, start_date=D(2026, 1, 1)
        )
        refused(
            lambda: services.contact_point_create(
                actor=world.boss, person=leader, org=world.branch_a, start_date=D(2026, 2, 1)
            ),
            "org",
        )
        refused(
            lambda: services.contact_point_end(actor=world.boss, contact_point=point, end_date=D(2025, 1, 1)),
            "end_date",
        )
        services.contact_point_end(actor=world.boss, contact_point=point, end_date=D(2026, 6, 1))
        point.refresh_from_db()
        assert point.end_date == D(2026, 6, 1)
        assert AuditEvent.objects.filter(action__startswith="contact_point.").count() == 2

    def test_the_org_must_be_a_branch_and_the_leader_a_member(self, world):
        leader = make_member(world.committee).person
        refused(
            lambda: services.contact_point_create(
                actor=world.boss, person=leader, org=world.group_a1, start_date=D(2026, 1, 1)
            ),
            "org",
        )
        assert not ContactPoint.objects.exists()

    @pytest.mark.parametrize("user", ["alice", "bob", "charlie"])
    def test_branch_admins_and_viewers_cannot_set_contact_points(self, world, user):
        with pytest.raises(PermissionDenied):
            services.contact_point_create(
                actor=getattr(world, user),
                person=world.member_a.person,
                org=world.branch_a,
                start_date=D(2026, 1, 1),
            )
