from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    """Accounts, roles, API tokens and profiles."""

    name = "people"
    verbose_name = _("People")

    def ready(self) -> None:
        # Django's ready(): importing these at module top would load models too early.
        from django.db.models.signals import post_save
        from wagtail.users.models import UserProfile

        from . import signal_handlers

        user_model = self.get_model("User")
        post_save.connect(signal_handlers.on_user_created, sender=user_model)
        post_save.connect(signal_handlers.on_admin_profile_saved, sender=UserProfile)
