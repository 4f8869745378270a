"""Who hears about what: turns Q&A and journal events into notifications.

Runs in background tasks (``tasks.py``) from ids, after the writer committed.
One person gets at most one notification per event (the most direct kind).
Every recipient can see the target: journal entries go through
``Entry.objects.visible_to``; questions are open to everyone once visible.
"""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from hallway.providers import provider
from journals.models import Entry, EntryComment, PersonFollow, TagFollow
from kb.communities.models import KnowledgePage, Membership
from kb.qa.models import Answer, Comment, Question, QuestionFollow

from .models import CommunityFollow, Kind, Notification, QuestionEscalation
from .services import notification_send
from .signals import question_escalated

MENTION_RE = re.compile(r"(?<![\w@/])@([A-Za-z0-9_][A-Za-z0-9_.+-]{0,149})")
ROUTING_LIMIT = 5
ESCALATION_EXPERTS = 10
ESCALATE_AFTER = timedelta(hours=12)
# Older questions (imports, backfills) are never escalated in bulk.
ESCALATION_WINDOW = timedelta(days=7)


def routing_daily_cap() -> int:
    return int(getattr(settings, "HALLWAY_ROUTING_DAILY_CAP", 3))


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


# -- routing and escalation ---------------------------------------------------


def experts_for(*, question, limit: int) -> list[int]:
    """Active people who know the question's topic, best first (asker excluded).

    Asks search's one expertise selector (``experts``): its ranking when a node
    runs, else most accepted answers in the question's tags. Imported and
    former accounts count there as evidence but are never asked; the check
    below also drops anyone deactivated since the people index was built.
    """
    names = list(question.tags.names())
    find = provider("experts")
    if find is None:
        return []
    found = find(
        q=" ".join([question.title, *names]),
        viewer=question.author,
        limit=limit * 2,
        reachable_only=True,
        tags=names,
    )
    if not found:
        return []
    usernames = [person["username"] for person in found]
    by_name = dict(
        get_user_model()
        .objects.filter(username__in=usernames, is_active=True)
        .exclude(pk=question.author_id)
        .values_list("username", "pk")
    )
    return [by_name[name] for name in usernames if name in by_name][:limit]


def routed_today(*, user_ids: Iterable[int], now: datetime) -> dict[int, int]:
    """How many "can you help?" requests each person got in the last 24 hours."""
    rows = (
        Notification.objects.filter(
            recipient_id__in=list(user_ids),
            kind=Kind.CAN_YOU_HELP,
            created_at__gt=now - timedelta(hours=24),
        )
        .values("recipient_id")
        .annotate(n=Count("pk"))
    )
    return {row["recipient_id"]: row["n"] for row in rows}


def route_question(
    *, question, exclude: Iterable[int] = (), now: datetime | None = None
) -> list[Notification]:
    """Ask the top experts "can you help?", at most the daily cap per person."""
    now = now or timezone.now()
    answered = Answer.objects.visible().filter(question_id=question.pk)
    excluded = (
        set(exclude)
        | {question.author_id}
        | set(answered.values_list("author_id", flat=True))
    )
    candidates = [
        pk
        for pk in experts_for(question=question, limit=ROUTING_LIMIT + len(excluded))
        if pk not in excluded
    ][:ROUTING_LIMIT]
    counts = routed_today(user_ids=candidates, now=now)
    cap = routing_daily_cap()
    allowed = [pk for pk in candidates if counts.get(pk, 0) < cap]
    return notification_send(
        recipient_ids=allowed,
        kind=Kind.CAN_YOU_HELP,
        actor=question.author,
        target_kind="question",
        target_id=question.pk,
        url=question.get_absolute_url(),
        title=question.title,
        now=now,
    )


def escalate_unanswered(*, now: datetime | None = None) -> int:
    """Escalate questions unanswered for 12 hours to leads, team and experts.

    Each question is escalated once; returns how many were escalated.
    """

    now = now or timezone.now()
    due = (
        Question.objects.visible()
        .open()
        .unanswered()
        .filter(
            created_at__lte=now - ESCALATE_AFTER,
            created_at__gt=now - ESCALATION_WINDOW,
        )
        .exclude(
            pk__in=QuestionEscalation.objects.values_list("question_id", flat=True)
        )
        .select_related("author", "community")
        .order_by("created_at")
    )
    escalated = 0
    for question in due:
        try:
            with transaction.atomic():
                mark = QuestionEscalation.objects.create(
                    question_id=question.pk, escalated_at=now
                )
        except IntegrityError:  # another worker got there first
            continue
        leads = Membership.objects.filter(
            community_id=question.community_id,
            role__in=[Membership.Role.LEAD, Membership.Role.TEAM],
        ).values_list("user_id", flat=True)
        recipients = set(leads) | set(
            experts_for(question=question, limit=ESCALATION_EXPERTS)
        )
        recipients.discard(question.author_id)
        sent = notification_send(
            recipient_ids=recipients,
            kind=Kind.ESCALATION,
            target_kind="question",
            target_id=question.pk,
            url=question.get_absolute_url(),
            title=question.title,
            once=True,
            now=now,
        )
        mark.notified = len(sent)
        mark.save(update_fields=["notified"])
        question_id = question.pk
        transaction.on_commit(
            lambda question_id=question_id: question_escalated.send(
                sender=QuestionEscalation, question_id=question_id
            )
        )
        escalated += 1
    return escalated


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
