"""A person's notifications and subscriptions go when the person is erased."""

from typing import Any

from people.signals import person_erasing

from .models import CommunityFollow, EmailPreference, Notification


def erase(sender: Any, *, user, **kwargs: Any) -> None:
    """Nothing is sent to, or kept for, an erased person."""
    Notification.objects.filter(recipient=user).delete()
    EmailPreference.objects.filter(user=user).delete()
    CommunityFollow.objects.filter(user=user).delete()


def connect() -> None:
    """Wire the handler (from ``NotificationsConfig.ready``)."""
    person_erasing.connect(erase, dispatch_uid="notifications.erase")
