"""Human names of this module's audit actions; merged into core.audit_actions.ACTION_LABELS."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "scoring.scheme_create": _("Evaluation scheme created"),
    "scoring.scheme_update": _("Evaluation scheme changed"),
    "scoring.scheme_activate": _("Evaluation scheme put in use"),
    "scoring.entry_create": _("Evaluation entry recorded"),
    "scoring.entry_approve": _("Evaluation entry approved"),
    "scoring.entry_reject": _("Evaluation entry rejected"),
    "scoring.cell_save": _("Evaluation score saved"),
    "scoring.scores_import": _("Evaluation scores imported"),
    "scoring.recompute": _("Automatic evaluation entries recomputed"),
    "scoring.period_compute": _("Evaluation period computed"),
    "scoring.period_lock": _("Evaluation period locked"),
    "scoring.period_reopen": _("Evaluation period reopened"),
    "scoring.period_publish": _("Evaluation results published"),
    "scoring.export": _("Evaluation results exported"),
}
