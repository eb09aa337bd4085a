from django.test import RequestFactory

from xianfeng.core.context_processors import navigation


def _urls(request, user, active_only=False):
    request.user = user
    groups = navigation(request)["nav_groups"]
    return [i["url"] for g in groups for i in g["items"] if i["active"] or not active_only]


class TestNavigation:
    def test_only_the_most_specific_entry_is_active(self, world):
        request = RequestFactory().get("/members/io/import/")
        assert _urls(request, world.alice, active_only=True) == ["/members/io/import/"]

    def test_a_member_sees_only_self_service_entries(self, world):
        assert _urls(RequestFactory().get("/"), world.dang) == [
            "/",
            "/members/me/",
            "/activities/my/",
            "/compliance/due/",
            "/compliance/notifications/",
            "/dues/me/",
            "/scoring/me/",
            "/supervision/mine/",
        ]

    def test_the_audit_log_needs_the_audit_right(self, world):
        request = RequestFactory().get("/")
        assert "/audit/" not in _urls(request, world.bob)
        assert "/audit/" in _urls(request, world.alice)


class TestTopBarSearch:
    def test_it_is_offered_to_users_who_can_see_members(self, client, world):
        client.force_login(world.bob)
        assert 'id="xf-search"' in client.get("/members/").content.decode()

    def test_it_is_not_offered_to_self_service_members(self, client, world):
        client.force_login(world.dang)
        assert 'id="xf-search"' not in client.get("/members/me/").content.decode()
