from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from hallway.providers import provide


class ImportsConfig(AppConfig):
    """Bringing existing knowledge in: Stack Exchange dumps and Markdown folders."""

    name = "kb.imports"
    label = "imports"
    verbose_name = _("Imports")

    def ready(self) -> None:
        # Django's ready(): importing these at module top would load models too early.
        from .selectors import attributions_for

        # Q&A pages show where imported posts came from, without importing us.
        provide("post_sources", attributions_for)
