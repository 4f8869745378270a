"""Demo content for `make run`: every app contributes an idempotent loader."""

from collections.abc import Callable
from importlib import import_module

from django.db import transaction

# Order matters: later loaders use what earlier ones created.
DEMO_LOADERS = [
    "people.demo",
    "home.demo",
    "kb.communities.demo",
    "kb.qa.demo",
    "journals.demo",
    "kb.ideas.demo",
    "kb.imports.demo",
    "search.demo",
    # Dutch content beside the English (and the language of what came before)
    "home.demo_nl",
    "notifications.demo",
    "reputation.demo",
]


def loaders() -> list[tuple[str, Callable[[], object]]]:
    return [(name, import_module(name).load) for name in DEMO_LOADERS]


def load_demo(*, log: Callable[[str], None] = print) -> None:
    """Run every app's demo loader; running twice creates nothing new."""
    for name, load in loaders():
        with transaction.atomic():
            load()
        log(f"  demo content: {name} ok")
