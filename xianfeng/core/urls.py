from django.urls import path

from xianfeng.core import views_audit

app_name = "audit"
urlpatterns = [
    path("", views_audit.audit_list, name="list"),
]
