app_name = "audit"
urlpatterns: list = []  # the audit viewer (core.views_audit) registers here
