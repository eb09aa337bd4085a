from xianfeng.core.models import AuditEvent
from xianfeng.testing import DEMO_PASSWORD

URL = "/account/password/"


def _post(client, old, new1, new2=None):
    return client.post(URL, {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


class TestPasswordChange:
    def test_anonymous_is_sent_to_login(self, client, db):
        response = client.get(URL)
        assert response.status_code == 302 and response.url.startswith("/login/")

    def test_a_user_changes_their_password_stays_logged_in_and_it_is_audited(self, client, world):
        client.force_login(world.bob)
        response = _post(client, DEMO_PASSWORD, "Bob-new-2026x")
        assert response.status_code == 302
        world.bob.refresh_from_db()
        assert world.bob.check_password("Bob-new-2026x")
        assert client.get("/members/").status_code == 200  # the session survived the change
        event = AuditEvent.objects.get(action="user.password_change")
        assert event.actor == world.bob and "Bob-new-2026x" not in str(event.__dict__)

    def test_a_wrong_old_password_changes_nothing(self, client, world):
        client.force_login(world.bob)
        response = _post(client, "not-my-password", "Bob-new-2026x")
        assert response.status_code == 200 and "old_password" in response.context["form"].errors
        world.bob.refresh_from_db()
        assert world.bob.check_password(DEMO_PASSWORD)
        assert not AuditEvent.objects.filter(action="user.password_change").exists()

    def test_a_weak_new_password_is_refused_by_the_validators(self, client, world):
        client.force_login(world.bob)
        response = _post(client, DEMO_PASSWORD, "password")
        assert "new_password2" in response.context["form"].errors
        world.bob.refresh_from_db()
        assert world.bob.check_password(DEMO_PASSWORD)
