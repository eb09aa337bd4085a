from xianfeng.core.audit_actions import ACTION_LABELS
from xianfeng.dues import services


def test_every_dues_audit_action_has_a_label():
    # The codes are constants in services (the core scan only finds literal action="..." strings).
    codes = {value for name, value in vars(services).items() if name.startswith("A_")}
    assert codes and codes <= set(ACTION_LABELS)
