"""Named capabilities one app offers another without an import between them.

The search app registers, for example, ``similar_questions`` at start-up; Q&A
asks for it and falls back to its own database match when none is registered
or when it answers ``None`` (no search node). This keeps ``search`` depending
on the content apps and never the reverse.
"""

from collections.abc import Callable
from typing import Any

_providers: dict[str, Callable[..., Any]] = {}


def provide(name: str, func: Callable[..., Any]) -> None:
    """Register ``func`` as the implementation of capability ``name``."""
    _providers[name] = func


def provider(name: str) -> Callable[..., Any] | None:
    """The registered implementation of ``name``, if any."""
    return _providers.get(name)
