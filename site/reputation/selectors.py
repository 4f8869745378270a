"""Reads for the people pages: the directory, profiles, reputation and participation."""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Exists,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision

from hallway.providers import provider
from journals.models import Entry, EntryComment, Reaction
from journals.selectors import person_journal_page
from kb.communities.models import (
    KnowledgePage,
    KnowledgeSource,
    Membership,
    PageFeedback,
)
from kb.communities.selectors import community_list, knowledge_pages_visible
from kb.ideas.models import Idea, IdeaComment, IdeaVote
from kb.qa.models import Answer, Comment, Question, Vote
from people.models import Profile, User
from people.selectors import profile_of

from .models import Badge, ReputationEvent

# -- reputation ---------------------------------------------------------------


def reputation_of(*, user: User) -> int:
    """The sum of ``user``'s ledger."""
    total = ReputationEvent.objects.filter(user=user).aggregate(t=Sum("points"))["t"]
    return total or 0


def reputation_bulk(*, user_ids) -> dict[int, int]:
    """Ledger sums for many people in one query (missing people have 0)."""
    rows = (
        ReputationEvent.objects.filter(user_id__in=list(user_ids))
        .values("user_id")
        .annotate(total=Sum("points"))
    )
    totals = {row["user_id"]: row["total"] for row in rows}
    return {user_id: totals.get(user_id, 0) for user_id in user_ids}


def reputation_expression():
    """An annotation: the ledger sum of the outer user row."""
    rows = (
        ReputationEvent.objects.filter(user=OuterRef("pk"))
        .order_by()
        .values("user")
        .annotate(total=Sum("points"))
        .values("total")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def reputation_events(*, user: User, limit: int = 10) -> list[ReputationEvent]:
    """The latest lines of ``user``'s ledger."""
    return list(ReputationEvent.objects.filter(user=user)[:limit])


# -- participation ------------------------------------------------------------

CONSUMER, CONTRIBUTOR, CREATOR = "consumer", "contributor", "creator"
LEVELS = [CONSUMER, CONTRIBUTOR, CREATOR]
LEVEL_LABELS = {
    CONSUMER: _("Consumer"),
    CONTRIBUTOR: _("Contributor"),
    CREATOR: _("Creator"),
}
LEVEL_HELP = {
    CONSUMER: _("reads what others share"),
    CONTRIBUTOR: _("votes, comments, reacts and answers"),
    CREATOR: _("asks questions, writes pages or journal entries"),
}


def _activity_annotations() -> dict:
    """One ``Exists`` per kind of activity, correlated with the outer user row."""
    me = OuterRef("pk")
    return {
        # creator
        "has_asked": Exists(Question.objects.filter(author=me, is_deleted=False)),
        "has_entries": Exists(
            Entry.objects.filter(author=me).exclude(visibility=Entry.Visibility.PRIVATE)
        ),
        "has_ideas": Exists(Idea.objects.filter(author=me, is_hidden=False)),
        "has_pages": Exists(KnowledgePage.owners.through.objects.filter(user=me))
        | Exists(KnowledgeSource.objects.filter(curated_by=me)),
        # contributor
        "has_answered": Exists(Answer.objects.filter(author=me, is_deleted=False)),
        "has_interacted": Exists(Vote.objects.filter(user=me))
        | Exists(Comment.objects.filter(author=me, is_deleted=False))
        | Exists(Reaction.objects.filter(user=me))
        | Exists(EntryComment.objects.filter(author=me))
        | Exists(PageFeedback.objects.filter(user=me))
        | Exists(IdeaVote.objects.filter(user=me))
        | Exists(IdeaComment.objects.filter(author=me)),
    }


def with_activity(people: QuerySet[User]) -> QuerySet[User]:
    """Annotate the flags ``level_from`` needs (one query for any number)."""
    return people.annotate(**_activity_annotations())


def level_from(person) -> str:
    """The participation level from ``with_activity`` flags."""
    if person.has_asked or person.has_entries or person.has_pages or person.has_ideas:
        return CREATOR
    if person.has_answered or person.has_interacted:
        return CONTRIBUTOR
    return CONSUMER


@dataclass
class Participation:
    level: str
    label: str
    help: str
    next_step: str
    next_url: str
    flags: dict


def participation_of(*, user: User) -> Participation:
    """``user``'s level with the next step that would help them (and others)."""
    person = with_activity(User.objects.filter(pk=user.pk)).get()
    level = level_from(person)
    flags = {name: getattr(person, name) for name in _activity_annotations()}
    if not person.has_answered:  # type: ignore[attr-defined]
        step, url = _("Answer a question in your tags"), reverse("qa:question-list")
    elif not person.has_asked:  # type: ignore[attr-defined]
        step, url = _("Ask your first question"), reverse("qa:question-ask")
    elif not person.has_entries:  # type: ignore[attr-defined]
        step, url = _("Write your first journal entry"), reverse("journals:write")
    elif level == CREATOR and not person.has_pages:  # type: ignore[attr-defined]
        step, url = (
            _("Turn a good answer into a knowledge page"),
            reverse("qa:question-list"),
        )
    else:
        step, url = _("Help someone who is stuck"), reverse("journals:feed")
    return Participation(
        level=level,
        label=str(LEVEL_LABELS[level]),
        help=str(LEVEL_HELP[level]),
        next_step=str(step),
        next_url=url,
        flags=flags,
    )


def participation_share(*, community) -> dict:
    """How many active members of ``community`` are at each level (one query)."""
    members = with_activity(
        User.objects.filter(memberships__community=community, is_active=True)
    )
    counts = dict.fromkeys(LEVELS, 0)
    for person in members:
        counts[level_from(person)] += 1
    total = sum(counts.values())
    return {
        "total": total,
        "levels": [
            {
                "level": level,
                "label": LEVEL_LABELS[level],
                "count": counts[level],
                "percent": round(100 * counts[level] / total) if total else 0,
            }
            for level in LEVELS
        ],
    }


def participation_weeks(
    *, community_ids: set[int], weeks: int = 12, now=None
) -> list[dict]:
    """Per week (oldest first, Monday to Sunday), how the current members of
    these communities took part: how many were members, how many created
    something (question, shared journal entry, idea, a knowledge page
    version), how many only contributed (answer, comment, vote, reaction,
    feedback) and how many did neither (read at most). Each person counts
    once a week, at their highest level, as ``level_from`` ranks them;
    three queries whatever the numbers."""
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    first_monday = today - timedelta(days=today.weekday(), weeks=weeks - 1)
    start = timezone.make_aware(datetime.combine(first_monday, time.min))
    members = (
        Membership.objects.filter(community_id__in=community_ids, user__is_active=True)
        .values("user_id")
        .annotate(joined=Min("joined_at"))
    )
    joined = {row["user_id"]: row["joined"] for row in members}
    people = list(joined)

    def since(queryset, who: str):
        return (
            queryset.filter(
                **{
                    f"{who}__in": people,
                    "created_at__gte": start,
                    "created_at__lte": now,
                }
            )
            .order_by()
            .values_list(who, "created_at")
        )

    page_type = ContentType.objects.get_for_model(KnowledgePage)
    created = since(Question.objects.filter(is_deleted=False), "author_id").union(
        since(Entry.objects.exclude(visibility=Entry.Visibility.PRIVATE), "author_id"),
        since(Idea.objects.filter(is_hidden=False), "author_id"),
        since(Revision.objects.filter(content_type=page_type), "user_id"),
        all=True,
    )
    contributed = since(Answer.objects.filter(is_deleted=False), "author_id").union(
        since(Comment.objects.filter(is_deleted=False), "author_id"),
        since(Vote.objects.all(), "user_id"),
        since(Reaction.objects.all(), "user_id"),
        since(EntryComment.objects.all(), "author_id"),
        since(PageFeedback.objects.all(), "user_id"),
        since(IdeaVote.objects.all(), "user_id"),
        since(IdeaComment.objects.all(), "author_id"),
        all=True,
    )

    def by_week(rows) -> list[set[int]]:
        found: list[set[int]] = [set() for _ in range(weeks)]
        for user_id, moment in rows:
            index = (timezone.localtime(moment).date() - first_monday).days // 7
            if 0 <= index < weeks:
                found[index].add(user_id)
        return found

    creators, contributors = by_week(created), by_week(contributed)
    result = []
    for i in range(weeks):
        week = first_monday + timedelta(weeks=i)
        end = timezone.make_aware(datetime.combine(week + timedelta(days=7), time.min))
        member_count = sum(1 for moment in joined.values() if moment < end)
        only_contributed = contributors[i] - creators[i]
        active = len(creators[i]) + len(only_contributed)
        result.append(
            {
                "week": week,
                "members": max(member_count, active),
                "creators": len(creators[i]),
                "contributors": len(only_contributed),
                "readers": max(member_count - active, 0),
            }
        )
    return result


# -- directory ----------------------------------------------------------------


def people_list(
    *,
    query: str = "",
    office: str = "",
    department: str = "",
    community: str = "",
    tag: str = "",
) -> QuerySet[User]:
    """Active people matching the filters, by name, with profile and reputation."""
    people = User.objects.filter(is_active=True)
    if query:
        people = people.filter(
            Q(username__icontains=query)
            | Q(display_name__icontains=query)
            | Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
        )
    if office:
        people = people.filter(profile__office__iexact=office)
    if department:
        people = people.filter(profile__department__iexact=department)
    if community:
        people = people.filter(
            Exists(
                Membership.objects.filter(
                    user=OuterRef("pk"), community__slug=community
                )
            )
        )
    if tag:
        people = people.filter(
            Exists(
                Answer.objects.filter(
                    author=OuterRef("pk"),
                    is_deleted=False,
                    question__is_deleted=False,
                    question__tags__name__iexact=tag,
                )
            )
        )
    return (
        people.select_related("profile")
        .annotate(reputation=reputation_expression())
        .order_by("display_name", "username")
    )


def directory_filters() -> dict:
    """The choices the directory's filters offer."""

    def distinct(field: str) -> list[str]:
        return list(
            Profile.objects.filter(user__is_active=True)
            .exclude(**{field: ""})
            .order_by(field)
            .values_list(field, flat=True)
            .distinct()
        )

    return {
        "offices": distinct("office"),
        "departments": distinct("department"),
        "communities": list(community_list().only("title", "slug")),
    }


# -- profiles -----------------------------------------------------------------


def top_tags(*, user: User, limit: int = 8) -> list[dict]:
    """Tags of the questions ``user`` answered, with answer and accepted counts,
    from search's expertise selector (``expertise_tags``)."""
    find = provider("expertise_tags")
    return find(user=user, limit=limit) if find is not None else []


def badges_of(*, user: User) -> list[Badge]:
    return list(Badge.objects.filter(user=user))


def profile_context(*, person: User, viewer, limit: int = 5) -> dict:
    """Everything a profile page shows, in a fixed number of queries."""
    answered = list(
        Answer.objects.visible()
        .filter(author=person, question__in=Question.objects.visible())
        .select_related("question")
        .order_by("-created_at")[:limit]
    )
    asked = list(
        Question.objects.visible().filter(author=person).order_by("-created_at")[:limit]
    )
    context = {
        "person": person,
        "profile": profile_of(person),
        "answered": answered,
        "asked": asked,
        "answer_count": Answer.objects.visible()
        .filter(author=person, question__in=Question.objects.visible())
        .count(),
        "question_count": Question.objects.visible().filter(author=person).count(),
    }
    if not person.is_active:
        return context
    entries, _cursor = person_journal_page(viewer=viewer, author=person, limit=limit)
    context.update(
        {
            "communities": list(
                Membership.objects.filter(user=person, community__live=True)
                .select_related("community")
                .order_by("community__title")
            ),
            # The same rule as lists and search: a restricted page's title is
            # read on the page only, never on its author's profile.
            "wrote": list(
                knowledge_pages_visible()
                .filter(Q(owners=person) | Q(owner=person))
                .distinct()
                .order_by("-last_published_at")[:limit]
            ),
            "curated": list(
                knowledge_pages_visible()
                .filter(sources__curated_by=person)
                .distinct()
                .order_by("-last_published_at")[:limit]
            ),
            "entries": entries,
            "top_tags": top_tags(user=person),
            "reputation": reputation_of(user=person),
            "reputation_events": reputation_events(user=person),
            "participation": participation_of(user=person),
            "badges": badges_of(user=person),
            "is_me": getattr(viewer, "pk", None) == person.pk,
        }
    )
    return context
