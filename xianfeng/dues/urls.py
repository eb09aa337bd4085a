from django.urls import path

from xianfeng.dues import views

app_name = "dues"
urlpatterns = [
    path("", views.sheet, name="sheet"),
    path("collect/", views.collect, name="collect"),
    path("bases/", views.bases, name="bases"),
    path("arrears/", views.arrears_list, name="arrears"),
    path("summary/", views.summary, name="summary"),
    path("summary/remittances/", views.remittance_create, name="remittance_create"),
    path("summary/ratio/", views.ratio_set, name="ratio_set"),
    path("me/", views.me, name="me"),
    path("members/<uuid:code>/", views.member, name="member"),
    path("members/<uuid:code>/pay/", views.member_pay, name="member_pay"),
    path("members/<uuid:code>/base/", views.member_base, name="member_base"),
    path("members/<uuid:code>/adjust/", views.member_adjust, name="member_adjust"),
    path("members/<uuid:code>/hardship/", views.member_hardship, name="member_hardship"),
    path("members/<uuid:code>/reason/", views.member_reason, name="member_reason"),
]
