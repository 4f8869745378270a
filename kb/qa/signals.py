"""Signals other apps (search, notifications) listen to; sent after commit.

``post_changed`` carries ``kind`` ("question" | "answer" | "comment"), ``pk`` and
``question_id`` (ids, never instances), and ``action`` ("created", "edited",
"deleted", "restored", "closed", "reopened", "accepted", "voted").
"""

from django.dispatch import Signal

post_changed = Signal()
