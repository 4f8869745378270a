"""Who hears about what: turns Q&A and journal events into notifications.

Fan-out only: who follows, was mentioned or takes part. Asking experts
("can you help?") and escalating unanswered questions is ``routing.py``.

Runs in background tasks (``tasks.py``) from ids, after the writer committed.
One person gets at most one notification per event (the most direct kind).
Every recipient can see the target: journal entries go through
``Entry.objects.visible_to``; questions are open to everyone once visible.
"""

import re
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from journals.models import Entry, EntryComment, PersonFollow, TagFollow
from kb.communities.models import KnowledgePage, Membership
from kb.qa.models import Answer, Comment, Question, QuestionFollow

from .models import CommunityFollow, Kind, Notification
from .routing import route_question
from .services import notification_send

MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.+-]{0,149})")


def mentioned_user_ids(text: str) -> set[int]:
    """Active people named as ``@username`` in ``text``."""
    names = {name.rstrip(".-") for name in MENTION_RE.findall(text or "")}
    if not names:
        return set()
    return set(
        get_user_model()
        .objects.filter(username__in=names, is_active=True)
        .values_list("pk", flat=True)
    )


# -- Q&A ----------------------------------------------------------------------


def qa_event_fanout(
    *, kind: str, pk: int, question_id: int, action: str, now: datetime | None = None
) -> int:
    """Dispatch one ``post_changed`` event; returns notifications written."""
    handlers = {
        ("question", "created"): lambda: question_created_fanout(
            question_id=pk, now=now
        ),
        ("answer", "created"): lambda: answer_created_fanout(answer_id=pk, now=now),
        ("answer", "accepted"): lambda: answer_accepted_fanout(answer_id=pk, now=now),
        ("comment", "created"): lambda: comment_created_fanout(comment_id=pk, now=now),
        ("question", "deleted"): lambda: question_removed(question_id=pk),
    }
    handler = handlers.get((kind, action))
    return handler() if handler else 0


def _question(question_id: int):

    return (
        Question.objects.visible()
        .select_related("author", "community")
        .filter(pk=question_id)
        .first()
    )


def question_created_fanout(*, question_id: int, now: datetime | None = None) -> int:
    """Mentions, routing to experts, then followers of its tags and community."""

    question = _question(question_id)
    if question is None:
        return 0
    names = list(question.tags.names())
    done = {question.author_id}
    common = {
        "actor": question.author,
        "target_kind": "question",
        "target_id": question.pk,
        "url": question.get_absolute_url(),
        "title": question.title,
        "event": f"question:{question.pk}",
        "now": now,
    }
    written = 0

    mentioned = mentioned_user_ids(f"{question.title}\n{question.body}") - done
    written += len(
        notification_send(recipient_ids=mentioned, kind=Kind.MENTION, **common)
    )
    done |= mentioned

    routed = route_question(question=question, exclude=done, now=now)
    written += len(routed)
    done |= {row.recipient_id for row in routed}

    for name in names:
        followers = (
            set(
                TagFollow.objects.filter(tag_name=name).values_list(
                    "follower_id", flat=True
                )
            )
            - done
        )
        written += len(
            notification_send(
                recipient_ids=followers,
                kind=Kind.NEW_QUESTION_IN_FOLLOWED_TAG,
                group=f"tag:{name}",
                group_label=name,
                **common,
            )
        )
        done |= followers

    followers = community_follower_ids(community_id=question.community_id) - done
    written += len(
        notification_send(
            recipient_ids=followers,
            kind=Kind.NEW_QUESTION_IN_FOLLOWED_COMMUNITY,
            group=f"community:{question.community_id}",
            group_label=question.community.title,
            **common,
        )
    )
    return written


def community_follower_ids(*, community_id: int) -> set[int]:
    """Members (any role) and explicit followers of a community."""

    members = Membership.objects.filter(community_id=community_id).values_list(
        "user_id", flat=True
    )
    follows = CommunityFollow.objects.filter(community_id=community_id).values_list(
        "user_id", flat=True
    )
    return set(members) | set(follows)


def answer_created_fanout(*, answer_id: int, now: datetime | None = None) -> int:
    """The asker, then the question's followers, then people mentioned."""

    answer = (
        Answer.objects.visible().select_related("author").filter(pk=answer_id).first()
    )
    question = _question(answer.question_id) if answer else None
    if question is None:
        return 0
    common = {
        "actor": answer.author,
        "target_kind": "question",
        "target_id": question.pk,
        "url": question.get_absolute_url(),
        "title": question.title,
        "event": f"answer:{answer.pk}",
        "now": now,
    }
    done = {answer.author_id}
    # Whoever answered no longer needs asking whether they can help.
    Notification.objects.filter(
        recipient_id=answer.author_id,
        kind__in=[Kind.CAN_YOU_HELP, Kind.ESCALATION],
        target_kind="question",
        target_id=question.pk,
        read_at__isnull=True,
    ).update(read_at=now or timezone.now())
    written = 0
    if question.author_id not in done:
        written += len(
            notification_send(
                recipient_ids=[question.author_id],
                kind=Kind.ANSWER_TO_MY_QUESTION,
                **common,
            )
        )
        done.add(question.author_id)
    followers = (
        set(
            QuestionFollow.objects.filter(question=question).values_list(
                "user_id", flat=True
            )
        )
        - done
    )
    written += len(
        notification_send(
            recipient_ids=followers, kind=Kind.ACTIVITY_ON_FOLLOWED_QUESTION, **common
        )
    )
    done |= followers
    mentioned = mentioned_user_ids(answer.body) - done
    written += len(
        notification_send(recipient_ids=mentioned, kind=Kind.MENTION, **common)
    )
    return written


def answer_accepted_fanout(*, answer_id: int, now: datetime | None = None) -> int:
    """Tell the answerer their answer was accepted."""

    answer = Answer.objects.visible().filter(pk=answer_id).first()
    question = _question(answer.question_id) if answer else None
    if question is None or question.accepted_answer_id != answer.pk:
        return 0
    return len(
        notification_send(
            recipient_ids=[answer.author_id],
            kind=Kind.MY_ANSWER_ACCEPTED,
            actor=question.author,
            target_kind="answer",
            target_id=answer.pk,
            url=f"{question.get_absolute_url()}#answer-{answer.pk}",
            title=question.title,
            event=f"accepted:{answer.pk}",
            now=now,
        )
    )


def comment_created_fanout(*, comment_id: int, now: datetime | None = None) -> int:
    """The post's author, then people mentioned in the comment."""

    comment = (
        Comment.objects.filter(pk=comment_id, is_deleted=False)
        .select_related("author", "answer", "question")
        .first()
    )
    if comment is None:
        return 0
    post = comment.answer or comment.question
    question = _question(comment.answer.question_id if comment.answer else post.pk)
    if question is None or getattr(post, "is_deleted", False):
        return 0
    url = question.get_absolute_url()
    if comment.answer_id:
        url += f"#answer-{comment.answer_id}"
    common = {
        "actor": comment.author,
        "target_kind": "answer" if comment.answer_id else "question",
        "target_id": post.pk,
        "url": url,
        "title": question.title,
        "event": f"comment:{comment.pk}",
        "now": now,
    }
    return _comment_notify(comment=comment, owner_id=post.author_id, common=common)


def _comment_notify(*, comment, owner_id: int, common: dict, readers=None) -> int:
    """The commented post's owner, then the people mentioned (``readers`` narrows
    the mentions to those who may see the post); the commenter never."""
    written = 0
    done = {comment.author_id}
    if owner_id not in done:
        written += len(
            notification_send(
                recipient_ids=[owner_id], kind=Kind.COMMENT_ON_MY_POST, **common
            )
        )
        done.add(owner_id)
    mentioned = mentioned_user_ids(comment.body) - done
    if readers is not None:
        mentioned = readers(mentioned)
    written += len(
        notification_send(recipient_ids=mentioned, kind=Kind.MENTION, **common)
    )
    return written


# -- reminders -----------------------------------------------------------------


def reviews_due_notify(*, now: datetime | None = None) -> int:
    """Tell owners of live knowledge pages due for review (once per due date)."""

    now = now or timezone.now()
    written = 0
    pages = KnowledgePage.objects.live().select_related("owner")
    for page in pages.prefetch_related("sources"):
        if not page.owner_id or not page.needs_review:
            continue
        due = page.review_due_at or now
        written += len(
            notification_send(
                recipient_ids=[page.owner_id],
                kind=Kind.MY_PAGE_DUE_FOR_REVIEW,
                target_kind="page",
                target_id=page.pk,
                url=page.url or "",
                title=page.title,
                group=f"page:{page.pk}:{due.date().isoformat()}",
                once=True,
                now=now,
            )
        )
    return written


# -- journals -----------------------------------------------------------------


def _can_see(entry_id: int, users) -> list:

    return [
        user
        for user in users
        if Entry.objects.visible_to(user).filter(pk=entry_id).exists()
    ]


def _active_users(ids: Iterable[int]) -> list:
    return list(get_user_model().objects.filter(pk__in=set(ids), is_active=True))


def entry_created_fanout(*, entry_id: int, now: datetime | None = None) -> int:
    """People mentioned, then followers of the author, if they may see the entry."""

    entry = Entry.objects.select_related("author").filter(pk=entry_id).first()
    if entry is None or entry.visibility == Entry.Visibility.PRIVATE:
        return 0
    common = {
        "actor": entry.author,
        "target_kind": "entry",
        "target_id": entry.pk,
        "url": entry.get_absolute_url(),
        "title": entry.display_title,
        "event": f"entry:{entry.pk}",
        "now": now,
    }
    done = {entry.author_id}
    mentioned = mentioned_user_ids(f"{entry.title}\n{entry.body}") - done
    readers = [user.pk for user in _can_see(entry.pk, _active_users(mentioned))]
    written = len(notification_send(recipient_ids=readers, kind=Kind.MENTION, **common))
    done |= mentioned
    follower_ids = (
        set(
            PersonFollow.objects.filter(followed_id=entry.author_id).values_list(
                "follower_id", flat=True
            )
        )
        - done
    )
    readers = [user.pk for user in _can_see(entry.pk, _active_users(follower_ids))]
    written += len(
        notification_send(
            recipient_ids=readers,
            kind=Kind.NEW_ENTRY_BY_FOLLOWED_PERSON,
            group=f"person:{entry.author_id}",
            **common,
        )
    )
    return written


def entry_comment_fanout(*, comment_id: int, now: datetime | None = None) -> int:
    """The entry's author, then people mentioned who may see the entry."""

    comment = (
        EntryComment.objects.select_related("author", "entry")
        .filter(pk=comment_id)
        .first()
    )
    if comment is None:
        return 0
    entry = comment.entry
    common = {
        "actor": comment.author,
        "target_kind": "entry",
        "target_id": entry.pk,
        "url": f"{entry.get_absolute_url()}#comment-{comment.pk}",
        "title": entry.display_title,
        "event": f"entry-comment:{comment.pk}",
        "now": now,
    }
    return _comment_notify(
        comment=comment,
        owner_id=entry.author_id,
        common=common,
        readers=lambda ids: [u.pk for u in _can_see(entry.pk, _active_users(ids))],
    )


def entry_visibility_recheck(*, entry_id: int) -> int:
    """Withdraw notifications about an entry from people who may no longer see it.

    Runs after an entry is edited (narrower visibility) or deleted; returns how
    many notifications were removed.
    """

    about = Notification.objects.filter(target_kind="entry", target_id=entry_id)
    if not Entry.objects.filter(pk=entry_id).exists():
        return about.delete()[0]
    recipients = get_user_model().objects.filter(
        pk__in=about.values_list("recipient_id", flat=True)
    )
    readers = {user.pk for user in _can_see(entry_id, recipients)}
    return about.exclude(recipient_id__in=readers).delete()[0]


def question_removed(*, question_id: int) -> int:
    """A deleted question takes its notifications with it."""
    if _question(question_id) is not None:  # restored since
        return 0
    return Notification.objects.filter(
        target_kind="question", target_id=question_id
    ).delete()[0]
