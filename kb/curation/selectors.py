"""Reads for the lead dashboard: what needs a lead's attention in their communities.

The dashboard page also shows pages due for review and awaiting approval
(``kb.communities.selectors``) and failed searches (``search``'s template tag).
"""

from datetime import timedelta

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
