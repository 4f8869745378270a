"""Reads for the lead dashboard: what needs a lead's attention in their communities.

The dashboard page also shows pages due for review and awaiting approval
(``kb.communities.selectors``) and failed searches (``search``'s template tag).
"""

from datetime import timedelta
from statistics import median

from django.db.models import Q
from django.utils import timezone

from kb.communities.models import KnowledgeSource
from kb.communities.selectors import curated_community_ids
from kb.qa.models import Answer, Question


def unanswered_questions(*, user, older_than_hours: int = 12) -> list:
    """Open, unanswered questions older than 12 hours in ``user``'s communities."""
    cutoff = timezone.now() - timedelta(hours=older_than_hours)
    return list(
        Question.objects.visible()
        .open()
        .unanswered()
        .filter(community_id__in=curated_community_ids(user), created_at__lt=cutoff)
        .select_related("community", "author")
        .order_by("created_at")[:50]
    )


def question_weeks(*, community_ids: set[int], weeks: int = 12, now=None) -> list[dict]:
    """Per week (oldest first, Monday to Sunday) for questions asked in these
    communities: how many were asked, how many still have no answer, and the
    median hours until the first answer; one query."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    asked_n, unanswered_n = [0] * weeks, [0] * weeks
    waits: list[list[float]] = [[] for _ in range(weeks)]
    asked = Question.objects.visible().filter(
        community_id__in=community_ids,
        created_at__date__gte=first_monday,
        created_at__lte=now,
    )
    for created, first_answer in asked.values_list("created_at", "first_answer_at"):
        index = (timezone.localtime(created).date() - first_monday).days // 7
        if not 0 <= index < weeks:
            continue
        asked_n[index] += 1
        if first_answer is None:
            unanswered_n[index] += 1
        else:
            waits[index].append((first_answer - created).total_seconds() / 3600)
    return [
        {
            "week": first_monday + timedelta(weeks=i),
            "asked": asked_n[i],
            "unanswered": unanswered_n[i],
            "median_hours": round(median(waits[i]), 1) if waits[i] else None,
        }
        for i in range(weeks)
    ]


def answers_worth_curating(*, user, min_score: int = 3, limit: int = 10) -> list:
    """Accepted or high-scoring answers in ``user``'s communities, not yet curated."""
    community_ids = curated_community_ids(user)
    if not community_ids:
        return []
    accepted = Question.objects.filter(accepted_answer__isnull=False).values(
        "accepted_answer"
    )
    curated = KnowledgeSource.objects.filter(kind="answer").values("object_id")
    return list(
        Answer.objects.visible()
        .filter(
            question__community_id__in=community_ids,
            question__is_deleted=False,
        )
        .filter(Q(pk__in=accepted) | Q(score__gte=min_score))
        .exclude(pk__in=curated)
        .select_related("question", "author", "question__community")
        .order_by("-score", "-created_at")[:limit]
    )
