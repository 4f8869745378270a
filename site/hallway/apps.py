from importlib import import_module
from pathlib import Path

from django.apps import AppConfig, apps
from django.conf import settings
from django.utils.module_loading import module_has_submodule

# Modules a Hallway app may have, each with a ``connect()`` that hooks it up:
# its signal handlers, and what it adds to a person's data export and erasure.
CONNECTED_MODULES = ("signal_handlers", "personal_data")


class HallwayConfig(AppConfig):
    """The project package: site-wide views, commands and the API root."""

    name = "hallway"
    verbose_name = "Hallway"

    def ready(self) -> None:
        connect_app_modules()


def connect_app_modules() -> None:
    """Call ``connect()`` of every first-party app's ``signal_handlers`` and
    ``personal_data`` (in ``INSTALLED_APPS`` order), as the admin discovers
    ``admin`` modules: Django runs ``ready()`` once every model is loaded, so
    no app needs its own ``ready()`` importing them inside a function."""
    root = Path(settings.BASE_DIR).resolve()
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if not path.is_relative_to(root) or ".venv" in path.parts:
            continue  # third-party apps keep their own conventions
        for name in CONNECTED_MODULES:
            if module_has_submodule(config.module, name):
                import_module(f"{config.name}.{name}").connect()
