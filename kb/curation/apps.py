from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CurationConfig(AppConfig):
    """Curation (answers and entries into knowledge pages) and the lead dashboard."""

    name = "kb.curation"
    label = "curation"
    verbose_name = _("Curation")
