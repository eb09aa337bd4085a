"""`xianfeng demo [--if-empty]`: load the demo committee into an empty database."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xianfeng.core.context import request_context
from xianfeng.orgs.models import Org
from xianfeng.testing import DEMO_PASSWORD


class Command(BaseCommand):
    help = (
        "Load the demo committee (国网临江市供电公司党委: 2 general branches, 13 branches, about 300 people) "
        "and five demo accounts. Refuses a database that already has organizations."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing (and succeed) when the database already has organizations.",
        )

    def handle(self, *args: Any, if_empty: bool = False, **options: Any) -> None:
        from xianfeng import demo

        reason = ""
        if Org.objects.exists():
            reason = "the database already has organizations"
        else:
            taken = sorted(
                get_user_model()
                .objects.filter(username__in=demo.DEMO_USERNAMES)
                .values_list("username", flat=True)
            )
            if taken:
                reason = f"the demo user names are already taken: {', '.join(taken)}"
        if reason:
            if if_empty:
                self.stdout.write(f"Demo data not loaded: {reason}.")
                return
            raise CommandError(
                f"Demo data not loaded: {reason}. The demo is loaded only into an empty database; "
                "start from a fresh one (for SQLite: delete var/xianfeng.sqlite3, then `xianfeng migrate`)."
            )
        started = time.perf_counter()
        with request_context(source="command"):
            result = demo.build_demo()
        people = len(result.memberships)
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {result.root.name}: {len(result.orgs) + sum(map(len, result.groups.values()))} "
                f"organizations, {people} people, in {time.perf_counter() - started:.1f} s."
            )
        )
        self.stdout.write(f"Demo accounts (password {DEMO_PASSWORD}):")
        width = max(len(username) for username, *_ in result.accounts)
        for username, role, org, person in result.accounts:
            linked = f"  → {person}" if person else ""
            self.stdout.write(f"  {username:<{width}}  {role} · {org}{linked}")
