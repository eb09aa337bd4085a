from django.contrib.auth import views as auth_views
from django.urls import include, path

from xianfeng.core import views as core_views
from xianfeng.core import views_account

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/password/", views_account.PasswordChangeView.as_view(), name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("", include("xianfeng.dashboards.urls")),
    path("orgs/", include("xianfeng.orgs.urls")),
    path("members/", include("xianfeng.people.urls")),
    path("members/io/", include("xianfeng.people.urls_io")),
    path("audit/", include("xianfeng.core.urls")),
    path("users/", include("xianfeng.core.urls_users")),
    path("activities/", include("xianfeng.activities.urls")),
    path("compliance/", include("xianfeng.compliance.urls")),
    path("dues/", include("xianfeng.dues.urls")),
    path("dues/io/", include("xianfeng.dues.urls_io")),
    path("development/io/", include("xianfeng.development.urls_io")),
    path("development/", include("xianfeng.development.urls")),
    path("lifecycle/", include("xianfeng.lifecycle.urls")),
    path("scoring/", include("xianfeng.scoring.urls")),
    path("supervision/", include("xianfeng.supervision.urls")),
    path("reports/", include("xianfeng.reports.urls")),
    path("api/v1/", include("xianfeng.api_urls")),
]
