from django.apps import AppConfig


class HallwayConfig(AppConfig):
    """The project package: site-wide views, commands and the API root."""

    name = "hallway"
    verbose_name = "Hallway"
