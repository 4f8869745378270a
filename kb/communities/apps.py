from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    """Communities and their curated knowledge pages (Wagtail pages)."""

    name = "kb.communities"
    label = "communities"
    verbose_name = _("Communities and knowledge")

    def ready(self) -> None:
        # Django's ready(): importing these at module top would load models too early.
        from . import personal_data, signal_handlers

        signal_handlers.connect()
        personal_data.connect()
