from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QaConfig(AppConfig):
    """Stack-Overflow-style questions, answers, comments and votes."""

    name = "kb.qa"
    label = "qa"
    verbose_name = _("Questions and answers")
