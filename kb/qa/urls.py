from django.urls import path

from . import views

app_name = "qa"

urlpatterns = [
    path("", views.question_list, name="question-list"),
    path("ask/", views.question_ask, name="question-ask"),
]
