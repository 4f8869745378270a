from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Accounts, roles, API tokens and profiles."""

    name = "people"
    verbose_name = _("People")
