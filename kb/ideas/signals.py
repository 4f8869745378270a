"""Domain events of the ideas app; sent after commit, carrying ids only.

``idea_changed`` carries ``kind`` ("campaign" | "idea" | "comment"), ``pk`` (of
that kind), ``idea_id`` (``None`` for campaigns), ``campaign_id``, ``actor_id``
and ``action``:

- campaign: "created"
- idea: "created", "voted", "unvoted", "status_changed", "merged" (``pk`` is the
  idea merged away, ``idea_id`` the one it went into), "hidden", "unhidden",
  "viewed" is never sent (views are not events)
- comment: "created"

``status_changed`` also carries ``old_status`` and ``new_status``.
"""

from django.dispatch import Signal

idea_changed = Signal()
