from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunitiesConfig(AppConfig):
    """Communities and their curated knowledge pages (Wagtail pages)."""

    name = "kb.communities"
    label = "communities"
    verbose_name = _("Communities and knowledge")
