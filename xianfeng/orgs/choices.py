from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgType(models.TextChoices):
    COMMITTEE = "committee", _("Party committee")
    GENERAL_BRANCH = "general_branch", _("General branch")
    BRANCH = "branch", _("Branch")
    JOINT_BRANCH = "joint_branch", _("Joint branch")
    TEMPORARY_BRANCH = "temporary_branch", _("Temporary branch")
    PARTY_GROUP = "party_group", _("Party group")


class OrgStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    DISSOLVED = "dissolved", _("Dissolved")


# Which parent types each type may sit under; None means "may be a root".
ALLOWED_PARENTS: dict[str, frozenset[str | None]] = {
    OrgType.COMMITTEE: frozenset({None, OrgType.COMMITTEE}),
    OrgType.GENERAL_BRANCH: frozenset({OrgType.COMMITTEE}),
    OrgType.BRANCH: frozenset({OrgType.COMMITTEE, OrgType.GENERAL_BRANCH}),
    OrgType.JOINT_BRANCH: frozenset({OrgType.COMMITTEE, OrgType.GENERAL_BRANCH}),
    OrgType.TEMPORARY_BRANCH: frozenset({OrgType.COMMITTEE, OrgType.GENERAL_BRANCH}),
    OrgType.PARTY_GROUP: frozenset(
        {OrgType.BRANCH, OrgType.JOINT_BRANCH, OrgType.TEMPORARY_BRANCH, OrgType.GENERAL_BRANCH}
    ),
}

# BR-04 (党章 art. 31; 任期意见 item 1): basic-level committees 5 years, general branches and branches
# 3 years. Temporary branches and party groups are not elected for a term.
DEFAULT_TERM_YEARS: dict[str, int | None] = {
    OrgType.COMMITTEE: 5,
    OrgType.GENERAL_BRANCH: 3,
    OrgType.BRANCH: 3,
    OrgType.JOINT_BRANCH: 3,
    OrgType.TEMPORARY_BRANCH: None,
    OrgType.PARTY_GROUP: None,
}
ALLOWED_TERM_YEARS = (3, 5)  # BR-04: the 党章 frame is 3 to 5 years; the opinion fixes 3 or 5.

# Types that hold members directly (a committee's own office staff are usually in a branch).
MEMBER_HOLDING_TYPES = frozenset(
    {
        OrgType.GENERAL_BRANCH,
        OrgType.BRANCH,
        OrgType.JOINT_BRANCH,
        OrgType.TEMPORARY_BRANCH,
        OrgType.COMMITTEE,
    }
)
# BR-06 (支部条例 art. 22): the higher organization reminds 6 months before a term ends.
TERM_REMINDER_MONTHS = 6
