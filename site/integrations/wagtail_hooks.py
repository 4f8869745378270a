"""Admin: administrators manage webhooks and chat channels and read deliveries."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet, ModelViewSetGroup

from .forms import WebhookAdminForm
from .models import Delivery, Webhook


class WebhookViewSet(ModelViewSet):
    model = Webhook
    icon = "link-external"
    menu_label = _("Webhooks")
    list_display = ["url", "kind", "community", "is_active", "failing_since"]
    list_filter = ["kind", "is_active"]
    search_fields = ["url"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "kind", "url", "events", "community", "language", "is_active",
        "disabled_reason", "failing_since", "created_by", "created_at",
    ]  # fmt: skip

    def get_form_class(self, for_update=False):
        return WebhookAdminForm


class DeliveryViewSet(ModelViewSet):
    model = Delivery
    icon = "list-ul"
    menu_label = _("Webhook deliveries")
    list_display = [
        "event", "webhook", "status", "attempts", "last_status_code",
        "last_response_ms", "created_at",
    ]  # fmt: skip
    list_filter = ["status", "event", "webhook"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "webhook", "delivery_id", "event", "event_id", "status", "attempts",
        "last_status_code", "last_response_ms", "last_error", "next_attempt_at",
        "created_at", "finished_at", "body",
    ]  # fmt: skip
    form_fields: list[str] = []
    add_to_admin_menu = False


class IntegrationsGroup(ModelViewSetGroup):
    menu_label = _("Integrations")
    menu_icon = "link-external"
    items = (WebhookViewSet("webhooks"), DeliveryViewSet("webhook_deliveries"))


@hooks.register("register_admin_viewset")
def register_integrations():
    return IntegrationsGroup()
