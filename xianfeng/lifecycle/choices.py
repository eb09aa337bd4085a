"""Codes of the membership lifecycle: transfer letters, time away, suspension and the info sets."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LetterDirection(models.TextChoices):
    OUT = "out", _("Out of the system")
    IN = "in", _("Into the system")


class LetterStatus(models.TextChoices):
    """What was recorded. "Overdue" is not stored: it is an issued letter past its validity."""

    ISSUED = "issued", _("Issued, awaiting receipt")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned or withdrawn")


class LetterState(models.TextChoices):
    """What a letter is on a given day (stored status + validity)."""

    ISSUED = "issued", _("Awaiting receipt")
    OVERDUE = "overdue", _("Overdue: past its validity, not received")
    RECEIVED = "received", _("Received")
    RETURNED = "returned", _("Returned or withdrawn")


class AwayReason(models.TextChoices):
    WORK = "work", _("Work or business")
    STUDY = "study", _("Study")
    FAMILY = "family", _("Living with family")
    STUDY_ABROAD = "study_abroad", _("Study abroad")
    WORK_ABROAD = "work_abroad", _("Work abroad")
    LIVING_ABROAD = "living_abroad", _("Living abroad")
    OTHER = "other", _("Other")


ABROAD_REASONS = frozenset({AwayReason.STUDY_ABROAD, AwayReason.WORK_ABROAD, AwayReason.LIVING_ABROAD})


class ContactMethod(models.TextChoices):
    PHONE = "phone", _("Phone call")
    VIDEO = "video", _("Video call")
    MESSAGE = "message", _("Message or e-mail")
    LETTER = "letter", _("Letter")
    VISIT = "visit", _("In person")
    OTHER = "other", _("Other")


class SuspensionReason(models.TextChoices):
    """The two grounds of 教育管理条例 art. 24 (RULES.md MEM-02)."""

    ABROAD = "abroad", _("Abroad for more than 5 years (settled, or studying without returning)")
    LOST_CONTACT = "lost_contact", _("Out of contact for 6 months or more and not found")


class SuspensionState(models.TextChoices):
    SUSPENDED = "suspended", _("Suspended")
    DUE_REMOVAL = "due_removal", _("Suspended 2 years: to be removed as having left")
    RESTORED = "restored", _("Restored")
    REMOVED = "removed", _("Removed (left of own accord)")


class RewardCategory(models.TextChoices):
    REWARD = "reward", _("Reward or commendation")
    PUNISHMENT = "punishment", _("Punishment or sanction")


class HardshipCategory(models.TextChoices):
    ILLNESS = "illness", _("Serious illness")
    DISABILITY = "disability", _("Disability")
    ELDERLY = "elderly", _("Old age, living alone")
    FINANCIAL = "financial", _("Financial hardship")
    DISASTER = "disaster", _("Disaster or accident")
    FAMILY = "family", _("Family difficulty")
    OTHER = "other", _("Other")


class FamilyRelation(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    CHILD = "child", _("Child")
    FATHER = "father", _("Father")
    MOTHER = "mother", _("Mother")
    SIBLING = "sibling", _("Brother or sister")
    OTHER = "other", _("Other")


class FamilyPoliticalStatus(models.TextChoices):
    PARTY_MEMBER = "party_member", _("CPC member")
    PROBATIONARY = "probationary", _("CPC probationary member")
    LEAGUE_MEMBER = "league_member", _("Communist Youth League member")
    DEMOCRATIC_PARTY = "democratic_party", _("Member of a democratic party")
    MASSES = "masses", _("No party affiliation (群众)")
    OTHER = "other", _("Other")
