from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UploadsConfig(AppConfig):
    """Files and images added in the shared editor, served only to whoever may
    read a post that uses them."""

    name = "uploads"
    verbose_name = _("Uploads")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Django's ready(): importing these at module top would load models too early.
        from . import personal_data, signal_handlers

        signal_handlers.connect()
        personal_data.connect()
