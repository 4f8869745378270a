"""The /people/ pages. The namespace stays ``people``: editing one's own profile
is ``people``'s view, mounted here so the whole section has one namespace."""

from django.urls import path

from people import views as people_views

from . import views

app_name = "people"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("me/edit/", people_views.profile_edit, name="profile-edit"),
    path("me/export/", people_views.data_export, name="data-export"),
    path("participation/", views.participation, name="participation"),
    path("<str:username>/", views.profile, name="profile"),
    path("<str:username>/erase/", people_views.erase, name="erase"),
]
