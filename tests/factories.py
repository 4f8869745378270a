"""Factories shared by every app's tests."""

import factory

from people.models import User


class UserFactory(factory.django.DjangoModelFactory):
    """An active member with the password ``pw``."""

    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.LazyAttribute(lambda o: o.username.title())
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.org")
    password = factory.django.Password("pw")
