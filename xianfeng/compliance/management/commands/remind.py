"""`xianfeng remind [--date YYYY-MM-DD] [--no-email] [--no-webhook] [--dry-run]`: send reminders.

Idempotent: run it daily (cron or a systemd timer); a finding notifies each responsible user once per
status (compliance.notify)."""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xianfeng.core.context import request_context


class Command(BaseCommand):
    help = (
        "Notify the people responsible for due-soon, overdue and missed findings: in the app, by e-mail "
        "and through the configured WeCom/DingTalk group robot. Running it again sends nothing twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="Evaluate as of this day (YYYY-MM-DD); default today.")
        parser.add_argument("--no-email", action="store_true", help="Do not send e-mail.")
        parser.add_argument("--no-webhook", action="store_true", help="Do not post to the group robot.")
        parser.add_argument("--dry-run", action="store_true", help="Count what would be sent; write nothing.")

    def handle(self, *args: Any, **options: Any) -> None:
        from xianfeng.compliance.notify import remind

        today = None
        if options.get("date"):
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError(f"--date must be YYYY-MM-DD, got {options['date']!r}") from exc
        started = time.perf_counter()
        with request_context(source="command"):
            result = remind(
                today=today,
                email=not options["no_email"],
                webhook=not options["no_webhook"],
                dry_run=options["dry_run"],
            )
        verb = "would create" if options["dry_run"] else "created"
        self.stdout.write(
            f"{result.findings} open findings; {verb} {result.created} notifications; "
            f"{result.emailed} e-mails; webhook: {result.webhook}; {time.perf_counter() - started:.1f} s."
        )
