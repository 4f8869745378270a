from django.urls import path

from . import views

app_name = "search"

urlpatterns = [
    path("", views.search, name="search"),
    path("autocomplete/", views.autocomplete, name="autocomplete"),
    path("go/<int:log_id>/<int:rank>/", views.go, name="go"),
    path("report/", views.report, name="report"),
    path("experts/", views.experts_page, name="experts"),
]
