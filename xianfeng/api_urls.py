from django.urls import include, path
from drf_spectacular.views import SpectacularJSONAPIView, SpectacularSwaggerView

from xianfeng.core import api_views as core_api
from xianfeng.orgs import api as orgs_api
from xianfeng.people import api as people_api

urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="openapi"), name="api-docs"),
    path("auth/token", core_api.TokenObtainApi.as_view(), name="api-token"),
    path("auth/token/revoke", core_api.TokenRevokeApi.as_view(), name="api-token-revoke"),
    path("orgs/", orgs_api.OrgListCreateApi.as_view(), name="api-orgs"),
    path("orgs/<int:org_id>/", orgs_api.OrgDetailApi.as_view(), name="api-org"),
    path("orgs/<int:org_id>/move", orgs_api.OrgMoveApi.as_view(), name="api-org-move"),
    path("orgs/<int:org_id>/dissolve", orgs_api.OrgDissolveApi.as_view(), name="api-org-dissolve"),
    path("people/", people_api.PersonListApi.as_view(), name="api-people"),
    path("people/<uuid:code>/", people_api.PersonDetailApi.as_view(), name="api-person"),
    path("people/<uuid:code>/reveal", people_api.PersonRevealApi.as_view(), name="api-person-reveal"),
    path("memberships/", people_api.MembershipListCreateApi.as_view(), name="api-memberships"),
    path("memberships/<uuid:code>/", people_api.MembershipDetailApi.as_view(), name="api-membership"),
    path(
        "memberships/<uuid:code>/transfer",
        people_api.MembershipTransferApi.as_view(),
        name="api-membership-transfer",
    ),
    path(
        "memberships/<uuid:code>/leave", people_api.MembershipLeaveApi.as_view(), name="api-membership-leave"
    ),
    path("members/import", people_api.MemberImportApi.as_view(), name="api-members-import"),
    path("", include("xianfeng.activities.api_urls")),
    path("", include("xianfeng.compliance.api_urls")),
    path("", include("xianfeng.dues.api_urls")),
    path("", include("xianfeng.development.api_urls")),
    path("", include("xianfeng.scoring.api_urls")),
    path("", include("xianfeng.supervision.api_urls")),
    path("", include("xianfeng.reports.api_urls")),
]
