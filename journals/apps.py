from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JournalsConfig(AppConfig):
    """Working-out-loud journals: entries, visibility, reactions, follows."""

    name = "journals"
    verbose_name = _("Journals")
