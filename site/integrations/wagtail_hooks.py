"""Admin: administrators manage webhooks and chat channels and read deliveries."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.generic import IndexView
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from kb.communities.selectors import curated_community_ids

from .forms import WebhookAdminForm
from .models import Delivery, SsoGroupMapping, Webhook


class GroupMappingPermissionPolicy(ModelPermissionPolicy):
    """Administrators edit the mapping; leads and team see their communities' rows."""

    def user_has_permission(self, user, action):
        if user.is_active and user.is_superuser:
            return True
        return action == "view" and bool(curated_community_ids(user))

    def user_has_permission_for_instance(self, user, action, instance):
        if user.is_active and user.is_superuser:
            return True
        return action == "view" and instance.community_id in curated_community_ids(user)

    def instances_user_has_permission_for(self, user, action):
        if user.is_active and user.is_superuser:
            return SsoGroupMapping.objects.all()
        if action != "view":
            return SsoGroupMapping.objects.none()
        return SsoGroupMapping.objects.filter(
            community_id__in=curated_community_ids(user)
        )


register_permission_policy(
    SsoGroupMapping, GroupMappingPermissionPolicy(SsoGroupMapping)
)


class WebhookViewSet(ModelViewSet):
    model = Webhook
    icon = "link-external"
    menu_label = _("Webhooks")
    list_display = ["url", "kind", "community", "is_active", "failing_since"]
    list_filter = ["kind", "is_active"]
    search_fields = ["url"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind",
        "url",
        "events",
        "community",
        "language",
        "is_active",
        "disabled_reason",
        "failing_since",
        "created_by",
        "created_at",
    ]

    def get_form_class(self, for_update=False):
        return WebhookAdminForm


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    list_display = [
        "event",
        "webhook",
        "status",
        "attempts",
        "last_status_code",
        "last_response_ms",
        "created_at",
    ]
    list_filter = ["status", "event", "webhook"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "webhook",
        "delivery_id",
        "event",
        "event_id",
        "status",
        "attempts",
        "last_status_code",
        "last_response_ms",
        "last_error",
        "next_attempt_at",
        "created_at",
        "finished_at",
        "body",
    ]
    form_fields: list[str] = []
    add_to_admin_menu = False


class GroupMappingIndexView(IndexView):
    """Only the rows of communities the viewer curates (all for administrators)."""

    def get_base_queryset(self):
        policy = GroupMappingPermissionPolicy(SsoGroupMapping)
        return policy.instances_user_has_permission_for(self.request.user, "view")


class GroupMappingViewSet(ModelViewSet):
    model = SsoGroupMapping
    icon = "group"
    menu_label = _("Single sign-on groups")
    form_fields = ["group", "community", "role"]
    list_display = ["group", "community", "role"]
    list_filter = ["role"]
    search_fields = ["group"]

    index_view_class = GroupMappingIndexView


class IntegrationsGroup(ModelViewSetGroup):
    menu_label = _("Integrations")
    menu_icon = "link-external"
    items = (
        WebhookViewSet("webhooks"),
        DeliveryViewSet("webhook_deliveries"),
        GroupMappingViewSet("sso_groups"),
    )


@hooks.register("register_admin_viewset")
def register_integrations():
    return IntegrationsGroup()
