"""The hook through which a disciplinary sanction in force blocks excellent grades.

The integrity module (sanctions with effect periods, DISC-02..05) does not exist yet. When it lands it
registers one function in its AppConfig.ready():

    from xianfeng.scoring.hooks import register_sanction_check
    register_sanction_check(integrity.selectors.sanctioned_memberships)

The function receives membership ids and a day and returns the ids of those with a sanction in force
on that day. Closing a period calls every registered check once for all its subjects (one query per
check, never one per member); a subject returned by any check gets no grade band marked `excellent`
and its result says so (`excellent_blocked`). Schemes of organizations are not affected.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

SanctionCheck = Callable[[list[int], dt.date], Iterable[int]]

_checks: list[SanctionCheck] = []


def register_sanction_check(check: SanctionCheck) -> None:
    if check not in _checks:
        _checks.append(check)


def unregister_sanction_check(check: SanctionCheck) -> None:
    if check in _checks:
        _checks.remove(check)


def sanctioned(membership_ids: list[int], on: dt.date) -> set[int]:
    """Ids among `membership_ids` with a sanction in force on `on` (empty until a check is registered)."""
    found: set[int] = set()
    for check in list(_checks):
        found.update(check(membership_ids, on))
    return found & set(membership_ids)
