"""Human names of this module's audit actions; merged into core.audit_actions.ACTION_LABELS."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

ACTION_LABELS: dict[str, str | Promise] = {
    "reports.job_create": _("Summary build requested"),
    "reports.summary_build": _("Summary built"),
    "reports.summary_edit": _("Summary text edited"),
    "reports.export": _("Summary exported"),
    "reports.profile_save": _("Layout profile saved"),
    "reports.profile_reset": _("Layout profile reset to the default"),
    "reports.template_save": _("Summary template saved"),
    "reports.template_reset": _("Summary template reset to the default"),
    "reports.terms_save": _("Drafting term list saved"),
}
