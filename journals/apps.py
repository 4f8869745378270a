from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalsConfig(AppConfig):
    """Working-out-loud journals: entries, visibility, reactions, follows."""

    name = "journals"
    verbose_name = _("Journals")

    def ready(self) -> None:
        from . import personal_data, signal_handlers  # Django's ready(): models loaded

        signal_handlers.connect()
        personal_data.connect()
