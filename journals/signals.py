"""Signals other apps listen to; sent after commit.

``entry_changed`` carries ``pk`` (an id, never an instance), ``action``
("created", "edited", "deleted"), ``visibility`` (now) and
``previous_visibility`` (before an edit; ``None`` when created or deleted).
"""

from django.dispatch import Signal

entry_changed = Signal()
