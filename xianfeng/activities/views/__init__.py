"""Activity pages: the month calendar, the list, the plan/edit/held/cancel forms, the activity page with
attendance (htmx inline), agenda, decisions, attachments, QR code and meeting record; a member's
"My meetings", QR check-in and leave requests.

Access goes through activities.selectors (core.scoping underneath): 404 when the activity is not
visible, 403 when it is visible but not writable. Views never write; services do, and audit.
"""

from __future__ import annotations

from xianfeng.activities.views.attendance_list import attendance, attendance_remove
from xianfeng.activities.views.browse import activity_list, calendar_view
from xianfeng.activities.views.editing import cancel, edit, plan, record_held
from xianfeng.activities.views.kinds import kind_create, kind_edit, kinds
from xianfeng.activities.views.members import checkin, leave_request, my_meetings
from xianfeng.activities.views.page import detail
from xianfeng.activities.views.records import (
    agenda_add,
    agenda_edit,
    agenda_remove,
    attachment_add,
    attachment_download,
    attachment_remove,
    decision_add,
    decision_remove,
    meeting_record,
)

__all__ = [
    "activity_list",
    "agenda_add",
    "agenda_edit",
    "agenda_remove",
    "attachment_add",
    "attachment_download",
    "attachment_remove",
    "attendance",
    "attendance_remove",
    "calendar_view",
    "cancel",
    "checkin",
    "decision_add",
    "decision_remove",
    "detail",
    "edit",
    "kind_create",
    "kind_edit",
    "kinds",
    "leave_request",
    "meeting_record",
    "my_meetings",
    "plan",
    "record_held",
]
