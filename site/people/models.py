"""People: the user account (API tokens are Wagtail's ``APIToken``)."""

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person in the organisation. ``display_name`` is what others see."""

    display_name = models.CharField(_("display name"), max_length=150, blank=True)
    # Set when an administrator erases the person: the account stays as a
    # nameless "former colleague" so what they wrote keeps its place.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True)
    # The interface language this person chose; blank follows the browser's
    # Accept-Language, then the site default (``LANGUAGE_CODE``).
    language = models.CharField(
        _("language"),
        max_length=8,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_("The language Hallway speaks to you in (pages, e-mails)."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.get_display_name()

    def interface_language(self) -> str:
        """The language to write to this person in when they are not looking
        (notifications, e-mails): their choice, else the site default."""
        return self.language or settings.LANGUAGE_CODE

    def get_display_name(self) -> str:
        """The name to show: display name, else full name, else username."""
        if self.erased_at is not None:
            return str(_("Former colleague"))
        return self.display_name or self.get_full_name() or self.username


def _photo_path(instance: "Profile", filename: str) -> str:
    return f"people/photos/{instance.user_id}.jpg"


class Profile(models.Model):
    """What a person tells others about themselves (created on first edit)."""

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, related_name="profile", primary_key=True
    )
    photo = models.ImageField(_("photo"), upload_to=_photo_path, blank=True)
    office = models.CharField(_("office or location"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    bio = models.TextField(_("bio"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["office"]),
            models.Index(fields=["department"]),
        ]

    def __str__(self) -> str:
        return f"Profile of {self.user_id}"
