from django.urls import path

from xianfeng.scoring import api

urlpatterns = [
    path("scoring/schemes/", api.SchemeListApi.as_view(), name="api-scoring-schemes"),
    path("scoring/schemes/<int:pk>/", api.SchemeDetailApi.as_view(), name="api-scoring-scheme"),
    path("scoring/entries/", api.EntryListCreateApi.as_view(), name="api-scoring-entries"),
    path(
        "scoring/entries/<int:pk>/<str:decision>",
        api.EntryDecisionApi.as_view(),
        name="api-scoring-entry-decide",
    ),
    path("scoring/periods/<int:pk>/cells", api.CellApi.as_view(), name="api-scoring-cells"),
    path("scoring/periods/<int:pk>/close", api.PeriodCloseApi.as_view(), name="api-scoring-close"),
    path("scoring/periods/<int:pk>/results/", api.ResultListApi.as_view(), name="api-scoring-results"),
    path("scoring/periods/<int:pk>/ranking/", api.RankingApi.as_view(), name="api-scoring-ranking"),
]
