"""Admin: moderate questions; restore soft-deleted ones (filter "deleted")."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import EditView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import Question
from .services import question_delete, question_restore


class QuestionPermissionPolicy(ModelPermissionPolicy):
    """Questions are asked on the site, never created in the admin."""

    def user_has_permission(self, user, action):
        if action == "add":
            return False
        return super().user_has_permission(user, action)


register_permission_policy(Question, QuestionPermissionPolicy(Question))


class QuestionEditView(EditView):
    """Deleting and restoring go through the services, never a raw save."""

    def save_instance(self):
        question = Question.objects.get(pk=self.object.pk)
        wanted = self.form.cleaned_data["is_deleted"]
        if wanted and not question.is_deleted:
            question_delete(question=question, by=self.request.user)
        elif not wanted and question.is_deleted:
            question_restore(question=question, by=self.request.user)
        return question


class QuestionViewSet(ModelViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    add_to_admin_menu = True
    form_fields = ["is_deleted"]
    list_display = ["title", "community", "author", "answer_count", "is_deleted"]
    list_filter = ["is_deleted", "status", "community"]
    search_fields = ["title"]
    edit_view_class = QuestionEditView
    inspect_view_enabled = True


@hooks.register("register_admin_viewset")
def register_question_viewset():
    return QuestionViewSet("qa_questions")
