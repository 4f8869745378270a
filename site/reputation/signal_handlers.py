"""Keep the reputation ledger in line with the content apps' changes.

The content apps announce every change the ledger counts inside their
transaction: ``hallway.signals.content_changed`` for Q&A's writes and
communities' publication, verification and curation, journals'
``reactions_changed`` for "helpful" reactions. The ledger never reads another
app's model signals. Every
handler re-syncs one source; syncing is idempotent, so it may fire as often as
it likes.
"""

from typing import Any

from hallway.signals import content_changed
from journals.signals import reactions_changed
from kb.communities.models import KnowledgePage
from kb.qa.models import Question

from . import ledger

_SYNC = {
    Question: lambda pk: ledger.question_sync(question_id=pk),
    KnowledgePage: lambda pk: ledger.page_sync(page_id=pk),
}


def on_content_changed(sender, model=None, pk=None, **kwargs: Any) -> None:
    """Re-sync the ledger lines of the changed question or page."""
    sync = _SYNC.get(model)
    if sync is not None and pk is not None:
        sync(pk)


def connect() -> None:
    """Wire the ledger to the content apps without them knowing about us."""
    content_changed.connect(on_content_changed, dispatch_uid="people_ledger_content")
    reactions_changed.connect(
        on_reactions_changed, dispatch_uid="people_ledger_reactions"
    )


def on_reactions_changed(sender, *, entry_id: int, **kwargs: Any) -> None:
    """An entry's "helpful" reactions changed (or the entry went)."""
    ledger.entry_sync(entry_id=entry_id)
