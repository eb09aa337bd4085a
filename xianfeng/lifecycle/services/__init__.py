"""The only writers of the lifecycle records. Each service is keyword-only and runs in one
transaction: it checks the actor's right on the member's org (core.scoping.require), validates (each
error names its field and its rule, RULES.md MEM-02…05), saves after full_clean(), re-checks the scope
and writes the audit row. Membership itself changes only through people.services."""

from __future__ import annotations

from xianfeng.lifecycle.services.info import info_add, info_remove, info_update
from xianfeng.lifecycle.services.letters import (
    LetterIn,
    letter_in_existing,
    letter_in_new_member,
    letter_issue,
    letter_receive,
    letter_return,
)
from xianfeng.lifecycle.services.mobile import mobile_contact_add, mobile_return, mobile_start, mobile_update
from xianfeng.lifecycle.services.suspensions import suspension_remove, suspension_restore, suspension_start

__all__ = [
    "LetterIn",
    "info_add",
    "info_remove",
    "info_update",
    "letter_in_existing",
    "letter_in_new_member",
    "letter_issue",
    "letter_receive",
    "letter_return",
    "mobile_contact_add",
    "mobile_return",
    "mobile_start",
    "mobile_update",
    "suspension_remove",
    "suspension_restore",
    "suspension_start",
]
