"""Routing: asking the people who know a topic to help with a question.

"Can you help?" requests to the top experts of a new question (at most a
daily cap per person), and the escalation of questions left unanswered to
their community's leads, team and experts. Fan-out to followers is
``fanout.py``.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from hallway.providers import provider
from kb.communities.models import Membership
from kb.qa.models import Answer, Question

from .models import Kind, Notification, QuestionEscalation
from .services import notification_send
from .signals import question_escalated

ROUTING_LIMIT = 5
ESCALATION_EXPERTS = 10
ESCALATE_AFTER = timedelta(hours=12)
# Older questions (imports, backfills) are never escalated in bulk.
ESCALATION_WINDOW = timedelta(days=7)


def routing_daily_cap() -> int:
    return int(getattr(settings, "HALLWAY_ROUTING_DAILY_CAP", 3))


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
