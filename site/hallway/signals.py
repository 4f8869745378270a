"""Site-wide signals that let apps announce changes without knowing who listens.

Content apps send ``content_changed``, inside their transaction, for changes
the row's own ``save()`` does not announce: an ``F()`` score update, a
knowledge page published or curated. Search listens and queues
the re-index; reputation re-syncs the ledger lines of that row. ``search``
depends on the content apps, never the other way round.
"""

from django.dispatch import Signal

# kwargs: model (the model class), pk (the changed row's primary key)
content_changed = Signal()
