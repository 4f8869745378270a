from django.urls import path, re_path

from . import views

app_name = "uploads"

urlpatterns = [
    path("", views.upload, name="upload"),
    re_path(
        r"^(?P<key>[0-9a-f]{32})/(?P<name>[^/]{1,150})$",
        views.attachment,
        name="attachment",
    ),
]
