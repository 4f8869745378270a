from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Follows, in-app and e-mail notifications, digests and question routing."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        # Django's ready(): importing these at module top would load models too early.
        from . import personal_data, signal_handlers

        signal_handlers.connect()
        personal_data.connect()
