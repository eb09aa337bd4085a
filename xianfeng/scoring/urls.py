from django.urls import path

from xianfeng.scoring import views

app_name = "scoring"

urlpatterns = [
    path("", views.schemes, name="schemes"),
    path("me/", views.mine, name="mine"),
    path("schemes/<int:pk>/", views.scheme, name="scheme"),
    path("schemes/<int:pk>/activate/", views.scheme_activate, name="scheme_activate"),
    path("periods/<int:pk>/", views.period, name="period"),
    path("periods/<int:pk>/compute/", views.period_compute, name="period_compute"),
    path("periods/<int:pk>/lock/", views.period_lock, name="period_lock"),
    path("periods/<int:pk>/reopen/", views.period_reopen, name="period_reopen"),
    path("periods/<int:pk>/publish/", views.period_publish, name="period_publish"),
    path("periods/<int:pk>/grid/", views.grid, name="grid"),
    path("periods/<int:pk>/grid/cell/", views.cell, name="cell"),
    path("periods/<int:pk>/grid/import/", views.scores_import, name="import"),
    path("periods/<int:pk>/entries/new/", views.entry_new, name="entry_new"),
    path("periods/<int:pk>/ranking.xlsx", views.export_ranking, name="export_ranking"),
    path("periods/<int:pk>/scores.xlsx", views.export_sheet, name="export_sheet"),
    path("entries/<int:pk>/approve/", views.entry_approve, name="entry_approve"),
    path("entries/<int:pk>/reject/", views.entry_reject, name="entry_reject"),
    path("branches/<int:org_id>/", views.branch, name="branch"),
]
