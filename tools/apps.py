"""Dev tooling as a Django app, so its management commands (``run_dev``, the
benchmark, the relevance harness, the load test) live with the tools they drive
and nothing the site runs imports ``tools``. Installed by the local and test
settings only, never in production."""

from django.apps import AppConfig


class ToolsConfig(AppConfig):
    name = "tools"
    label = "hallway_tools"
    verbose_name = "Hallway dev tooling"
