"""Reminders: who is notified, idempotency, e-mail, and the WeCom / DingTalk robots (a real local HTTP
receiver on 127.0.0.1, no mock of the HTTP layer)."""

import datetime as dt
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core import mail
from django.core.management import call_command

from xianfeng.compliance import notify
from xianfeng.compliance.models import Notification
from xianfeng.compliance.tests.builders import post
from xianfeng.people.choices import Post
from xianfeng.testing import make_user

D = dt.date
TODAY = D(2026, 3, 2)  # February is over: its theme days were missed


class Receiver:
    """A group robot stand-in: records each POST and answers with `answer`."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.answer: dict = {"errcode": 0, "errmsg": "ok"}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length", 0))
                receiver.requests.append(
                    {
                        "path": self.path,
                        "content_type": self.headers.get("Content-Type"),
                        "body": json.loads(self.rfile.read(length).decode("utf-8")),
                    }
                )
                payload = json.dumps(receiver.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    robot = Receiver()
    settings.XIANFENG_WEBHOOK_URL = robot.url
    settings.XIANFENG_WEBHOOK_KIND = "wecom"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    yield robot
    robot.close()


@pytest.fixture
def people(world):
    world.alice.email = "alice@example.com"
    world.alice.save(update_fields=["email"])
    world.charlie.email = "charlie@example.com"
    world.charlie.save(update_fields=["email"])
    return world


class TestRecipients:
    def test_branch_admins_get_their_branch_and_its_groups(self, people, receiver):
        notify.remind(today=TODAY)
        alice = set(Notification.objects.filter(user=people.alice).values_list("key", flat=True))
        assert any(f"|{people.branch_a.pk}|" in key and "theme-day" in key for key in alice)
        assert any(f"|{people.group_a1.pk}|" in key for key in alice)  # the group has no admin of its own
        assert not any(f"|{people.branch_b.pk}|" in key for key in alice)
        assert not Notification.objects.filter(user=people.bob).exists()  # viewers are not responsible

    def test_the_committee_admin_gets_what_has_no_closer_admin(self, people, receiver):
        notify.remind(today=D(2027, 1, 2))  # the committee's 2026 democratic life meeting was missed
        boss = set(Notification.objects.filter(user=people.boss).values_list("key", flat=True))
        assert any(
            f"br18-democratic-life-meeting-yearly|{people.committee.pk}||2026|missed" in key for key in boss
        )
        assert not any(f"|{people.branch_a.pk}|" in key for key in boss)

    def test_personal_obligations_go_to_the_person(self, people, receiver):
        secretary = people.dang_membership.person  # dang has an account
        post(secretary, people.branch_a, Post.SECRETARY, D(2020, 1, 1))
        notify.remind(today=D(2027, 1, 2))  # the 2026 lecture was missed
        keys = set(Notification.objects.filter(user=people.dang).values_list("key", flat=True))
        assert any("br12-branch-secretary-lecture" in key and "2026|missed" in key for key in keys)

    def test_a_notification_says_what_where_and_why(self, people, receiver):
        notify.remind(today=TODAY)
        n = Notification.objects.filter(user=people.alice, key__contains="theme-day").first()
        assert n.title.startswith("[Missed]")
        assert people.branch_a.name in n.body and "第十六条" in n.body
        assert n.url == f"/compliance/health/{people.branch_a.pk}/?year=2026"


class TestIdempotency:
    def test_remind_twice_sends_once(self, people, receiver):
        first = notify.remind(today=TODAY)
        assert first.created > 0 and first.emailed == 2 and first.webhook == "sent"
        assert len(mail.outbox) == 2 and len(receiver.requests) == 1
        second = notify.remind(today=TODAY)
        assert (second.created, second.emailed, second.webhook) == (0, 0, "nothing new")
        assert len(mail.outbox) == 2 and len(receiver.requests) == 1
        assert Notification.objects.filter(emailed_at__isnull=True, user=people.alice).count() == 0

    def test_a_new_status_notifies_again(self, people, receiver):
        notify.remind(today=D(2026, 3, 25))  # March's theme day is due soon
        due = Notification.objects.filter(user=people.alice, key__contains="2026-03|due_soon").count()
        notify.remind(today=D(2026, 4, 2))  # and then missed
        assert (
            due == Notification.objects.filter(user=people.alice, key__contains="2026-03|missed").count() > 0
        )

    def test_the_command_runs_twice_and_sends_once(self, people, receiver, capsys):
        call_command("remind", "--date", TODAY.isoformat())
        out = capsys.readouterr().out
        assert "webhook: sent" in out
        call_command("remind", "--date", TODAY.isoformat())
        assert "created 0 notifications" in capsys.readouterr().out
        assert len(receiver.requests) == 1

    def test_a_dry_run_writes_nothing(self, people, receiver):
        result = notify.remind(today=TODAY, dry_run=True)
        assert result.created > 0 and not Notification.objects.exists() and not receiver.requests


class TestWebhook:
    def test_wecom_markdown(self, people, receiver):
        notify.remind(today=TODAY, email=False)
        (request,) = receiver.requests
        assert request["path"] == "/cgi-bin/webhook/send?key=test"
        assert request["content_type"].startswith("application/json")
        body = request["body"]
        assert body["msgtype"] == "markdown" and set(body["markdown"]) == {"content"}
        assert people.branch_a.name in body["markdown"]["content"]

    def test_dingtalk_markdown_with_signature(self, people, receiver, settings):
        settings.XIANFENG_WEBHOOK_KIND = "dingtalk"
        settings.XIANFENG_WEBHOOK_SECRET = "SEC123"
        notify.remind(today=TODAY, email=False)
        (request,) = receiver.requests
        assert set(request["body"]["markdown"]) == {"title", "text"}
        query = urllib.parse.parse_qs(urllib.parse.urlsplit(request["path"]).query)
        assert {"key", "timestamp", "sign"} <= set(query)

    def test_a_refusal_is_reported_not_raised(self, people, receiver):
        receiver.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
        result = notify.remind(today=TODAY, email=False)
        assert result.webhook.startswith("failed: errcode 93000")
        assert result.created > 0  # the in-app notifications are kept

    def test_an_unreachable_robot_is_reported_not_raised(self, people, receiver, settings):
        receiver.close()
        settings.XIANFENG_WEBHOOK_TIMEOUT = 1
        result = notify.remind(today=TODAY, email=False)
        assert result.webhook.startswith("failed")

    def test_no_url_no_webhook(self, people, settings):
        settings.XIANFENG_WEBHOOK_URL = ""
        assert notify.remind(today=TODAY, email=False).webhook == "off"

    def test_the_digest_is_short(self, world):
        extra = make_user("extra")
        assert extra  # unrelated users do not change the digest
        title, text = notify.digest_markdown([], TODAY)
        assert title in text and len(text.splitlines()) <= 3
