from django.urls import path

from xianfeng.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.summaries, name="summaries"),
    path("build/", views.build, name="build"),
    path("facts/", views.facts_page, name="facts"),
    path("settings/", views.settings_page, name="settings"),
    path("jobs/<uuid:code>/", views.job_detail, name="job"),
    path("documents/<uuid:code>/", views.document_detail, name="document"),
    path("documents/<uuid:code>/blocks/<slug:block>/", views.block_edit, name="block"),
    path("documents/<uuid:code>/facts/<str:name>/", views.fact_records, name="records"),
    path("documents/<uuid:code>/download.<str:fmt>", views.document_download, name="download"),
]
