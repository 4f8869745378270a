from django.urls import path

from . import views

app_name = "journals"

urlpatterns = [
    path("", views.feed, name="feed"),
]
