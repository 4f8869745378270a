from django.urls import path

from . import views

app_name = "ideas"

urlpatterns = [
    path("", views.campaign_list, name="campaign-list"),
    path("campaigns/new/", views.campaign_create, name="campaign-create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign-detail"),
    path(
        "campaigns/<int:pk>/moderation/",
        views.moderation_log,
        name="moderation-log",
    ),
    path("box/<slug:slug>/", views.idea_box, name="idea-box"),
    path("similar/", views.idea_similar, name="idea-similar"),
    path("from-entry/<int:entry_id>/", views.from_entry, name="from-entry"),
    path("overdue/", views.overdue, name="overdue"),
    path("manage/", views.management, name="management"),
    path("<int:pk>/", views.idea_detail, name="idea-detail"),
    path("<int:pk>/vote/", views.idea_vote, name="idea-vote"),
    path("<int:pk>/status/", views.idea_status, name="idea-status"),
    path("<int:pk>/comment/", views.idea_comment, name="idea-comment"),
    path("<int:pk>/merge/", views.idea_merge, name="idea-merge"),
    path("<int:pk>/hide/", views.idea_hide, name="idea-hide"),
    path("<int:pk>/follow/", views.idea_follow, name="idea-follow"),
]
