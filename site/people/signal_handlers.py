"""Keep every new account in the Members group, however it was created."""

from typing import Any

from django.contrib.auth.models import Group

from .models import User
from .services import MEMBERS_GROUP


def on_user_created(
    sender: type[User], instance: User, created: bool, **kwargs: Any
) -> None:
    if created:
        group, _ = Group.objects.get_or_create(name=MEMBERS_GROUP)
        instance.groups.add(group)
