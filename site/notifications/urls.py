from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("bell/", views.bell, name="bell"),
    path("read-all/", views.notification_read_all, name="read-all"),
    path("settings/", views.notification_settings, name="settings"),
    path("follow/tag/", views.follow_tag, name="follow-tag"),
    path("follow/community/", views.follow_community, name="follow-community"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("answer/<str:token>/", views.answer_link, name="answer"),
    path("<int:pk>/", views.notification_open, name="open"),
    path("<int:pk>/read/", views.notification_read, name="read"),
]
