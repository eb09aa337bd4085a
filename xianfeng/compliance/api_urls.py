from django.urls import path

from xianfeng.compliance import api

urlpatterns = [
    path("obligations/", api.ObligationListApi.as_view(), name="api-obligations"),
    path("findings/", api.FindingListApi.as_view(), name="api-findings"),
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
]
