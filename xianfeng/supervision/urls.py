from django.urls import path

from xianfeng.supervision import views

app_name = "supervision"

urlpatterns = [
    path("", views.board, name="board"),
    path("mine/", views.mine, name="mine"),
    path("tasks/", views.lists, name="lists"),
    path("tasks/new/", views.list_create, name="list_create"),
    path("tasks/template.xlsx", views.import_template, name="import_template"),
    path("tasks/<uuid:code>/", views.list_detail, name="list_detail"),
    path("tasks/<uuid:code>/add/", views.item_add, name="item_add"),
    path("tasks/<uuid:code>/import/", views.list_import, name="list_import"),
    path("tasks/<uuid:code>/export.xlsx", views.list_export, name="list_export"),
    path("items/", views.items, name="items"),
    path("items/<uuid:code>/", views.item_detail, name="item"),
    path("items/<uuid:code>/progress/", views.item_progress, name="item_progress"),
    path("items/<uuid:code>/done/", views.item_done, name="item_done"),
    path("items/<uuid:code>/close/", views.item_close, name="item_close"),
    path("items/<uuid:code>/return/", views.item_return, name="item_return"),
    path("items/<uuid:code>/milestones/<int:pk>/done/", views.milestone_done, name="milestone_done"),
    path("items/<uuid:code>/files/<int:pk>/", views.progress_file, name="progress_file"),
    path("rectifications/", views.register, name="rectifications"),
    path("rectifications/export.xlsx", views.register_export, name="rectifications_export"),
    path("rectifications/batches/new/", views.batch_create, name="batch_create"),
    path("rectifications/batches/<uuid:code>/add/", views.rectification_add, name="rectification_add"),
    path("rectifications/batches/<uuid:code>/notice.docx", views.notice, name="notice"),
    path("rectifications/<uuid:code>/", views.rectification_detail, name="rectification"),
    path("rectifications/<uuid:code>/submit/", views.rectification_submit, name="rectification_submit"),
    path("rectifications/<uuid:code>/measures/", views.rectification_measures, name="rectification_measures"),
    path("rectifications/<uuid:code>/verify/", views.rectification_verify, name="rectification_verify"),
    path("rectifications/<uuid:code>/files/<int:pk>/", views.evidence_file, name="evidence_file"),
    path("orders/", views.orders, name="orders"),
    path("orders/new/", views.order_issue, name="order_issue"),
    path("orders/<uuid:code>/", views.order_detail, name="order"),
    path("orders/<uuid:code>/respond/", views.order_respond, name="order_respond"),
    path("orders/<uuid:code>/escalate/", views.order_escalate, name="order_escalate"),
    path("responsibility/", views.responsibility, name="responsibility"),
    path("responsibility/lists/new/", views.responsibility_list_create, name="responsibility_list_create"),
    path("responsibility/pledges/new/", views.pledge_issue, name="pledge_issue"),
    path(
        "responsibility/pledges/<uuid:code>/acknowledge/", views.pledge_acknowledge, name="pledge_acknowledge"
    ),
    path("plans/", views.plans, name="plans"),
    path("plans/theme/", views.theme_set, name="theme_set"),
    path("plans/new/", views.plan_save, name="plan_save"),
]
