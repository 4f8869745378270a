from django.urls import path

from hallway.preview import markdown_preview

from . import views
from .feeds import PersonAtomFeed

app_name = "journals"

urlpatterns = [
    path("", views.feed, name="feed"),
    path("me/", views.my_journal, name="me"),
    path("write/", views.entry_write, name="write"),
    path("preview/", markdown_preview, {"empty_hint": True}, name="preview"),
    path("settings/", views.journal_settings, name="settings"),
    path("tags/follow/", views.tag_follow, name="tag-follow"),
    path("entries/<int:pk>/", views.entry_detail, name="entry-detail"),
    path("entries/<int:pk>/edit/", views.entry_edit, name="entry-edit"),
    path("entries/<int:pk>/delete/", views.entry_delete, name="entry-delete"),
    path("entries/<int:pk>/react/", views.entry_react, name="entry-react"),
    path("entries/<int:pk>/comment/", views.entry_comment, name="entry-comment"),
    path("comments/<int:pk>/delete/", views.comment_delete, name="comment-delete"),
    path("<str:username>/", views.person_journal, name="person"),
    path("<str:username>/follow/", views.person_follow, name="person-follow"),
    path("<str:username>/feed.atom", PersonAtomFeed(), name="person-atom"),
]
