"""Signals people sends so each content app handles its own part of a person's data.

``personal_data_requested`` (kwargs: ``user``) is sent when a person downloads
what they wrote; each receiver returns a list of ``ExportSection``.
``person_erasing`` (kwargs: ``user``, ``by``, ``remove_content``) is sent inside
the erase transaction, before the account is anonymised: each receiver deletes
what must go (private notes, follows, notifications) and, when
``remove_content`` is true, removes the person's posts through its own services.
"""

from collections.abc import Callable
from typing import IO, Any, NotRequired, TypedDict

from django.dispatch import Signal


class ExportSection(TypedDict):
    """One kind of thing a person wrote: items are JSON-ready dicts; an item's
    ``body`` (Markdown) is also written as its own ``.md`` file."""

    name: str
    items: list[dict[str, Any]]
    # Optional: files to add as they are, ``(name inside the section, opener)``:
    # each is opened and copied into the archive in turn, never all held in
    # memory at once (a person's uploads can be gigabytes).
    files: NotRequired[list[tuple[str, Callable[[], IO[bytes]]]]]


personal_data_requested = Signal()
person_erasing = Signal()
