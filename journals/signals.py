"""Journals' domain events; other apps listen to these, never to journals' models.

Both are sent once the transaction commits, with ids (never instances); the
arguments are stable (integrations may subscribe to them).

``entry_changed`` carries ``pk``, ``action`` ("created", "edited", "deleted"),
``visibility`` (now; before deletion for "deleted") and ``previous_visibility``
(before an edit; ``None`` when created or deleted). "created" and "edited" come
from ``entry_create``/``entry_update`` (and ``entry_announce`` for entries
stored another way, like the demo's); "deleted" is sent for every deletion,
however it happens (the author, a moderator in the admin, an erased account).

``entry_comment_changed`` carries ``pk``, ``entry_id`` and ``action``
("created", "deleted"), from ``comment_create``/``comment_delete`` (and
``entry_comment_announce`` for comments stored another way, like the demo's).
"""

from django.dispatch import Signal

entry_changed = Signal()
entry_comment_changed = Signal()
