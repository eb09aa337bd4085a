"""`xianfeng import_profile` and `xianfeng remind` (the reminders themselves: test_notify.py)."""

import json

import pytest
from django.core.management import CommandError, call_command

from xianfeng.compliance.models import ObligationProfile, ProfileAssignment
from xianfeng.compliance.tests.builders import seed004
from xianfeng.core.models import AuditEvent


def test_import_profile_loads_seed004_and_assigns_it(world, capsys):
    call_command("import_profile", "compliance/data/seed004.json", "--org", world.committee.code)
    profile = ObligationProfile.objects.get(code="seed004")
    assert profile.obligations.count() == 18 and not profile.builtin
    assert ProfileAssignment.objects.filter(profile=profile, org=world.committee).exists()
    assert "18 obligations" in capsys.readouterr().out
    event = AuditEvent.objects.get(action="profile.import")
    assert event.source == "command" and event.actor_name == "system"


def test_import_profile_refuses_a_bad_file_and_writes_nothing(world, tmp_path):
    bad = seed004()
    bad["obligations"][0]["min_count"] = 0
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError, match=r"obligations\[0\]\.min_count"):
        call_command("import_profile", str(path), "--org", world.committee.code)
    assert not ObligationProfile.objects.filter(code="seed004").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["nowhere.json"], "No such file"),
        (["compliance/data/seed004.json", "--org", "NO-SUCH-ORG"], "No organization"),
    ],
)
def test_import_profile_errors(world, args, message):
    with pytest.raises(CommandError, match=message):
        call_command("import_profile", *args)


def test_remind_rejects_a_bad_date(world):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("remind", "--date", "2026-02-30")
