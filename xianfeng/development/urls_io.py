from django.urls import path

from xianfeng.development import views_io

app_name = "development_io"
urlpatterns = [
    path("template/", views_io.template_download, name="template"),
    path("import/", views_io.import_upload, name="import"),
    path("import/confirm/", views_io.import_confirm, name="import_confirm"),
    path("import/cancel/", views_io.import_cancel, name="import_cancel"),
]
