from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ImportsConfig(AppConfig):
    """Bringing existing knowledge in: Stack Exchange dumps and Markdown folders."""

    name = "kb.imports"
    label = "imports"
    verbose_name = _("Imports")
