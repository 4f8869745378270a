from django.urls import path

from . import views

app_name = "communities"

urlpatterns = [
    path(
        "pages/<int:page_id>/verify/",
        views.knowledge_page_verify,
        name="knowledge-page-verify",
    ),
    path(
        "pages/<int:page_id>/feedback/",
        views.knowledge_page_feedback,
        name="knowledge-page-feedback",
    ),
    path(
        "pages/<int:page_id>/edit/",
        views.knowledge_page_edit,
        name="knowledge-page-edit",
    ),
    path(
        "pages/<int:page_id>/new/",
        views.knowledge_page_new_child,
        name="knowledge-page-new-child",
    ),
    path(
        "pages/<int:page_id>/history/",
        views.knowledge_page_history,
        name="knowledge-page-history",
    ),
    path("<slug:slug>/pages/", views.community_tree, name="community-tree"),
    path("<slug:slug>/pages/new/", views.knowledge_page_new, name="knowledge-page-new"),
    path("<slug:slug>/join/", views.community_join, name="community-join"),
    path("<slug:slug>/leave/", views.community_leave, name="community-leave"),
    path("<slug:slug>/members/add/", views.membership_add, name="membership-add"),
    path(
        "<slug:slug>/requests/<int:user_id>/",
        views.join_request_decide,
        name="join-request-decide",
    ),
    path(
        "<slug:slug>/members/<int:user_id>/role/",
        views.membership_role,
        name="membership-role",
    ),
]
