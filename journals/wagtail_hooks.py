"""Admin: curators moderate entries they can see; private entries never appear."""

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import DeleteView, EditView, IndexView, InspectView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from kb.communities.selectors import curated_community_ids

from .models import Entry

MODERATE = {"view", "delete"}


def moderated_entries(user):
    """Entries ``user`` may moderate: organisation ones and their communities'."""
    curated = curated_community_ids(user)
    if not curated:
        return Entry.objects.none()
    return Entry.objects.filter(
        Q(visibility=Entry.Visibility.ORGANISATION)
        | Q(visibility=Entry.Visibility.COMMUNITY, community_id__in=curated)
    )


class EntryPermissionPolicy(ModelPermissionPolicy):
    """Curators view and delete visible entries; nobody adds or edits others' text."""

    def user_has_permission(self, user, action):
        return action in MODERATE and bool(curated_community_ids(user))

    def user_has_permission_for_instance(self, user, action, instance):
        return (
            action in MODERATE
            and moderated_entries(user).filter(pk=instance.pk).exists()
        )

    def instances_user_has_permission_for(self, user, action):
        if action not in MODERATE:
            return Entry.objects.none()
        return moderated_entries(user)


register_permission_policy(Entry, EntryPermissionPolicy(Entry))


class EntryIndexView(IndexView):
    def get_base_queryset(self):
        return moderated_entries(self.request.user).select_related(
            "author", "community"
        )


class ModeratedObjectMixin:
    """Private entries (and other communities' ones) do not exist here: 404."""

    def get_object(self, queryset=None):
        pk = self.kwargs.get("pk") or getattr(self, "pk", None)
        entry = moderated_entries(self.request.user).filter(pk=pk).first()
        if entry is None:
            raise Http404
        return entry


class EntryInspectView(ModeratedObjectMixin, InspectView):
    pass


class EntryDeleteView(ModeratedObjectMixin, DeleteView):
    pass


class EntryEditView(ModeratedObjectMixin, EditView):
    pass


class EntryViewSet(ModelViewSet):
    model = Entry
    icon = "doc-full"
    menu_label = _("Journal entries")
    add_to_admin_menu = True
    form_fields = ["title"]
    list_display = ["__str__", "author", "visibility", "community", "created_at"]
    list_filter = ["visibility", "prompt"]
    search_fields = ["title", "body"]
    index_view_class = EntryIndexView
    inspect_view_class = EntryInspectView
    delete_view_class = EntryDeleteView
    edit_view_class = EntryEditView
    inspect_view_enabled = True
    inspect_view_fields = ["author", "title", "body", "visibility", "community"]


@hooks.register("register_admin_viewset")
def register_entry_viewset():
    return EntryViewSet("journal_entries")
