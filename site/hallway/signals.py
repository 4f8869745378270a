"""Site-wide signals that let apps announce changes without knowing who listens.

Content apps send ``content_changed`` when a write bypasses ``Model.save()``
(for example an ``F()`` score update); the search app listens and queues the
re-index in the same transaction. ``search`` depends on the content apps, never
the other way round.
"""

from django.dispatch import Signal

# kwargs: model (the model class), pk (the changed row's primary key)
content_changed = Signal()
