"""Run the queued report jobs (for XIANFENG_REPORTS_JOB_MODE=command, or jobs left by a restart)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xianfeng.reports.jobs import run_queued


class Command(BaseCommand):
    help = "Run queued report jobs (annual summaries); --loop keeps polling."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep polling for new jobs")
        parser.add_argument("--interval", type=float, default=2.0, help="Seconds between polls (--loop)")

    def handle(self, *args: Any, **options: Any) -> None:
        while True:
            count = run_queued()
            if count:
                self.stdout.write(f"{count} job(s) run")
            if not options["loop"]:
                return
            time.sleep(options["interval"])
