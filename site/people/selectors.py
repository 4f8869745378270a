"""Reads for people."""

from django.db.models import Q, QuerySet

from .models import User


def people_list(*, query: str = "") -> QuerySet[User]:
    """Active people, optionally matching a name fragment, ordered by name."""
    people = User.objects.filter(is_active=True)
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(display_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    return people.order_by("display_name", "username")
