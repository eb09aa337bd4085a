import pytest
from django.conf import settings as django_settings

from xianfeng.core.models import AuditEvent
from xianfeng.testing import DEMO_PASSWORD


class TestLogin:
    def test_a_login_and_a_logout_are_audited(self, client, world):
        response = client.post("/login/", {"username": "alice", "password": DEMO_PASSWORD})
        assert response.status_code == 302
        client.post("/logout/")
        assert list(
            AuditEvent.objects.filter(actor_name="alice").values_list("action", flat=True).order_by("id")
        ) == [
            "auth.login",
            "auth.logout",
        ]

    def test_a_failed_login_is_audited_without_the_password(self, client, world):
        client.post("/login/", {"username": "alice", "password": "wrong-password"})
        event = AuditEvent.objects.get(action="auth.login_failed")
        assert event.actor_name == "alice" and "wrong-password" not in str(event.__dict__)

    def test_the_account_locks_after_repeated_failures(self, client, world):
        for _ in range(django_settings.AXES_FAILURE_LIMIT):
            client.post("/login/", {"username": "alice", "password": "wrong"})
        response = client.post("/login/", {"username": "alice", "password": DEMO_PASSWORD})
        assert response.status_code == 429
        assert "_auth_user_id" not in client.session

    def test_one_failure_less_than_the_limit_still_lets_the_right_password_in(self, client, world):
        for _ in range(django_settings.AXES_FAILURE_LIMIT - 1):
            client.post("/login/", {"username": "alice", "password": "wrong"})
        response = client.post("/login/", {"username": "alice", "password": DEMO_PASSWORD})
        assert response.status_code == 302

    def test_sessions_expire_after_idle_time(self):
        assert django_settings.SESSION_SAVE_EVERY_REQUEST is True
        assert django_settings.SESSION_COOKIE_AGE == 30 * 60


class TestPasswordStrength:
    @pytest.mark.parametrize("weak", ["password", "12345678", "abcdefgh1", "Short1!"])
    def test_weak_passwords_are_refused(self, weak):
        from django.contrib.auth.password_validation import validate_password
        from django.core.exceptions import ValidationError

        with pytest.raises(ValidationError):
            validate_password(weak)

    def test_a_strong_password_is_accepted(self):
        from django.contrib.auth.password_validation import validate_password

        validate_password("Zhibu@2026x")


class TestAuditIsAppendOnly:
    def test_events_cannot_be_edited_or_deleted(self, world):
        event = AuditEvent.objects.first()
        event.message = "tampered"
        with pytest.raises(PermissionError):
            event.save()
        with pytest.raises(PermissionError):
            event.delete()
        with pytest.raises(PermissionError):
            AuditEvent.objects.all().delete()
        with pytest.raises(PermissionError):
            AuditEvent.objects.update(message="x")
