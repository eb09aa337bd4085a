from django.urls import path

from xianfeng.dues import views_io

app_name = "dues_io"
urlpatterns = [
    path("import/", views_io.import_upload, name="import"),
    path("import/columns/", views_io.import_map, name="import_map"),
    path("import/check/", views_io.import_preview, name="import_preview"),
    path("import/confirm/", views_io.import_confirm, name="import_confirm"),
    path("import/cancel/", views_io.import_cancel, name="import_cancel"),
    path("exports/", views_io.exports_page, name="exports"),
    path("exports/collection.xlsx", views_io.export_collection, name="export_collection"),
    path("exports/reconciliation.xlsx", views_io.export_reconciliation, name="export_reconciliation"),
    path("exports/remittance.xlsx", views_io.export_remittance, name="export_remittance"),
    path("exports/publication/", views_io.export_publication, name="export_publication"),
]
