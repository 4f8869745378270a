"""Signals other apps listen to; sent after commit.

``question_escalated`` carries ``question_id`` (an id, never an instance): the
question is still unanswered after the escalation time and leads were told.
"""

from django.dispatch import Signal

question_escalated = Signal()
