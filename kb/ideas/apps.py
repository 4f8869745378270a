from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdeasConfig(AppConfig):
    """Idea campaigns: everyone posts, everyone votes, the sponsor answers."""

    name = "kb.ideas"
    label = "ideas"
    verbose_name = _("Ideas")
