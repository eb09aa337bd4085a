"""Human names of audit actions. Codes stay stable in the database; names are translated."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from xianfeng.reports.audit_actions import ACTION_LABELS as _reports_labels
from xianfeng.scoring.audit_actions import ACTION_LABELS as _scoring_labels
from xianfeng.supervision.audit_actions import ACTION_LABELS as _supervision_labels

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
    "membership.rejoin": _("Returned with a letter of introduction"),
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
    "user.password_change": _("Own password changed"),
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
    "dues.base_set": _("Dues base set"),
    "dues.base_adjust": _("Dues base adjusted mid-year"),
    "dues.hardship_set": _("Dues reduction or exemption recorded"),
    "dues.payment_record": _("Dues payment recorded"),
    "dues.arrears_reason": _("Reason for unpaid dues recorded"),
    "development.step_record": _("Development step recorded"),
    "development.step_void": _("Development step voided"),
    "development.plan_set": _("Development plan set"),
    "development.thought_report_record": _("Thought report recorded"),
    "development.thought_report_void": _("Thought report voided"),
    "development.document_add": _("Development document attached"),
    "development.document_remove": _("Development document removed"),
    "development.import": _("Development history imported"),
    "export.dues_collection": _("Dues collection sheet exported"),
    "export.dues_reconciliation": _("Dues reconciliation exported"),
    "export.dues_remittance": _("Dues remittance statement exported"),
    "export.dues_publication": _("Dues publication exported"),
    "transfer_letter.issue": _("Transfer letter issued"),
    "transfer_letter.receive": _("Transfer letter received"),
    "transfer_letter.return": _("Transfer letter returned"),
    "transfer_letter.receive_in": _("Incoming transfer letter recorded"),
    "mobile.start": _("Time away recorded"),
    "mobile.contact": _("Contact with a mobile member logged"),
    "mobile.return": _("Return from time away recorded"),
    "mobile.update": _("Time away updated"),
    "suspension.start": _("Membership suspended"),
    "suspension.restore": _("Membership restored"),
    "suspension.remove": _("Removed after suspension"),
    "member_info.add": _("Record entry added"),
    "member_info.update": _("Record entry corrected"),
    "member_info.remove": _("Record entry removed"),
    "export.medal_list": _("Medal list exported"),
    "export.development_document": _("Development document downloaded"),
    "dues.remittance_ratio_set": _("Dues remittance ratio set"),
    "dues.remittance_record": _("Dues remittance recorded"),
    "dues.payroll_import": _("Dues bases imported from payroll"),
    "payroll_map.save": _("Payroll column mapping saved"),
}


# Modules that landed later keep their labels next to their code.
ACTION_LABELS.update(_scoring_labels)
ACTION_LABELS.update(_supervision_labels)
ACTION_LABELS.update(_reports_labels)


def action_label(code: str) -> str:
    return str(ACTION_LABELS.get(code, code))
