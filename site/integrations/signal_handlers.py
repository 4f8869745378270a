"""Turn the content apps' domain events into webhook events for the task worker.

Every listened-to signal is already sent after commit, with ids: the handler
only enqueues ``dispatch_event_task`` (never work in the request).
"""

import logging

from django.utils import timezone

from journals.signals import entry_changed
from kb.communities.signals import knowledge_page_published
from kb.ideas.signals import idea_changed
from kb.qa.signals import post_changed
from notifications.signals import question_escalated

from .tasks import dispatch_event_task

log = logging.getLogger(__name__)

# (kind, action) of kb.qa's post_changed → webhook event; the id sent is ``pk``.
QA_EVENTS = {
    ("question", "created"): "question.created",
    ("answer", "created"): "answer.created",
    ("answer", "accepted"): "answer.accepted",
}
SHARED = {"community", "organisation"}


def dispatch(event: str, object_id: int) -> None:
    """Queue the dispatch of one event (a queue outage never fails the write)."""
    try:
        dispatch_event_task.enqueue(event, object_id, timezone.now().isoformat())
    except Exception:
        log.exception("Could not enqueue webhook event %s %s", event, object_id)


def on_post_changed(sender, *, kind, pk, action, **kwargs) -> None:
    event = QA_EVENTS.get((kind, action))
    if event:
        dispatch(event, pk)


def on_knowledge_page_published(sender, *, page_id, first, **kwargs) -> None:
    if first:
        dispatch("page.published", page_id)


def on_entry_changed(
    sender, *, pk, action, visibility, previous_visibility=None, **kwargs
) -> None:
    """An entry is published when it first becomes visible beyond its author."""
    shared_now = visibility in SHARED
    shared_before = previous_visibility in SHARED
    if action in {"created", "edited"} and shared_now and not shared_before:
        dispatch("journal.entry.published", pk)


# (kind, action) of kb.ideas' idea_changed → webhook event; the id sent is ``pk``.
IDEA_EVENTS = {
    ("idea", "created"): "idea.created",
    ("idea", "status_changed"): "idea.status_changed",
}


def on_idea_changed(sender, *, kind, pk, action, **kwargs) -> None:
    event = IDEA_EVENTS.get((kind, action))
    if event:
        dispatch(event, pk)


def on_question_escalated(sender, *, question_id, **kwargs) -> None:
    dispatch("question.unanswered", question_id)


def connect() -> None:
    """Wire the handlers (from ``IntegrationsConfig.ready``)."""
    post_changed.connect(on_post_changed, dispatch_uid="integrations.post_changed")
    knowledge_page_published.connect(
        on_knowledge_page_published, dispatch_uid="integrations.page_published"
    )
    entry_changed.connect(on_entry_changed, dispatch_uid="integrations.entry_changed")
    idea_changed.connect(on_idea_changed, dispatch_uid="integrations.idea_changed")
    question_escalated.connect(
        on_question_escalated, dispatch_uid="integrations.question_escalated"
    )
