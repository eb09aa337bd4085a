"""Compliance pages: the access matrix, what each page shows, forms, and bounded queries."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from xianfeng.compliance.models import (
    ContactPoint,
    Notification,
    Obligation,
    ObligationProfile,
    ProfileAssignment,
)
from xianfeng.compliance.tests.builders import contact_point, enterprise_profile, held, obligation, post
from xianfeng.orgs.choices import OrgType
from xianfeng.people.choices import Post
from xianfeng.testing import make_member, make_org

D = dt.date


def get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


def health_url(org, **params):
    query = "&".join(f"{k}={v}" for k, v in params.items())
    return reverse("compliance:health", args=[org.pk]) + (f"?{query}" if query else "")


# --- Access matrix --------------------------------------------------------------------------------

PAGES = {
    # page: expected status for anonymous (login redirect), charlie (outsider to A), bob (viewer of A),
    # alice (branch admin of A), boss (committee admin), dang (member, self-service only)
    "health_a": {None: 302, "charlie": 404, "bob": 200, "alice": 200, "boss": 200, "dang": 404},
    "matrix": {None: 302, "charlie": 200, "bob": 200, "alice": 200, "boss": 200, "dang": 403},
    "matrix_a": {None: 302, "charlie": 404, "bob": 200, "alice": 200, "boss": 200, "dang": 403},
    "classification": {None: 302, "charlie": 200, "bob": 200, "alice": 200, "boss": 200, "dang": 403},
    "obligations": {None: 302, "charlie": 200, "bob": 200, "alice": 200, "boss": 200, "dang": 200},
    "profile_create": {None: 302, "charlie": 403, "bob": 403, "alice": 403, "boss": 200, "dang": 403},
    "profile_import": {None: 302, "charlie": 403, "bob": 403, "alice": 403, "boss": 200, "dang": 403},
    "contact_points": {None: 302, "charlie": 200, "bob": 200, "alice": 200, "boss": 200, "dang": 403},
    "contact_point_create": {None: 302, "charlie": 403, "bob": 403, "alice": 403, "boss": 200, "dang": 403},
    "due": {None: 302, "charlie": 200, "bob": 200, "alice": 200, "boss": 200, "dang": 200},
    "notifications": {None: 302, "charlie": 200, "bob": 200, "alice": 200, "boss": 200, "dang": 200},
}


def page_url(name, world):
    return {
        "health_a": health_url(world.branch_a),
        "matrix": reverse("compliance:matrix"),
        "matrix_a": reverse("compliance:matrix") + f"?org={world.branch_a.pk}",
        "classification": reverse("compliance:classification"),
        "obligations": reverse("compliance:obligations"),
        "profile_create": reverse("compliance:profile_create"),
        "profile_import": reverse("compliance:profile_import"),
        "contact_points": reverse("compliance:contact_points"),
        "contact_point_create": reverse("compliance:contact_point_create"),
        "due": reverse("compliance:due"),
        "notifications": reverse("compliance:notifications"),
    }[name]


@pytest.mark.parametrize(
    ("page", "user", "expected"),
    [(page, user, code) for page, row in PAGES.items() for user, code in row.items()],
)
def test_the_access_matrix(client, world, page, user, expected):
    response = get(client, getattr(world, user) if user else None, page_url(page, world))
    assert response.status_code == expected
    if expected == 302:
        assert response.url.startswith(reverse("login"))


@pytest.fixture
def ent(world):
    profile = enterprise_profile(world.committee)
    return profile, obligation(profile, "monthly-report", ["work_report"])


@pytest.mark.parametrize(
    ("user", "expected"), [(None, 302), ("charlie", 403), ("bob", 403), ("alice", 403), ("boss", 200)]
)
def test_editing_an_enterprise_profile_needs_the_right_to_manage_its_orgs(client, world, ent, user, expected):
    profile, made = ent
    for url in (
        reverse("compliance:obligation_create", args=[profile.code]),
        reverse("compliance:obligation_edit", args=[made.pk]),
        reverse("compliance:profile_assign", args=[profile.code]),
    ):
        assert get(client, getattr(world, user) if user else None, url).status_code == expected
    response = client.post(reverse("compliance:obligation_deactivate", args=[made.pk]))
    assert response.status_code == (302 if expected in (200, 302) else expected)
    made.refresh_from_db()
    assert made.active == (user != "boss")


@pytest.mark.parametrize("name", ["notifications_read_all", "contact_point_create", "profile_create"])
def test_posts_need_a_login(client, world, name):
    response = client.post(reverse(f"compliance:{name}"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_the_national_profile_cannot_be_edited_even_by_a_system_admin(client, world):
    client.force_login(world.admin)
    national = Obligation.objects.filter(profile__code="national").first()
    assert client.get(reverse("compliance:obligation_edit", args=[national.pk])).status_code == 403
    assert client.post(reverse("compliance:obligation_deactivate", args=[national.pk])).status_code == 403
    assert client.get(reverse("compliance:obligation_create", args=["national"])).status_code == 403


# --- Health check ---------------------------------------------------------------------------------


class TestHealth:
    def test_it_lists_findings_with_evidence_and_citations(self, client, world):
        activity = held(world.branch_a, "theme_day", D(2025, 1, 20), title="一月主题党日")
        response = get(client, world.bob, health_url(world.branch_a, year=2025))
        body = response.content.decode()
        assert response.status_code == 200
        assert "一月主题党日" in body and "第十六条" in body and "BR-13" in body
        assert response.context["health"].score is not None
        evidence = [row for row in response.context["shown"] if row["activities"]]
        assert evidence[0]["activities"][0]["code"] == activity.code
        assert f'href="/activities/{activity.code}/"' in body  # activities:detail

    def test_a_month_shows_what_is_due_in_it(self, client, world):
        response = get(client, world.bob, health_url(world.branch_a, year=2025, month=3))
        labels = {row["f"].period_label for row in response.context["shown"]}
        assert labels == {"2025-03", "2025-Q1"}

    def test_it_shows_the_coded_rules_for_the_current_year(self, client, world):
        response = get(client, world.bob, health_url(world.branch_a))
        assert {f.rule for f in response.context["health"].coded} >= {
            "rule/too_few_members",
            "rule/secretary_vacant",
        }

    def test_party_group_findings_are_part_of_the_branch(self, client, world):
        response = get(client, world.bob, health_url(world.branch_a, year=2025))
        assert world.group_a1.pk in {row["f"].org_id for row in response.context["shown"]}


# --- Matrix and classification --------------------------------------------------------------------


def _grow(world, n):
    for i in range(n):
        branch = make_org(world.general_branch, OrgType.BRANCH, f"扩展支部{i}")
        make_org(branch, OrgType.PARTY_GROUP, f"扩展小组{i}")
        held(branch, "theme_day", D(2025, 2, 3))


class TestMatrix:
    def test_it_shows_each_branch_and_month_with_links(self, client, world):
        held(world.branch_a, "theme_day", D(2025, 1, 20))
        response = get(client, world.boss, reverse("compliance:matrix") + "?year=2025")
        rows = {row.org.id: row for row in response.context["rows"]}
        assert set(rows) == {world.general_branch.pk, world.branch_a.pk, world.branch_b.pk}
        january = rows[world.branch_a.pk].cells[0]
        assert january.status == "missed"  # the party group's January meeting was missed
        assert (january.met, january.total) == (1, 2)
        body = response.content.decode()
        assert f"{health_url(world.branch_a, year=2025)}&amp;month=1" in body
        chart = json.loads(response.context["chart"] and json.dumps(response.context["chart"]))
        assert len(chart["cells"]) == 3 * 12 and chart["cells"][0][6].endswith("month=1")

    def test_an_outsider_sees_only_their_branch(self, client, world):
        response = get(client, world.charlie, reverse("compliance:matrix"))
        assert [row.org.id for row in response.context["rows"]] == [world.branch_b.pk]
        assert world.branch_a.name not in response.content.decode()

    def test_only_problems(self, client, world):
        for month in range(1, 13):
            held(world.branch_b, "theme_day", D(2025, month, 5))
        response = get(client, world.boss, reverse("compliance:matrix") + "?year=2025&problems=1")
        assert world.branch_a.pk in {row.org.id for row in response.context["rows"]}

    def test_the_queries_do_not_grow_with_the_branches(self, client, world, django_assert_max_num_queries):
        client.force_login(world.boss)
        url = reverse("compliance:matrix") + "?year=2025"
        client.get(url)
        with django_assert_max_num_queries(20) as first:
            client.get(url)
        _grow(world, 8)
        with django_assert_max_num_queries(len(first.captured_queries)):
            response = client.get(url)
        assert len(response.context["rows"]) == 11


class TestClassification:
    def test_it_classifies_by_score_with_thresholds_from_settings(self, client, world, settings):
        settings.XIANFENG_CLASSIFY_ADVANCED = 50
        settings.XIANFENG_CLASSIFY_LAGGING = 10
        for month in range(1, 13):
            held(world.branch_b, "theme_day", D(2025, month, 5))
        response = get(client, world.boss, reverse("compliance:classification") + "?year=2025")
        rows = {row.org.id: row for row in response.context["page"].object_list}
        assert rows[world.branch_b.pk].score > rows[world.branch_a.pk].score
        assert response.context["result"].thresholds == (50, 10)
        assert sum(response.context["result"].counts.values()) == 3

    def test_a_tier_filter(self, client, world):
        response = get(client, world.boss, reverse("compliance:classification") + "?year=2025&tier=lagging")
        assert all(row.tier == "lagging" for row in response.context["page"].object_list)


# --- Obligations ----------------------------------------------------------------------------------


class TestObligationPages:
    def test_the_list_shows_profiles_with_citations_and_no_edit_for_the_national_one(
        self, client, world, ent
    ):
        response = get(client, world.boss, reverse("compliance:obligations"))
        body = response.content.decode()
        assert "支部工作条例" in body and "citation of monthly-report" in body
        rows = {row["profile"].code: row["editable"] for row in response.context["profiles"]}
        assert rows == {"national": False, "ent": True}

    def test_adding_an_obligation(self, client, world, ent):
        from xianfeng.activities.models import ActivityKind

        profile, _ = ent
        client.force_login(world.boss)
        url = reverse("compliance:obligation_create", args=[profile.code])
        form = {
            "code": "weekly",
            "title": "每月两次学习",
            "subject": "org",
            "org_types": ["branch"],
            "condition": "always",
            "kinds": [ActivityKind.objects.get(code="training").pk],
            "min_count": "2",
            "period": "month",
            "due_soon_days": "7",
            "citation": "XX §1",
            "valid_from": "2026-01-01",
        }
        response = client.post(url, form)
        assert response.status_code == 302
        assert Obligation.objects.filter(profile=profile, code="weekly", min_count=2).exists()

    def test_a_loosening_obligation_is_refused_with_a_message_and_nothing_written(self, client, world, ent):
        from xianfeng.activities.models import ActivityKind

        profile, _ = ent
        client.force_login(world.boss)
        form = {
            "code": "loose",
            "title": "主题党日每季度",
            "subject": "org",
            "org_types": ["branch"],
            "condition": "always",
            "kinds": [ActivityKind.objects.get(code="theme_day").pk],
            "min_count": "1",
            "period": "quarter",
            "due_soon_days": "7",
            "citation": "XX §2",
            "valid_from": "2026-01-01",
        }
        response = client.post(reverse("compliance:obligation_create", args=[profile.code]), form)
        assert response.status_code == 200
        assert "loosen a national rule" in response.content.decode()
        assert "主题党日每季度" in response.content.decode()  # typed input kept
        assert not Obligation.objects.filter(code="loose").exists()

    def test_min_count_zero_is_refused(self, client, world, ent):
        from xianfeng.activities.models import ActivityKind

        _, made = ent
        client.force_login(world.boss)
        form = {
            "code": made.code,
            "title": made.title,
            "subject": "org",
            "org_types": ["branch"],
            "condition": "always",
            "kinds": [ActivityKind.objects.get(code="work_report").pk],
            "min_count": "0",
            "period": "month",
            "due_soon_days": "7",
            "citation": "x",
            "valid_from": "2026-01-01",
        }
        response = client.post(reverse("compliance:obligation_edit", args=[made.pk]), form)
        assert "at least 1" in response.content.decode()
        made.refresh_from_db()
        assert made.min_count == 1

    def test_deactivating(self, client, world, ent):
        _, made = ent
        client.force_login(world.boss)
        assert client.post(reverse("compliance:obligation_deactivate", args=[made.pk])).status_code == 302
        made.refresh_from_db()
        assert not made.active

    def test_importing_seed004_from_the_page(self, client, world):
        client.force_login(world.boss)
        response = client.post(
            reverse("compliance:profile_import"), {"shipped": "seed004", "org": world.committee.pk}
        )
        assert response.status_code == 302
        profile = ObligationProfile.objects.get(code="seed004")
        assert ProfileAssignment.objects.filter(profile=profile, org=world.committee).exists()

    def test_importing_a_bad_file_shows_the_rows(self, client, world):
        from django.core.files.uploadedfile import SimpleUploadedFile

        client.force_login(world.boss)
        upload = SimpleUploadedFile(
            "p.json", b'{"profile": {"code": "x", "name": "x"}, "obligations": [{"code": "a"}]}'
        )
        response = client.post(
            reverse("compliance:profile_import"), {"file": upload, "org": world.committee.pk}
        )
        assert response.status_code == 200 and "obligations[0]" in response.content.decode()
        assert not ObligationProfile.objects.filter(code="x").exists()

    def test_assign_and_unassign(self, client, world, ent):
        profile, _ = ent
        client.force_login(world.boss)
        url = reverse("compliance:profile_assign", args=[profile.code])
        assert client.post(url, {"org": world.general_branch.pk}).status_code == 302
        assignment = ProfileAssignment.objects.get(profile=profile, org=world.general_branch)
        client.force_login(world.charlie)  # cannot see the general branch
        assert client.post(reverse("compliance:assignment_delete", args=[assignment.pk])).status_code == 404
        on_a = ProfileAssignment.objects.create(profile=profile, org=world.branch_a)
        client.force_login(world.bob)  # sees branch A, may not manage it
        assert client.post(reverse("compliance:assignment_delete", args=[on_a.pk])).status_code == 403
        client.force_login(world.boss)
        assert client.post(reverse("compliance:assignment_delete", args=[assignment.pk])).status_code == 302
        assert not ProfileAssignment.objects.filter(pk=assignment.pk).exists()


# --- Contact points -------------------------------------------------------------------------------


class TestContactPointPages:
    def test_create_list_and_end(self, client, world):
        leader = make_member(world.committee, name="联系领导").person
        post(leader, world.committee, Post.DEPUTY_SECRETARY, D(2024, 1, 1))
        client.force_login(world.boss)
        form = {"person": leader.pk, "org": world.branch_a.pk, "start_date": "2026-01-01"}
        assert client.post(reverse("compliance:contact_point_create"), form).status_code == 302
        point = ContactPoint.objects.get(person=leader)
        assert "联系领导" in get(client, world.bob, reverse("compliance:contact_points")).content.decode()
        assert (
            "联系领导"
            not in get(client, world.charlie, reverse("compliance:contact_points")).content.decode()
        )
        assert (
            get(client, world.bob, reverse("compliance:contact_point_end", args=[point.pk])).status_code
            == 403
        )
        assert (
            get(client, world.charlie, reverse("compliance:contact_point_end", args=[point.pk])).status_code
            == 404
        )
        client.force_login(world.boss)
        response = client.post(
            reverse("compliance:contact_point_end", args=[point.pk]), {"end_date": "2026-06-01"}
        )
        assert response.status_code == 302
        point.refresh_from_db()
        assert point.end_date == D(2026, 6, 1)

    def test_only_leaders_in_the_managed_scope_are_offered(self, client, world):
        leader = make_member(world.committee, name="联系领导").person
        post(leader, world.committee, Post.SECRETARY, D(2024, 1, 1))
        response = get(client, world.boss, reverse("compliance:contact_point_create"))
        assert list(response.context["form"].fields["person"].queryset) == [leader]


# --- Due for me and notifications -----------------------------------------------------------------


class TestDueForMe:
    def test_a_member_sees_this_weeks_meetings(self, client, world):
        today = timezone.localdate()
        meeting = held(world.branch_a, "theme_day", today, status="planned", title="本周主题党日")
        held(world.branch_b, "theme_day", today, status="planned", title="别的支部")
        response = get(client, world.dang, reverse("compliance:due"))
        assert [a.pk for a in response.context["due"].meetings] == [meeting.pk]
        assert "本周主题党日" in response.content.decode()

    def test_a_branch_admin_sees_their_branches_due_items(self, client, world):
        response = get(client, world.alice, reverse("compliance:due"))
        items = response.context["due"].org_items
        assert {f.org_id for f in items} <= {world.branch_a.pk, world.group_a1.pk}
        assert any(f.rule == "rule/too_few_members" for f in items)

    def test_a_leader_sees_their_contact_point_obligations(self, client, world):
        from xianfeng.compliance.services import profile_import
        from xianfeng.compliance.tests.builders import seed004

        profile_import(actor=None, data=seed004(), org=world.committee)
        contact_point(world.dang_membership.person, world.branch_a, D(2024, 1, 1))
        response = get(client, world.dang, reverse("compliance:due"))
        mine = response.context["due"].personal + response.context["due"].personal_later
        assert {f.rule for f in mine} >= {
            "seed004/s17-contact-point-visits",
            "seed004/s17-contact-point-lecture",
        }

    def test_nothing_due(self, client, world):
        response = get(client, world.bob, reverse("compliance:due"))
        assert "Nothing is due for you this week." in response.content.decode()


class TestNotifications:
    def test_own_only_and_mark_as_read(self, client, world):
        mine = Notification.objects.create(
            user=world.alice, key="k1", title="支委会逾期", url="/compliance/due/"
        )
        theirs = Notification.objects.create(user=world.charlie, key="k1", title="别人的")
        client.force_login(world.alice)
        body = client.get(reverse("compliance:notifications")).content.decode()
        assert "支委会逾期" in body and "别人的" not in body
        assert 'id="xf-unread"' in body  # the bell shows the unread count
        assert client.post(reverse("compliance:notification_read", args=[theirs.pk])).status_code == 404
        response = client.post(reverse("compliance:notification_read", args=[mine.pk]), {"go": "1"})
        assert response.url == "/compliance/due/"
        mine.refresh_from_db()
        assert mine.read_at is not None
        assert 'id="xf-unread"' not in client.get(reverse("compliance:notifications")).content.decode()

    def test_mark_all_as_read(self, client, world):
        for n in range(3):
            Notification.objects.create(user=world.alice, key=f"k{n}", title=f"t{n}")
        client.force_login(world.alice)
        client.post(reverse("compliance:notifications_read_all"))
        assert not Notification.objects.filter(user=world.alice, read_at__isnull=True).exists()

    def test_htmx_mark_as_read_returns_the_row(self, client, world):
        n = Notification.objects.create(user=world.alice, key="k", title="t")
        client.force_login(world.alice)
        response = client.post(reverse("compliance:notification_read", args=[n.pk]), HTTP_HX_REQUEST="true")
        assert response.status_code == 200 and f'id="notification-{n.pk}"' in response.content.decode()
