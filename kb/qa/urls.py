from django.urls import path

from hallway.preview import markdown_preview

from . import views

app_name = "qa"

urlpatterns = [
    path("", views.question_list, name="question-list"),
    path("ask/", views.question_ask, name="question-ask"),
    path("preview/", markdown_preview, name="markdown-preview"),
    path("similar/", views.question_similar, name="question-similar"),
    path("tags/suggest/", views.tag_suggest, name="tag-suggest"),
    path("<int:pk>/", views.question_redirect, name="question-redirect"),
    path("<int:pk>/answer/", views.answer_create, name="answer-create"),
    path("<int:pk>/edit/", views.question_edit, name="question-edit"),
    path("<int:pk>/revisions/", views.question_revisions, name="question-revisions"),
    path("<int:pk>/related/", views.question_related, name="question-related"),
    path("<int:pk>/comment/", views.question_comment, name="question-comment"),
    path("<int:pk>/vote/", views.question_vote, name="question-vote"),
    path("<int:pk>/follow/", views.question_follow, name="question-follow"),
    path("<int:pk>/close/", views.question_close, name="question-close"),
    path("<int:pk>/reopen/", views.question_reopen, name="question-reopen"),
    path("<int:pk>/delete/", views.question_delete, name="question-delete"),
    path("<int:pk>/<slug:slug>/", views.question_detail, name="question-detail"),
    path("answers/<int:pk>/edit/", views.answer_edit, name="answer-edit"),
    path(
        "answers/<int:pk>/revisions/", views.answer_revisions, name="answer-revisions"
    ),
    path("answers/<int:pk>/comment/", views.answer_comment, name="answer-comment"),
    path("answers/<int:pk>/vote/", views.answer_vote, name="answer-vote"),
    path("answers/<int:pk>/accept/", views.answer_accept, name="answer-accept"),
    path("answers/<int:pk>/delete/", views.answer_delete, name="answer-delete"),
]
