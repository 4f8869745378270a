from django.urls import path

from . import views

app_name = "integrations"

urlpatterns = [
    path("chat/<slug:slug>/", views.chat_channels, name="chat"),
    path(
        "chat/<slug:slug>/<int:pk>/remove/",
        views.chat_channel_remove,
        name="chat-remove",
    ),
]
