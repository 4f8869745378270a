"""Signals other apps listen to; sent after commit.

``knowledge_page_published`` carries ``page_id`` (an id, never an instance)
and ``first`` (whether this is the page's first publication).
"""

from django.dispatch import Signal

knowledge_page_published = Signal()
