from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")


class Education(models.TextChoices):
    DOCTORATE = "doctorate", _("Doctorate")
    MASTER = "master", _("Master's degree")
    BACHELOR = "bachelor", _("Bachelor's degree")
    COLLEGE = "college", _("College (大专)")
    SECONDARY_VOCATIONAL = "secondary_vocational", _("Secondary vocational (中专)")
    HIGH_SCHOOL = "high_school", _("High school")
    JUNIOR_OR_BELOW = "junior_or_below", _("Junior high school or below")


class PoliticalStatus(models.TextChoices):
    """The stages a person passes through (细则 2014, RULES.md §2), in order."""

    APPLICANT = "applicant", _("Applicant")
    ACTIVIST = "activist", _("Activist")
    CANDIDATE = "candidate", _("Candidate")
    PROBATIONARY = "probationary", _("Probationary member")
    FULL = "full", _("Full member")


STATUS_ORDER = [s.value for s in PoliticalStatus]
PARTY_MEMBER_STATUSES = frozenset({PoliticalStatus.PROBATIONARY, PoliticalStatus.FULL})

# The key date each status requires, in stage order.
STATUS_DATE_FIELD = {
    PoliticalStatus.APPLICANT: "application_date",
    PoliticalStatus.ACTIVIST: "activist_date",
    PoliticalStatus.CANDIDATE: "candidate_date",
    PoliticalStatus.PROBATIONARY: "admission_date",
    PoliticalStatus.FULL: "conversion_date",
}
KEY_DATE_FIELDS = tuple(STATUS_DATE_FIELD.values())


class LeaveReason(models.TextChoices):
    TRANSFER_OUT = "transfer_out", _("Membership transferred out of the system")
    DEATH = "death", _("Death")
    EXPULSION = "expulsion", _("Expulsion")
    REMOVAL = "removal", _("Removal (除名)")
    SELF_DEPARTURE = "self_departure", _("Left of own accord (自行脱党)")
    WITHDRAWAL = "withdrawal", _("Withdrawal (退党)")
    PROBATION_CANCELLED = "probation_cancelled", _("Probationary status cancelled")
    DEVELOPMENT_ENDED = "development_ended", _("Development ended (not admitted)")
    OTHER = "other", _("Other")


class MembershipEventKind(models.TextChoices):
    JOINED = "joined", _("Recorded")
    STATUS = "status", _("Status change")
    TRANSFER = "transfer", _("Transfer")
    LEFT = "left", _("Left")
    GROUP = "group", _("Party group change")
    CORRECTION = "correction", _("Correction")


class Post(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    ORGANIZATION_MEMBER = "organization_member", _("Organization committee member")
    PUBLICITY_MEMBER = "publicity_member", _("Publicity committee member")
    DISCIPLINE_MEMBER = "discipline_member", _("Discipline committee member")
    YOUTH_MEMBER = "youth_member", _("Youth committee member")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    GROUP_LEADER = "group_leader", _("Party group leader")


COMMITTEE_POSTS = frozenset(set(Post) - {Post.GROUP_LEADER})
SINGLE_HOLDER_POSTS = frozenset({Post.SECRETARY, Post.GROUP_LEADER})
