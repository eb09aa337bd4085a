app_name = "people_io"
urlpatterns: list = []
