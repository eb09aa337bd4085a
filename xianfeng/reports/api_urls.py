from django.urls import path

from xianfeng.reports import api

urlpatterns = [
    path("reports/facts/", api.FactListApi.as_view(), name="api-reports-facts"),
    path("reports/summaries/", api.SummaryListCreateApi.as_view(), name="api-reports-summaries"),
    path("reports/summaries/<uuid:code>/", api.SummaryDetailApi.as_view(), name="api-reports-summary"),
    path("reports/summaries/<uuid:code>/file", api.SummaryFileApi.as_view(), name="api-reports-summary-file"),
    path(
        "reports/summaries/<uuid:code>/facts/<str:name>/",
        api.ProvenanceApi.as_view(),
        name="api-reports-provenance",
    ),
    path("reports/jobs/<uuid:code>/", api.JobDetailApi.as_view(), name="api-reports-job"),
]
