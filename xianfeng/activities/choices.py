from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class KindCategory(models.TextChoices):
    ORGANIZATIONAL_LIFE = "organizational_life", _("Organizational life")
    LEADERSHIP = "leadership", _("Leadership and decision-making")
    STUDY = "study", _("Study and training")
    SUPERVISION = "supervision", _("Guidance and supervision")
    SERVICE = "service", _("Service and volunteering")


class Quorum(models.TextChoices):
    """Which attendance threshold a meeting must reach to be valid (RULES.md MISC-08).

    Each has its own comparator in activities.quorum: 超过 is strict, 以上 includes the number.
    """

    NONE = "none", _("No quorum")
    BRANCH_GENERAL_MEETING = (
        "branch_general_meeting",
        _("Half or more of the voting members (支部条例 art. 11)"),
    )
    BRANCH_COMMITTEE = "branch_committee", _("Half or more of the committee members (支部条例 art. 12)")
    ADMISSION_MEETING = "admission_meeting", _("More than half of the voting members (细则 art. 20)")
    ELECTION = "election", _("More than four fifths of the voters (选举条例)")
    LEADERSHIP_LIFE_MEETING = "leadership_life_meeting", _("Two thirds or more (民主生活会规定)")


class Audience(models.TextChoices):
    """Who is expected to attend, derived from membership and posts on the activity's date."""

    PARTY_MEMBERS = "party_members", _("Party members of the organization")
    VOTING_MEMBERS = "voting_members", _("Full members of the organization")
    COMMITTEE = "committee", _("Committee members of the organization")
    GROUP_MEMBERS = "group_members", _("Members of the party group")
    EVERYONE = "everyone", _("Members, applicants, activists and candidates")
    NAMED = "named", _("Named participants only")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceStatus(models.TextChoices):
    EXPECTED = "expected", _("Expected")
    PRESENT = "present", _("Present")
    LEAVE = "leave", _("On leave")
    ABSENT = "absent", _("Absent")
    GUEST = "guest", _("Attending as guest")


class AttendanceSource(models.TextChoices):
    MANUAL = "manual", _("Entered")
    QR = "qr", _("QR check-in")
    LEAVE_REQUEST = "leave_request", _("Leave request")


class TopicTag(models.TextChoices):
    IDEOLOGY = "ideology", _("Political theory")
    INTEGRITY = "integrity", _("Integrity and discipline")
    CULTURE = "culture", _("Culture")
    SAFETY = "safety", _("Safety in production")
    UNITED_FRONT = "united_front", _("United front")
    MASS_ORGANIZATIONS = "mass_organizations", _("Trade union, youth league and women")
    BUSINESS = "business", _("Business and reform")
    ORGANIZATION = "organization", _("Organization building")
    DEVELOPMENT = "development", _("Member development")
    SERVICE = "service", _("Serving the public")


class MajorMatter(models.TextChoices):
    """三重一大: the four kinds of matters a committee must decide collectively."""

    DECISION = "decision", _("Major decision")
    APPOINTMENT = "appointment", _("Key appointment")
    PROJECT = "project", _("Major project")
    FUND = "fund", _("Large fund use")


class Metric(models.TextChoices):
    """Figures an activity may record; reports add them up (seed 000: 服务160余次, 解决问题89项)."""

    PEOPLE_SERVED = "people_served", _("People served")
    PROBLEMS_SOLVED = "problems_solved", _("Problems solved")
    VOLUNTEERS = "volunteers", _("Volunteers")
    SERVICE_HOURS = "service_hours", _("Service hours")
    PARTICIPANTS_OUTSIDE = "participants_outside", _("Participants from outside")
