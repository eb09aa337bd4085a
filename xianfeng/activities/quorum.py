"""Quorum thresholds, each with its own comparator (RULES.md MISC-08; never one shared helper).

超过 means strictly more than; 以上 includes the number itself. All arithmetic is on integers, so
"half of 7" never rounds.
"""

from __future__ import annotations

from collections.abc import Callable

from xianfeng.activities.choices import Quorum


def branch_general_meeting(present: int, expected: int) -> bool:
    """支部条例 art. 11: a vote needs 半数以上 of the voting members present (≥ 1/2)."""
    return expected > 0 and present * 2 >= expected


def branch_committee(present: int, expected: int) -> bool:
    """支部条例 art. 12: 半数以上 of the committee members present (≥ 1/2)."""
    return expected > 0 and present * 2 >= expected


def admission_meeting(present: int, expected: int) -> bool:
    """细则 art. 20 (DEV-13): voting members present must be 超过半数 (strictly more than 1/2)."""
    return expected > 0 and present * 2 > expected


def election(present: int, expected: int) -> bool:
    """选举条例 (BR-07): more than 4/5 of the voters who should attend (strictly)."""
    return expected > 0 and present * 5 > expected * 4


def leadership_life_meeting(present: int, expected: int) -> bool:
    """民主生活会规定 (BR-18): attendance of at least 2/3."""
    return expected > 0 and present * 3 >= expected * 2


RULES: dict[str, Callable[[int, int], bool]] = {
    Quorum.BRANCH_GENERAL_MEETING: branch_general_meeting,
    Quorum.BRANCH_COMMITTEE: branch_committee,
    Quorum.ADMISSION_MEETING: admission_meeting,
    Quorum.ELECTION: election,
    Quorum.LEADERSHIP_LIFE_MEETING: leadership_life_meeting,
}


def quorum_met(rule: str, present: int, expected: int) -> bool | None:
    """None when the kind has no quorum rule."""
    check = RULES.get(rule)
    return None if check is None else check(present, expected)
