"""Writes for people: accounts, roles and API tokens."""

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import APIToken

from .models import User

MEMBERS_GROUP = "Members"
ADMINISTRATORS_GROUP = "Administrators"


def api_token_create(*, user: User, name: str = "api") -> str:
    """Create a personal API token; return its plaintext (shown once, never stored)."""
    _, plaintext = APIToken.create_token(user=user, name=name[:255] or "api")
    return plaintext


@transaction.atomic
def user_create(
    *,
    username: str,
    password: str | None,
    email: str = "",
    display_name: str = "",
    is_admin: bool = False,
    is_active: bool = True,
) -> User:
    """Create a member (optionally an administrator with Wagtail admin access)."""
    user = User(
        username=username,
        email=email,
        display_name=display_name,
        is_active=is_active,
        is_staff=is_admin,
        is_superuser=is_admin,
    )
    if password:
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()  # on_user_created adds every account to the Members group
    if is_admin:
        admins, _ = Group.objects.get_or_create(name=ADMINISTRATORS_GROUP)
        user.groups.add(admins)
    return user
