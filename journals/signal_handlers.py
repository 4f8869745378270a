"""Journals listening to other apps' domain events."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_delete, post_save
from django.http import Http404

from hallway.errors import ValidationFailed
from kb.qa.signals import question_asked
from people.models import User

from .models import Entry, Reaction
from .selectors import entry_get_visible
from .services import entry_announce, entry_link_question
from .signals import reactions_changed


def on_question_asked(
    sender, *, question_id: int, author_id: int, from_entry: int | None, **kwargs: Any
) -> None:
    """ "Turn into a question": link the asker's own entry to the new question."""
    if from_entry is None:
        return
    asker = User.objects.get(pk=author_id)
    try:
        entry = entry_get_visible(viewer=asker, pk=from_entry)
        entry_link_question(entry=entry, question_id=question_id, by=asker)
    except (Http404, PermissionDenied, ValidationFailed):
        pass  # not the asker's entry: the question stands on its own


def on_entry_deleted(sender, instance: Entry, **kwargs: Any) -> None:
    """Every deletion (the author's, a moderator's in the admin, a cascade from
    an erased account) is announced once as ``entry_changed`` "deleted"."""
    entry_announce(instance.pk, "deleted", visibility=instance.visibility)
    reactions_changed.send(sender=Entry, entry_id=instance.pk)  # they went with it


def on_reaction_changed(sender, instance: Reaction, raw: bool = False, **kwargs: Any):
    """A reaction added or withdrawn, however (the service, a demo loader, a
    cascade from a deleted account): announce the entry inside the transaction,
    where the reputation ledger counts "helpful" ones."""
    if not raw:
        reactions_changed.send(sender=Entry, entry_id=instance.entry_id)


def connect() -> None:
    """Wire the handlers (from ``JournalsConfig.ready``)."""
    question_asked.connect(on_question_asked, dispatch_uid="journals.question_asked")
    post_delete.connect(
        on_entry_deleted, sender=Entry, dispatch_uid="journals.entry_deleted"
    )
    post_save.connect(
        on_reaction_changed, sender=Reaction, dispatch_uid="journals.reaction_saved"
    )
    post_delete.connect(
        on_reaction_changed, sender=Reaction, dispatch_uid="journals.reaction_gone"
    )
