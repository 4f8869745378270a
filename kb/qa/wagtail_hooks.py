"""Admin: leads moderate their communities' questions and restore deleted ones."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import EditView, IndexView, InspectView
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.views.generic.usage import UsageView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from kb.communities.selectors import curated_community_ids, is_curator

from .models import Answer, Question, QuestionTag
from .services import (
    answer_delete,
    answer_restore,
    question_delete,
    question_restore,
)

MODERATE = {"change", "view"}


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """Curators moderate questions of their communities; nobody adds or hard-deletes."""

    def user_has_permission(self, user, action):
        if action in MODERATE:
            return bool(curated_community_ids(user))
        return False

    def user_has_permission_for_instance(self, user, action, instance):
        return action in MODERATE and is_curator(user, instance.community)

    def instances_user_has_permission_for(self, user, action):
        if action not in MODERATE:
            return Question.objects.none()
        return Question.objects.filter(community_id__in=curated_community_ids(user))


class AnswerPermissionPolicy(QuestionPermissionPolicy):
    """The same rules for answers, through their question's community."""

    def user_has_permission_for_instance(self, user, action, instance):
        return action in MODERATE and is_curator(user, instance.question.community)

    def instances_user_has_permission_for(self, user, action):
        if action not in MODERATE:
            return Answer.objects.none()
        return Answer.objects.filter(
            question__community_id__in=curated_community_ids(user)
        )


register_permission_policy(Question, QuestionPermissionPolicy(Question))
register_permission_policy(Answer, AnswerPermissionPolicy(Answer))


class ModeratedIndexView(IndexView):
    """Only the posts of communities the viewer curates."""

    community_lookup = "community_id"
    related: tuple[str, ...] = ()

    def get_base_queryset(self):
        curated = curated_community_ids(self.request.user)
        return (
            super()
            .get_base_queryset()
            .filter(**{f"{self.community_lookup}__in": curated})
            .select_related(*self.related)
        )


class CuratedPostMixin:
    """Views of one post: only its community's curators, whatever the view
    (edit, inspect, history, usage); a lead of another community gets 403."""

    def community_of(self, post):
        return post.community

    def get_object(self, *args, **kwargs):
        post = super().get_object(*args, **kwargs)
        if not is_curator(self.request.user, self.community_of(post)):
            raise PermissionDenied
        return post


class AnswerPostMixin(CuratedPostMixin):
    def community_of(self, post):
        return post.question.community


class ModeratedEditView(CuratedPostMixin, EditView):
    """Deleting and restoring go through the services, never a raw save."""

    post_kwarg = "question"
    delete = staticmethod(question_delete)
    restore = staticmethod(question_restore)

    def fresh(self):
        return self.model.objects.get(pk=self.object.pk)

    def save_instance(self):
        post = self.fresh()
        wanted = self.form.cleaned_data["is_deleted"]
        if wanted and not post.is_deleted:
            self.delete(**{self.post_kwarg: post}, by=self.request.user)
        elif not wanted and post.is_deleted:
            self.restore(**{self.post_kwarg: post}, by=self.request.user)
        return post


class QuestionIndexView(ModeratedIndexView):
    related = ("community", "author")


class QuestionEditView(ModeratedEditView):
    pass


class QuestionInspectView(CuratedPostMixin, InspectView):
    pass


class QuestionHistoryView(CuratedPostMixin, HistoryView):
    pass


class QuestionUsageView(CuratedPostMixin, UsageView):
    pass


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    add_to_admin_menu = True
    form_fields = ["is_deleted"]
    list_display = ["title", "community", "author", "answer_count", "is_deleted"]
    list_filter = ["is_deleted", "status", "community"]
    search_fields = ["title"]
    index_view_class = QuestionIndexView
    edit_view_class = QuestionEditView
    inspect_view_class = QuestionInspectView
    history_view_class = QuestionHistoryView
    usage_view_class = QuestionUsageView
    inspect_view_enabled = True


class AnswerIndexView(ModeratedIndexView):
    community_lookup = "question__community_id"
    related = ("question", "author")


class AnswerEditView(AnswerPostMixin, ModeratedEditView):
    post_kwarg = "answer"
    delete = staticmethod(answer_delete)
    restore = staticmethod(answer_restore)

    def fresh(self):
        return Answer.objects.select_related("question__community").get(
            pk=self.object.pk
        )


class AnswerViewSet(ModelViewSet):
    model = Answer
    icon = "comment"
    menu_label = _("Answers")
    add_to_admin_menu = True
    form_fields = ["is_deleted"]
    list_display = ["__str__", "question", "author", "score", "is_deleted"]
    list_filter = ["is_deleted"]
    index_view_class = AnswerIndexView
    edit_view_class = AnswerEditView
    inspect_view_class = type("AnswerInspectView", (AnswerPostMixin, InspectView), {})
    history_view_class = type("AnswerHistoryView", (AnswerPostMixin, HistoryView), {})
    usage_view_class = type("AnswerUsageView", (AnswerPostMixin, UsageView), {})


@hooks.register("register_admin_viewset")
def register_question_viewset():
    return QuestionViewSet("qa_questions")


@hooks.register("register_admin_viewset")
def register_answer_viewset():
    return AnswerViewSet("qa_answers")


class QuestionTagViewSet(ModelViewSet):
    model = QuestionTag
    icon = "tag"
    menu_label = _("Question tags")
    add_to_admin_menu = True
    form_fields = ["name", "slug", "description"]
    list_display = ["name", "description"]
    search_fields = ["name"]


@hooks.register("register_admin_viewset")
def register_question_tag_viewset():
    return QuestionTagViewSet("qa_tags")
