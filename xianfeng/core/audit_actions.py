"""Human names of audit actions. Codes stay stable in the database; names are translated."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "auth.login": _("Logged in"),
    "auth.logout": _("Logged out"),
    "auth.login_failed": _("Failed login"),
    "api.token_issue": _("API token issued"),
    "api.token_revoke": _("API token revoked"),
    "org.create": _("Organization created"),
    "org.update": _("Organization changed"),
    "org.move": _("Organization moved"),
    "org.dissolve": _("Organization dissolved"),
    "person.create": _("Person recorded"),
    "person.update": _("Personal data changed"),
    "person.unmask": _("Personal data unmasked"),
    "person.link_user": _("Account linked to a person"),
    "membership.create": _("Membership recorded"),
    "membership.update": _("Membership changed"),
    "membership.transfer": _("Membership transferred"),
    "membership.leave": _("Left the organization"),
    "members.import": _("Members imported"),
    "export.members": _("Members exported"),
    "export.unmask": _("Export with unmasked data"),
    "post.assign": _("Post assigned"),
    "post.end": _("Post ended"),
    "role.grant": _("Role granted"),
    "role.revoke": _("Role revoked"),
    "user.create": _("Account created"),
    "user.password_reset": _("Password reset"),
    "user.activate": _("Account activated"),
    "user.deactivate": _("Account deactivated"),
    "user.unlock": _("Account unlocked"),
    "activity.plan": _("Activity planned"),
    "activity.update": _("Activity changed"),
    "activity.record_held": _("Activity recorded as held"),
    "activity.cancel": _("Activity cancelled"),
    "kind.create": _("Activity kind added"),
    "kind.update": _("Activity kind changed"),
    "attendance.set": _("Attendance recorded"),
    "attendance.remove": _("Taken off an attendance list"),
    "attendance.checkin": _("Checked in by QR code"),
    "attendance.leave_request": _("Leave requested"),
    "agenda.add": _("Agenda item added"),
    "agenda.update": _("Agenda item changed"),
    "agenda.remove": _("Agenda item removed"),
    "decision.add": _("Decision recorded"),
    "decision.remove": _("Decision removed"),
    "attachment.add": _("File attached"),
    "attachment.remove": _("Attachment removed"),
    "export.meeting_record": _("Meeting record exported"),
    "obligation.create": _("Obligation added"),
    "obligation.update": _("Obligation changed"),
    "obligation.deactivate": _("Obligation deactivated"),
    "profile.create": _("Obligation profile created"),
    "profile.assign": _("Obligation profile assigned"),
    "profile.unassign": _("Obligation profile assignment removed"),
    "profile.import": _("Obligation profile imported"),
    "contact_point.create": _("Contact point added"),
    "contact_point.end": _("Contact point ended"),
}


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
