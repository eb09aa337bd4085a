from django.urls import path

app_name = "compliance"
urlpatterns: list = []
