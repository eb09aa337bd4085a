from django.urls import path

from xianfeng.development import api

urlpatterns = [
    path("development/board", api.BoardApi.as_view(), name="api-development-board"),
    path(
        "development/memberships/<uuid:code>/steps",
        api.MembershipStepsApi.as_view(),
        name="api-development-steps",
    ),
    path("development/steps/<uuid:code>/void", api.StepVoidApi.as_view(), name="api-development-step-void"),
    path("development/plans", api.PlansApi.as_view(), name="api-development-plans"),
    path(
        "development/memberships/<uuid:code>/thought-reports",
        api.ThoughtReportsApi.as_view(),
        name="api-development-thought-reports",
    ),
    path(
        "development/thought-reports/<uuid:code>/void",
        api.ThoughtReportVoidApi.as_view(),
        name="api-development-thought-report-void",
    ),
]
