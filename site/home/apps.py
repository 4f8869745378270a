from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The Wagtail home page: the front door and (later) the personal hallway feed."""

    name = "home"
    verbose_name = "Home"
