from django.urls import path

from xianfeng.core import views_users

app_name = "users"
urlpatterns = [
    path("", views_users.user_list, name="list"),
    path("new/", views_users.user_create, name="create"),
    path("<int:pk>/", views_users.user_detail, name="detail"),
    path("<int:pk>/roles/", views_users.user_grant, name="grant"),
    path("<int:pk>/roles/<int:grant_pk>/revoke/", views_users.user_revoke, name="revoke"),
    path("<int:pk>/password/", views_users.user_password, name="password"),
    path("<int:pk>/active/", views_users.user_set_active, name="set_active"),
    path("<int:pk>/unlock/", views_users.user_unlock, name="unlock"),
]
