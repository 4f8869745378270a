"""Forms for webhooks (admin) and chat channels (community leads)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from hallway.errors import ValidationFailed
from hallway.forms import ServiceErrorsMixin

from . import services
from .events import CHAT_EVENTS, event_choices
from .models import Webhook


class WebhookAdminForm(WagtailAdminModelForm):
    """Administrators' form: the same checks as the API (events, URL guard)."""

    events = forms.MultipleChoiceField(
        choices=event_choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Webhook
        fields = [
            "kind",
            "url",
            "events",
            "secret",
            "community",
            "language",
            "is_active",
        ]

    def clean(self):
        data = super().clean()
        errors: dict[str, list[str]] = {}
        if "url" in data:
            services._clean_url(data["url"], errors)
        if data.get("secret"):
            services._clean_secret(data["secret"], errors)
        for field, messages in errors.items():
            self.add_error(field, messages)
        if data.get("is_active") and self.instance.pk and not self.instance.is_active:
            self.instance.failing_since = None
            self.instance.disabled_reason = ""
        return data


class ChatChannelForm(ServiceErrorsMixin, forms.Form):
    """A lead connects their community to a chat channel."""

    kind = forms.ChoiceField(
        label=_("Chat"),
        choices=[(k.value, k.label) for k in Webhook.CHAT_KINDS],
    )
    url = forms.URLField(
        label=_("Incoming-webhook URL"), max_length=2000, assume_scheme="https"
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    events = forms.MultipleChoiceField(
        label=_("Post"),
        choices=lambda: [c for c in event_choices() if c[0] in CHAT_EVENTS],
        initial=CHAT_EVENTS,
        widget=forms.CheckboxSelectMultiple,
    )

    def save(self, *, by, community) -> Webhook | None:
        """Connect through the service; its errors land on the fields."""
        try:
            return services.chat_channel_connect(
                by=by, community=community, **self.cleaned_data
            )
        except ValidationFailed as failed:
            self.add_service_errors(failed.errors)
            return None
