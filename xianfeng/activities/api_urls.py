from django.urls import path

from xianfeng.activities import api

urlpatterns = [
    path("activity-kinds/", api.ActivityKindListApi.as_view(), name="api-activity-kinds"),
    path("activity-kinds/<slug:code>/", api.ActivityKindDetailApi.as_view(), name="api-activity-kind"),
    path("activities/", api.ActivityListCreateApi.as_view(), name="api-activities"),
    path("activities/checkin", api.ActivityCheckinApi.as_view(), name="api-activities-checkin"),
    path("activities/<uuid:code>/", api.ActivityDetailApi.as_view(), name="api-activity"),
    path("activities/<uuid:code>/held", api.ActivityHeldApi.as_view(), name="api-activity-held"),
    path("activities/<uuid:code>/cancel", api.ActivityCancelApi.as_view(), name="api-activity-cancel"),
    path(
        "activities/<uuid:code>/attendance",
        api.ActivityAttendanceApi.as_view(),
        name="api-activity-attendance",
    ),
    path("activities/<uuid:code>/leave", api.ActivityLeaveApi.as_view(), name="api-activity-leave"),
]
