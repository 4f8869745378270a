"""Keep each post's attachment uses in step with its text, from the owning
apps' domain events (sent on commit; model signals stay with their owners),
and an attachment's bytes go with its row, however the row goes."""

from typing import Any

from django.db import transaction
from django.db.models.signals import post_delete

from journals.models import Entry
from journals.signals import entry_changed
from kb.communities.selectors import knowledge_page_published_text
from kb.communities.signals import knowledge_page_published
from kb.ideas.models import Idea
from kb.ideas.signals import idea_changed
from kb.qa.models import Answer, Question
from kb.qa.signals import post_changed

from .models import Attachment
from .services import attachment_uses_drop, attachment_uses_sync

TEXT_ACTIONS = {"created", "edited", "deleted", "restored"}


def on_post_changed(sender, *, kind, pk, action, **kwargs) -> None:
    """A question or answer was written, edited, deleted or restored."""
    if action not in TEXT_ACTIONS:
        return
    if kind == "question":
        question = Question.objects.filter(pk=pk).first()
        if question is None:
            attachment_uses_drop(source=f"question:{pk}")
            return
        text = f"{question.title}\n{question.body}"
        attachment_uses_sync(
            source=f"question:{pk}",
            kind="question",
            object_id=pk,
            text=text,
            author_id=question.author_id,
        )
    elif kind == "answer":
        answer = Answer.objects.filter(pk=pk).first()
        if answer is None or answer.is_deleted:
            # A deleted answer's files go with it (its question stays readable).
            attachment_uses_drop(source=f"answer:{pk}")
            return
        attachment_uses_sync(
            source=f"answer:{pk}",
            kind="question",  # a reader of the question reads its answers
            object_id=answer.question_id,
            text=answer.body,
            author_id=answer.author_id,
        )


def on_entry_changed(sender, *, pk, action, **kwargs) -> None:
    """A journal entry was written, edited or deleted."""
    entry = None if action == "deleted" else Entry.objects.filter(pk=pk).first()
    if entry is None:
        attachment_uses_drop(source=f"entry:{pk}")
        return
    attachment_uses_sync(
        source=f"entry:{pk}",
        kind="entry",
        object_id=pk,
        text=f"{entry.title}\n{entry.body}",
        author_id=entry.author_id,
    )


def on_idea_changed(sender, *, kind, pk, action, **kwargs) -> None:
    """An idea was posted (ideas are not edited afterwards)."""
    if kind != "idea" or action != "created":
        return
    idea = Idea.objects.filter(pk=pk).first()
    if idea is not None:
        attachment_uses_sync(
            source=f"idea:{pk}",
            kind="idea",
            object_id=pk,
            text=f"{idea.title}\n{idea.body}",
            author_id=idea.author_id,
        )


def on_page_published(sender, *, page_id, **kwargs) -> None:
    """A knowledge page was published: the files its live text links, uploaded
    by any of its revision authors, are readable by whoever may read the page
    (unpublished or deleted pages are readable by nobody, so neither are their
    files through them)."""
    published = knowledge_page_published_text(page_id=page_id)
    if published is None:
        attachment_uses_drop(source=f"page:{page_id}")
        return
    text, authors = published
    attachment_uses_sync(
        source=f"page:{page_id}",
        kind="page",
        object_id=page_id,
        text=text,
        author_id=None,
        co_author_ids=authors,
    )


def remove_file(sender: Any, *, instance: Attachment, **kwargs: Any) -> None:
    """Delete a deleted attachment's stored file once the deletion is committed
    (a rollback keeps both): erasure, a person deleted outright (their rows
    cascade), the admin."""
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def connect() -> None:
    """Listen to the events of every app whose posts can link files, and to
    attachments being deleted."""
    post_delete.connect(remove_file, sender=Attachment, dispatch_uid="uploads.files")
    post_changed.connect(on_post_changed, dispatch_uid="uploads.post_changed")
    entry_changed.connect(on_entry_changed, dispatch_uid="uploads.entry_changed")
    idea_changed.connect(on_idea_changed, dispatch_uid="uploads.idea_changed")
    knowledge_page_published.connect(
        on_page_published, dispatch_uid="uploads.knowledge_page_published"
    )
