"""Keep every new account in the Members group, however it was created, and the
Wagtail admin's language in step with the person's interface language."""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import Group
from django.db.models.signals import post_save
from wagtail.users.models import UserProfile

from .models import User
from .services import MEMBERS_GROUP


def on_user_created(
    sender: type[User], instance: User, created: bool, **kwargs: Any
) -> None:
    if created:
        group, _ = Group.objects.get_or_create(name=MEMBERS_GROUP)
        instance.groups.add(group)


def on_admin_profile_saved(sender: type, instance: Any, **kwargs: Any) -> None:
    """The language picked in the Wagtail admin's account settings becomes the
    person's interface language too (the other way round is ``user_language_set``)."""
    language = instance.preferred_language or ""
    if language and language not in dict(settings.LANGUAGES):
        return
    User.objects.filter(pk=instance.user_id).exclude(language=language).update(
        language=language
    )


def connect() -> None:
    """Called once at start-up (``hallway.apps.connect_app_modules``)."""
    post_save.connect(on_user_created, sender=User)
    post_save.connect(on_admin_profile_saved, sender=UserProfile)
