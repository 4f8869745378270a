from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """Follows, in-app and e-mail notifications, digests and question routing."""

    name = "notifications"
    verbose_name = _("Notifications")
