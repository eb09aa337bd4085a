"""The fixed vocabularies of evaluation schemes (the schemes themselves are data)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubjectType(models.TextChoices):
    MEMBER = "member", _("Member")
    BRANCH = "branch", _("Branch")
    TEAM = "team", _("Team")
    CANDIDATE = "candidate", pgettext_lazy("scoring", "Candidate")


# Subjects that are people (a Membership) rather than organizations.
PERSON_SUBJECTS = frozenset({SubjectType.MEMBER, SubjectType.CANDIDATE})


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    YEAR = "year", _("Year")


class DimensionKind(models.TextChoices):
    BONUS = "bonus", _("Bonus")
    DEDUCTION = "deduction", _("Deduction")
    VETO = "veto", _("One-vote veto")
    SCORED = "scored", _("Scored")


class Aggregation(models.TextChoices):
    SUM_CAPPED = "sum_capped", _("Sum of capped dimensions")
    WEIGHTED = "weighted", _("Weighted sum")


class Visibility(models.TextChoices):
    FULL = "full", _("Members see the whole ranking")
    OWN = "own", _("Members see only their own position")
    NONE = "none", _("Members see no ranking")


class SchemeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("In use")
    ARCHIVED = "archived", _("Archived")


class PeriodState(models.TextChoices):
    OPEN = "open", pgettext_lazy("scoring", "Open")
    COMPUTED = "computed", _("Computed")
    LOCKED = "locked", _("Locked")
    PUBLISHED = "published", _("Published")


CLOSED_STATES = frozenset({PeriodState.LOCKED, PeriodState.PUBLISHED})


class EntrySource(models.TextChoices):
    MANUAL = "manual", _("Entered by hand")
    GRID = "grid", _("Evaluator's grid")
    ATTENDANCE = "attendance", _("Attendance at organizational life")
    ABSENCE = "absence", _("Absence from organizational life")
    OBLIGATION = "obligation", _("Missed obligation")
    DUES_LATE = "dues_late", _("Dues paid late")
    WORK_ORDER = "work_order", _("Assessment work order")
    IMPORT = "import", _("Imported score")


# Sources computed from records: deleted and rebuilt on recomputation, never edited by hand.
AUTO_SOURCES = frozenset(
    {EntrySource.ATTENDANCE, EntrySource.ABSENCE, EntrySource.OBLIGATION, EntrySource.DUES_LATE}
)


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")


class OutcomeKind(models.TextChoices):
    TOP = "top", _("Top N")
    BOTTOM = "bottom", _("Bottom N")
    MOST_IMPROVED = "most_improved", _("Most improved")
