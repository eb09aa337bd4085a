from django.urls import path

from xianfeng.development import views

app_name = "development"
urlpatterns = [
    path("", views.board, name="board"),
    path("plan/", views.plan, name="plan"),
    path("plan/set/", views.plan_set, name="plan_set"),
    path("people/<uuid:code>/", views.person_page, name="person"),
    path("people/<uuid:code>/record/<slug:step>/", views.record, name="record"),
    path("people/<uuid:code>/void/", views.void, name="void"),
    path("people/<uuid:code>/thought-reports/", views.report_record, name="report_record"),
    path("people/<uuid:code>/steps/<uuid:step>/documents/", views.document_add, name="document_add"),
    path("people/<uuid:code>/documents/<int:pk>/", views.document_download, name="document"),
    path("people/<uuid:code>/documents/<int:pk>/remove/", views.document_remove, name="document_remove"),
    path("people/<uuid:code>/thought-reports/<uuid:report>/void/", views.report_void, name="report_void"),
    path("publicity/", views.publicity, name="publicity"),
    path("people/<uuid:code>/conversion-notice/", views.conversion_notice, name="conversion_notice"),
    path("people/<uuid:code>/checklist/", views.checklist, name="checklist"),
]
