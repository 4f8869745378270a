from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReputationConfig(AppConfig):
    """Reputation ledger, badges, participation and the people pages showing them."""

    name = "reputation"
    verbose_name = _("Reputation")
