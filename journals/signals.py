"""Journals' domain events; other apps listen to these, never to journals' models.

They are sent once the transaction commits (``reactions_changed`` below
aside), with ids (never instances); the arguments are stable (integrations
may subscribe to them).

``entry_changed`` carries ``pk``, ``action`` ("created", "edited", "deleted"),
``visibility`` (now; before deletion for "deleted") and ``previous_visibility``
(before an edit; ``None`` when created or deleted). "created" and "edited" come
from ``entry_create``/``entry_update`` (and ``entry_announce`` for entries
stored another way, like the demo's); "deleted" is sent for every deletion,
however it happens (the author, a moderator in the admin, an erased account).

``reactions_changed`` is the exception: sent *inside* the transaction (the
reputation ledger counts "helpful" reactions there), with ``entry_id``, whenever
an entry's reactions change however it happens (the service, a demo loader,
a cascade from a deleted account or entry).

``entry_comment_changed`` carries ``pk``, ``entry_id`` and ``action``
("created", "deleted"), from ``comment_create``/``comment_delete`` (and
``entry_comment_announce`` for comments stored another way, like the demo's).
"""

from django.dispatch import Signal

entry_changed = Signal()
entry_comment_changed = Signal()
reactions_changed = Signal()
