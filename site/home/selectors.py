"""Reads for the home page around the feed: time to first answer, next steps
for new members and the public front page. The feed itself is ``feed.py``.
"""

import statistics
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from journals.models import PersonFollow, TagFollow
from kb.communities.models import Membership
from kb.communities.selectors import community_ids_for, knowledge_pages_visible
from kb.qa.models import Answer, Question

from .feed import RECENT_DAYS

# -- time to first answer ---------------------------------------------------------


def time_to_first_answer(*, viewer=None, now: datetime | None = None) -> dict:
    """Median time to first answer over the last 30 days (my communities or all)."""
    now = now or timezone.now()
    community_ids = community_ids_for(viewer)
    questions = Question.objects.visible().filter(
        created_at__gte=now - timedelta(days=RECENT_DAYS)
    )
    if community_ids:
        questions = questions.filter(community_id__in=community_ids)
    rows = list(questions.values_list("created_at", "first_answer_at", "status"))
    waits = [answered - asked for asked, answered, _s in rows if answered]
    waiting = sum(
        1 for _a, answered, status in rows if not answered and status == "open"
    )
    median = statistics.median(waits) if waits else None
    return {
        "scope": "communities" if community_ids else "site",
        "median": median,
        "median_text": duration_text(median) if median is not None else "",
        "answered": len(waits),
        "waiting": waiting,
        "days": RECENT_DAYS,
    }


def duration_text(delta: timedelta) -> str:
    """A short human duration: "45 min", "3 h 20 min", "2 days"."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    if minutes < 60:
        return _("%(n)s min") % {"n": minutes}
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        if minutes:
            return _("%(h)s h %(m)s min") % {"h": hours, "m": minutes}
        return _("%(h)s h") % {"h": hours}
    return _("%(n)s days") % {"n": round(hours / 24)}


# -- next steps and the public front page ------------------------------------------


def next_steps(*, viewer) -> list[dict]:
    """What a (new) member could do next, for the empty states."""
    joined = Membership.objects.filter(user=viewer).exists()
    follows = (
        PersonFollow.objects.filter(follower=viewer).exists()
        or TagFollow.objects.filter(follower=viewer).exists()
    )
    answered = Answer.objects.filter(author=viewer, is_deleted=False).exists()
    steps = []
    if not joined:
        steps.append(
            {
                "key": "join",
                "text": _("Join a community to see its new knowledge pages."),
                "url": "/knowledge/",
                "label": _("Browse communities"),
            }
        )
    if not follows:
        steps.append(
            {
                "key": "follow",
                "text": _("Follow a few tags or people to see their journal entries."),
                "url": reverse("journals:feed"),
                "label": _("Find tags and people to follow"),
            }
        )
    if not answered:
        steps.append(
            {
                "key": "answer",
                "text": _(
                    "Answer a question you know about: we will suggest more like it."
                ),
                "url": reverse("qa:question-list") + "?sort=unanswered",
                "label": _("See unanswered questions"),
            }
        )
    return steps


def front_page(*, limit: int = 5) -> dict:
    """What logged-out visitors see: recent public questions and knowledge pages."""
    questions = list(
        Question.objects.visible()
        .select_related("community")
        .order_by("-created_at", "-pk")[:limit]
    )
    pages = list(knowledge_pages_visible().order_by("-first_published_at")[:limit])
    return {"recent_questions": questions, "recent_pages": pages}
