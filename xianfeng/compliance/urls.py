from django.urls import path

from xianfeng.compliance import views

app_name = "compliance"
urlpatterns = [
    path("", views.index, name="index"),
    path("health/<int:org_id>/", views.health, name="health"),
    path("matrix/", views.matrix, name="matrix"),
    path("classification/", views.classification, name="classification"),
    path("obligations/", views.obligations, name="obligations"),
    path("obligations/profiles/new/", views.profile_create, name="profile_create"),
    path("obligations/profiles/import/", views.profile_import, name="profile_import"),
    path("obligations/profiles/<slug:code>/assign/", views.profile_assign, name="profile_assign"),
    path("obligations/profiles/<slug:code>/new/", views.obligation_create, name="obligation_create"),
    path("obligations/assignments/<int:pk>/delete/", views.assignment_delete, name="assignment_delete"),
    path("obligations/<int:pk>/edit/", views.obligation_edit, name="obligation_edit"),
    path("obligations/<int:pk>/deactivate/", views.obligation_deactivate, name="obligation_deactivate"),
    path("contact-points/", views.contact_points, name="contact_points"),
    path("contact-points/new/", views.contact_point_create, name="contact_point_create"),
    path("contact-points/<int:pk>/end/", views.contact_point_end, name="contact_point_end"),
    path("due/", views.due, name="due"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
]
