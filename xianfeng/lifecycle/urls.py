from django.urls import path

from xianfeng.lifecycle import views

app_name = "lifecycle"
urlpatterns = [
    path("", views.letters_list, name="letters"),
    path("mobile/", views.mobile_list, name="mobile"),
    path("suspensions/", views.suspensions_list, name="suspensions"),
    path("medal/", views.medal_list, name="medal"),
    path("medal/export/", views.medal_download, name="medal_export"),
    path("letters/in/", views.letter_in_new, name="letter_in_new"),
    path("letters/<uuid:code>/receive/", views.letter_receive, name="letter_receive"),
    path("letters/<uuid:code>/return/", views.letter_return, name="letter_return"),
    path("members/<uuid:code>/letter-out/", views.letter_out, name="letter_out"),
    path("members/<uuid:code>/letter-in/", views.letter_in, name="letter_in"),
    path("members/<uuid:code>/away/", views.mobile_start, name="mobile_start"),
    path("members/<uuid:code>/suspend/", views.suspension_start, name="suspension_start"),
    path("members/<uuid:code>/info/<slug:kind>/", views.info_add, name="info_add"),
    path("away/<uuid:code>/contact/", views.mobile_contact, name="mobile_contact"),
    path("away/<uuid:code>/return/", views.mobile_return, name="mobile_return"),
    path("away/<uuid:code>/update/", views.mobile_update, name="mobile_update"),
    path("suspensions/<uuid:code>/restore/", views.suspension_restore, name="suspension_restore"),
    path("suspensions/<uuid:code>/remove/", views.suspension_remove, name="suspension_remove"),
    path("info/<slug:kind>/<uuid:code>/edit/", views.info_edit, name="info_edit"),
    path("info/<slug:kind>/<uuid:code>/remove/", views.info_remove, name="info_remove"),
]
