from django.urls import path

from xianfeng.supervision.api import views as api

P = "supervision/"

urlpatterns = [
    path(P + "board", api.BoardApi.as_view(), name="api-supervision-board"),
    path(P + "mine", api.MineApi.as_view(), name="api-supervision-mine"),
    path(P + "task-lists", api.TaskListsApi.as_view(), name="api-supervision-task-lists"),
    path(
        P + "task-lists/<uuid:code>/items",
        api.TaskListItemsApi.as_view(),
        name="api-supervision-task-list-items",
    ),
    path(P + "items", api.ItemsApi.as_view(), name="api-supervision-items"),
    path(P + "items/<uuid:code>", api.ItemApi.as_view(), name="api-supervision-item"),
    path(
        P + "items/<uuid:code>/progress", api.ItemProgressApi.as_view(), name="api-supervision-item-progress"
    ),
    path(
        P + "items/<uuid:code>/transition",
        api.ItemTransitionApi.as_view(),
        name="api-supervision-item-transition",
    ),
    path(P + "batches", api.BatchesApi.as_view(), name="api-supervision-batches"),
    path(
        P + "batches/<uuid:code>/rectifications",
        api.BatchRectificationsApi.as_view(),
        name="api-supervision-batch-rectifications",
    ),
    path(P + "rectifications", api.RectificationsApi.as_view(), name="api-supervision-rectifications"),
    path(
        P + "rectifications/counts",
        api.RectificationCountsApi.as_view(),
        name="api-supervision-rectification-counts",
    ),
    path(
        P + "rectifications/<uuid:code>", api.RectificationApi.as_view(), name="api-supervision-rectification"
    ),
    path(
        P + "rectifications/<uuid:code>/submit",
        api.RectificationSubmitApi.as_view(),
        name="api-supervision-rectification-submit",
    ),
    path(
        P + "rectifications/<uuid:code>/verify",
        api.RectificationVerifyApi.as_view(),
        name="api-supervision-rectification-verify",
    ),
    path(P + "work-orders", api.OrdersApi.as_view(), name="api-supervision-work-orders"),
    path(P + "work-orders/<uuid:code>", api.OrderApi.as_view(), name="api-supervision-work-order"),
    path(
        P + "work-orders/<uuid:code>/respond",
        api.OrderRespondApi.as_view(),
        name="api-supervision-work-order-respond",
    ),
    path(
        P + "work-orders/<uuid:code>/escalate",
        api.OrderEscalateApi.as_view(),
        name="api-supervision-work-order-escalate",
    ),
    path(
        P + "responsibility-lists",
        api.ResponsibilityListsApi.as_view(),
        name="api-supervision-responsibility-lists",
    ),
    path(P + "pledges", api.PledgesApi.as_view(), name="api-supervision-pledges"),
    path(
        P + "pledges/<uuid:code>/acknowledge",
        api.PledgeAcknowledgeApi.as_view(),
        name="api-supervision-pledge-acknowledge",
    ),
    path(P + "themes", api.ThemesApi.as_view(), name="api-supervision-themes"),
    path(P + "plans", api.PlansApi.as_view(), name="api-supervision-plans"),
]
