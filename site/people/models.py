"""People: the user account (API tokens are Wagtail's ``APIToken``)."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person in the organisation. ``display_name`` is what others see."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_display_name()

    def get_display_name(self) -> str:
        """The name to show: display name, else full name, else username."""
        return self.display_name or self.get_full_name() or self.username
