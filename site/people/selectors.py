"""Reads about people: accounts and their profiles."""

from .models import Profile, User


def person_get(*, username: str) -> User | None:
    """Anyone by username (inactive imported accounts too), with the profile."""
    return User.objects.select_related("profile").filter(username=username).first()


def profile_of(user: User) -> Profile:
    """The person's profile, or an unsaved empty one."""
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)
