import re
from pathlib import Path

from django.conf import settings

from xianfeng.core.audit_actions import ACTION_LABELS, action_label

# Every literal action code written anywhere in the code base has a human label.
CODE = re.compile(r'action="([a-z_]+\.[a-z_]+)"')


def test_every_action_written_by_the_code_has_a_label():
    used = set()
    for path in Path(settings.BASE_DIR).rglob("*.py"):
        if "tests" not in path.parts:
            used.update(CODE.findall(path.read_text(encoding="utf-8")))
    assert used, "the scan found no audit actions"
    assert used <= set(ACTION_LABELS), sorted(used - set(ACTION_LABELS))


def test_an_unknown_code_is_shown_as_it_is():
    assert action_label("future.thing") == "future.thing"
