"""Q&A's domain events; other apps listen, Q&A never knows who.

``post_changed`` (sent on commit by every write in ``kb.qa.services``) carries
``kind`` ("question" | "answer" | "comment"), ``pk`` and ``question_id`` (ids,
never instances), and ``action`` ("created", "edited", "deleted", "restored",
"closed", "reopened", "accepted", "voted").

``question_asked`` (sent by the Ask form once the question is stored) carries
``question_id``, ``author_id`` and ``from_entry``: the id of the journal entry
the form was opened from ("Turn into a question"), or ``None``. Journals links
the asker's own entry to the question.
"""

from django.dispatch import Signal

post_changed = Signal()
question_asked = Signal()
