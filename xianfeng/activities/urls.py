from django.urls import path

from xianfeng.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="list"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("new/", views.plan, name="plan"),
    path("my/", views.my_meetings, name="my"),
    path("kinds/", views.kinds, name="kinds"),
    path("kinds/new/", views.kind_create, name="kind_create"),
    path("kinds/<slug:code>/edit/", views.kind_edit, name="kind_edit"),
    path("checkin/<uuid:code>/<str:token>/", views.checkin, name="checkin"),
    path("<uuid:code>/", views.detail, name="detail"),
    path("<uuid:code>/edit/", views.edit, name="edit"),
    path("<uuid:code>/held/", views.record_held, name="held"),
    path("<uuid:code>/cancel/", views.cancel, name="cancel"),
    path("<uuid:code>/attendance/", views.attendance, name="attendance"),
    path("<uuid:code>/attendance/remove/", views.attendance_remove, name="attendance_remove"),
    path("<uuid:code>/agenda/new/", views.agenda_add, name="agenda_add"),
    path("<uuid:code>/agenda/<int:pk>/edit/", views.agenda_edit, name="agenda_edit"),
    path("<uuid:code>/agenda/<int:pk>/remove/", views.agenda_remove, name="agenda_remove"),
    path("<uuid:code>/decisions/new/", views.decision_add, name="decision_add"),
    path("<uuid:code>/decisions/<int:pk>/remove/", views.decision_remove, name="decision_remove"),
    path("<uuid:code>/attachments/new/", views.attachment_add, name="attachment_add"),
    path("<uuid:code>/attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("<uuid:code>/attachments/<int:pk>/remove/", views.attachment_remove, name="attachment_remove"),
    path("<uuid:code>/record.docx", views.meeting_record, name="record"),
    path("<uuid:code>/leave/", views.leave_request, name="leave_request"),
]
