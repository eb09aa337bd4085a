"""`xianfeng import_profile compliance/data/seed004.json --org <org code>`: import an enterprise
obligation profile (all or nothing) and assign it to an org and its subtree."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xianfeng.core.context import request_context
from xianfeng.orgs.models import Org


def resolve(path: str) -> Path:
    """A path as given, else relative to the xianfeng package (compliance/data/seed004.json)."""
    candidate = Path(path)
    if candidate.exists():
        return candidate
    inside = Path(settings.BASE_DIR) / path
    if inside.exists():
        return inside
    raise CommandError(f"No such file: {path}")


class Command(BaseCommand):
    help = "Import an enterprise obligation profile from a JSON file and assign it to an organization."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="Profile file, e.g. compliance/data/seed004.json")
        parser.add_argument("--org", help="Code of the organization whose subtree the profile applies to.")

    def handle(self, *args: Any, **options: Any) -> None:
        from xianfeng.compliance.services import profile_import

        path = resolve(options["file"])
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from exc
        org = None
        if options.get("org"):
            org = Org.objects.filter(code=options["org"]).first()
            if org is None:
                raise CommandError(f"No organization with code {options['org']!r}")
        try:
            with request_context(source="command"):
                profile = profile_import(actor=None, data=data, org=org)
        except ValidationError as exc:
            lines = [f"  {name}: {'; '.join(messages)}" for name, messages in exc.message_dict.items()]
            raise CommandError("The profile was not imported:\n" + "\n".join(lines)) from exc
        where = f", assigned to {org.name}" if org else ""
        self.stdout.write(
            self.style.SUCCESS(f"Imported {profile.name} ({profile.obligations.count()} obligations){where}.")
        )
