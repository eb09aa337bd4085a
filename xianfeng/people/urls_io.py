from django.urls import path

from xianfeng.people import views_io

app_name = "people_io"
urlpatterns = [
    path("template/", views_io.template_download, name="template"),
    path("import/", views_io.import_upload, name="import"),
    path("import/<uuid:code>/confirm/", views_io.import_confirm, name="confirm"),
    path("export/", views_io.export, name="export"),
]
