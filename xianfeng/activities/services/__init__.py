"""The only writers of activities, attendance, agenda items, decisions and attachments.

Each service is keyword-only, runs in one transaction, checks the actor's right on the activity's org
(core.scoping.require), validates with the rules in activities.rules (every error names its field and
its rule), saves after full_clean(), re-checks the scope, and writes the audit row.
Check-in and leave requests by members themselves are in activities.checkin.
"""

from __future__ import annotations

from xianfeng.activities.services.agenda import agenda_item_add, agenda_item_remove, agenda_item_update
from xianfeng.activities.services.attachments import attachment_add, attachment_remove
from xianfeng.activities.services.attendance import attendance_mark_present, attendance_remove, attendance_set
from xianfeng.activities.services.decisions import decision_add, decision_remove
from xianfeng.activities.services.held import activity_cancel, activity_record_held
from xianfeng.activities.services.kinds import kind_create, kind_update
from xianfeng.activities.services.planning import PERSON_FIELDS, activity_plan, activity_update

__all__ = [
    "PERSON_FIELDS",
    "activity_cancel",
    "activity_plan",
    "activity_record_held",
    "activity_update",
    "agenda_item_add",
    "agenda_item_remove",
    "agenda_item_update",
    "attachment_add",
    "attachment_remove",
    "attendance_mark_present",
    "attendance_remove",
    "attendance_set",
    "decision_add",
    "decision_remove",
    "kind_create",
    "kind_update",
]
