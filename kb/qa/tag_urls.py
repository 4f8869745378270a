"""The tag index at /tags/ (beside the questions, not under them)."""

from django.urls import path

from . import views

urlpatterns = [path("", views.tag_index, name="tag-index")]
