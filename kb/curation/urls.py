"""Mounted at /communities/ beside the communities' own URLs."""

from django.urls import path

from . import views

app_name = "curation"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("curate/", views.curate, name="curate"),
]
