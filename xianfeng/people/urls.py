from django.urls import path

from xianfeng.people import views

app_name = "people"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("me/", views.me, name="me"),
    path("posts/<int:pk>/end/", views.post_end, name="post_end"),
    path("<uuid:code>/", views.member_detail, name="detail"),
    path("<uuid:code>/edit/", views.person_edit, name="edit"),
    path("<uuid:code>/membership/", views.membership_edit, name="membership_edit"),
    path("<uuid:code>/transfer/", views.transfer, name="transfer"),
    path("<uuid:code>/leave/", views.leave, name="leave"),
    path("<uuid:code>/posts/new/", views.post_assign, name="post_assign"),
    path("<uuid:code>/reveal/<str:field>/", views.reveal, name="reveal"),
]
