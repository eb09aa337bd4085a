"""Human names of this module's audit actions; merged into core.audit_actions.ACTION_LABELS."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "supervision.task_list_create": _("Key-task list issued"),
    "supervision.item_add": _("Key task added"),
    "supervision.items_import": _("Key tasks imported"),
    "supervision.progress_report": _("Key-task progress reported"),
    "supervision.item_report_done": _("Key task reported done"),
    "supervision.item_close": _("Key task closed"),
    "supervision.item_return": _("Key task returned for more work"),
    "supervision.milestone_done": _("Key-task milestone reached"),
    "supervision.order_issue": _("Work order issued"),
    "supervision.order_respond": _("Work order answered"),
    "supervision.batch_create": _("Rectification batch recorded"),
    "supervision.rectification_add": _("Problem to rectify recorded"),
    "supervision.rectification_update": _("Rectification measures changed"),
    "supervision.evidence_add": _("Rectification evidence attached"),
    "supervision.rectification_submit": _("Rectification submitted for verification"),
    "supervision.rectification_verify": _("Rectification verified and closed"),
    "supervision.rectification_reject": _("Rectification evidence not accepted"),
    "supervision.responsibility_list_create": _("Responsibility list recorded"),
    "supervision.pledge_issue": _("Pledge issued"),
    "supervision.pledge_acknowledge": _("Pledge acknowledged by the signer"),
    "supervision.theme_set": _("Monthly theme set"),
    "supervision.plan_save": _("Weekly summary or monthly plan saved"),
    "export.supervision_items": _("Key-task list exported"),
    "export.rectification_notice": _("Rectification notice exported"),
    "export.rectifications": _("Rectification register exported"),
}
