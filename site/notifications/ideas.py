"""Fan-out of idea events: the author, voters and followers hear about answers.

Recipients are always narrowed to those who may still see the idea (the ideas
app's own rule, ``kb.ideas.selectors.idea_readers``).
"""

from datetime import datetime

from django.contrib.auth import get_user_model

from kb.ideas.models import Idea, IdeaComment, IdeaCredit
from kb.ideas.selectors import idea_audience, idea_readers

from .models import Kind
from .services import notification_send


def _idea(idea_id: int) -> Idea | None:
    return (
        Idea.objects.select_related("campaign", "campaign__community", "author")
        .filter(pk=idea_id)
        .first()
    )


def _actor(actor_id: int | None):
    if actor_id is None:
        return None
    return get_user_model().objects.filter(pk=actor_id).first()


def _authors(idea: Idea) -> set[int]:
    return set(IdeaCredit.objects.filter(idea=idea).values_list("user_id", flat=True))


def idea_event_fanout(
    *,
    kind: str,
    pk: int,
    idea_id: int | None,
    action: str,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """Dispatch one ``idea_changed`` event; returns notifications written."""
    if kind == "comment" and action == "created":
        return idea_comment_fanout(comment_id=pk, now=now)
    if kind != "idea" or idea_id is None:
        return 0
    if action == "status_changed":
        return idea_status_fanout(idea_id=pk, actor_id=actor_id, now=now)
    if action == "merged":
        return idea_merged_fanout(
            idea_id=pk, into_id=idea_id, actor_id=actor_id, now=now
        )
    if action == "hidden":
        return idea_hidden_fanout(idea_id=pk, actor_id=actor_id, now=now)
    return 0


def idea_status_fanout(
    *, idea_id: int, actor_id: int | None = None, now: datetime | None = None
) -> int:
    """The credited authors at once; voters and followers as "ideas I support"."""
    idea = _idea(idea_id)
    if idea is None:
        return 0
    common = {
        "actor": _actor(actor_id),
        "target_kind": "idea",
        "target_id": idea.pk,
        "url": idea.get_absolute_url(),
        "title": idea.title,
        "group_label": Idea.Status(idea.status).label,
        "now": now,
    }
    audience = idea_audience(idea=idea)
    authors = _authors(idea) & audience
    written = len(
        notification_send(recipient_ids=authors, kind=Kind.MY_IDEA_ANSWERED, **common)
    )
    written += len(
        notification_send(
            recipient_ids=audience - authors, kind=Kind.IDEA_STATUS_CHANGED, **common
        )
    )
    return written


def idea_merged_fanout(
    *,
    idea_id: int,
    into_id: int,
    actor_id: int | None = None,
    now: datetime | None = None,
) -> int:
    """The merged idea's authors and followers learn where it (and its votes) went."""
    idea, into = _idea(idea_id), _idea(into_id)
    if idea is None or into is None:
        return 0
    authors = _authors(idea)
    readers = idea_readers(idea=into, user_ids=authors)
    return len(
        notification_send(
            recipient_ids=readers,
            kind=Kind.MY_IDEA_ANSWERED,
            actor=_actor(actor_id),
            target_kind="idea",
            target_id=into.pk,
            url=into.get_absolute_url(),
            title=idea.title,
            group_label=Idea.Status(idea.status).label,
            now=now,
        )
    )


def idea_hidden_fanout(
    *, idea_id: int, actor_id: int | None = None, now: datetime | None = None
) -> int:
    """The author sees that (and why) a lead hid the idea."""
    idea = _idea(idea_id)
    if idea is None or not idea.is_hidden:
        return 0
    return len(
        notification_send(
            recipient_ids=[idea.author_id],
            kind=Kind.MY_IDEA_HIDDEN,
            actor=_actor(actor_id),
            target_kind="idea",
            target_id=idea.pk,
            url=idea.get_absolute_url(),
            title=idea.title,
            group_label=idea.hidden_reason[:300],
            now=now,
        )
    )


def idea_comment_fanout(*, comment_id: int, now: datetime | None = None) -> int:
    """The idea's credited authors hear about a comment (never the commenter)."""
    comment = (
        IdeaComment.objects.select_related("author", "idea")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    idea = _idea(comment.idea_id)
    if idea is None:
        return 0
    authors = idea_readers(idea=idea, user_ids=_authors(idea)) - {comment.author_id}
    return len(
        notification_send(
            recipient_ids=authors,
            kind=Kind.COMMENT_ON_MY_POST,
            actor=comment.author,
            target_kind="idea",
            target_id=idea.pk,
            url=f"{idea.get_absolute_url()}#comment-{comment.pk}",
            title=idea.title,
            now=now,
        )
    )
