"""Reads for idea campaigns (the public surface other apps use).

Every read goes through ``Campaign.objects.visible_to`` / ``Idea.objects.
visible_to``; ``idea_principals`` states the same rule for search documents
and ``idea_readers`` for notifications.
"""

import re
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from kb.communities.models import Membership
from kb.communities.selectors import community_ids_for, curated_community_ids

from .models import (
    CLOSED_STATUSES,
    Campaign,
    Idea,
    IdeaComment,
    IdeaCredit,
    IdeaFollow,
    IdeaVote,
    ModerationEntry,
    StatusChange,
    VoteBudget,
)
from .permissions import can_moderate, can_respond

SORTS = ("top", "new", "trending", "gems")
TRENDING_DAYS = 7
SIMILAR_STOPWORDS = {
    "a",
    "an",
    "and",
    "are",
    "can",
    "do",
    "does",
    "for",
    "from",
    "how",
    "i",
    "in",
    "is",
    "it",
    "let",
    "lets",
    "my",
    "of",
    "on",
    "or",
    "our",
    "the",
    "to",
    "we",
    "what",
    "when",
    "why",
    "with",
}


# -- campaigns ----------------------------------------------------------------


def campaign_list(*, viewer, community=None) -> QuerySet[Campaign]:
    """Campaigns in ``viewer``'s scope with their (listed) idea counts, open first."""
    qs = (
        Campaign.objects.visible_to(viewer)
        .select_related("community", "sponsor")
        .annotate(
            idea_count=Count(
                "ideas",
                filter=Q(ideas__is_hidden=False, ideas__merged_into__isnull=True),
            )
        )
    )
    if community is not None:
        qs = qs.filter(community=community)
    return qs.order_by("is_idea_box", "-created_at", "-pk")  # type: ignore[return-value]


def campaign_get(*, pk: int, viewer) -> Campaign:
    """One campaign in ``viewer``'s scope, or ``Http404``."""
    campaign = (
        Campaign.objects.visible_to(viewer)
        .select_related("community", "sponsor")
        .filter(pk=pk)
        .first()
    )
    if campaign is None:
        raise Http404
    return campaign


# -- ideas --------------------------------------------------------------------


def _my_vote(viewer):
    if not getattr(viewer, "is_authenticated", False):
        return Value(0, output_field=IntegerField())
    return Case(
        When(
            Exists(IdeaVote.objects.filter(user=viewer, idea=OuterRef("pk"))),
            then=Value(1),
        ),
        default=Value(0),
        output_field=IntegerField(),
    )


def _recent_votes(now: datetime):
    rows = (
        IdeaVote.objects.filter(
            idea=OuterRef("pk"), created_at__gte=now - timedelta(days=TRENDING_DAYS)
        )
        .order_by()
        .values("idea")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def _for_listing(qs: QuerySet[Idea], viewer) -> QuerySet[Idea]:
    return (
        qs.select_related("author", "campaign", "campaign__community")
        .prefetch_related(  # type: ignore[misc]
            "tags",
            Prefetch("credits", queryset=IdeaCredit.objects.select_related("user")),
        )
        .annotate(my_vote=_my_vote(viewer))
    )


GEMS_PRIME = 1_000_003


def _gems_order(viewer):
    """A shuffle that differs between people but is stable for one person:
    ``pk * k mod p`` with a multiplier ``k`` derived from the viewer."""
    k = (int(getattr(viewer, "pk", 0) or 0) * 2_654_435_761) % (GEMS_PRIME - 1) + 1
    return (F("pk") * k) % GEMS_PRIME


def idea_list(
    *, campaign: Campaign, viewer, sort: str = "top", now: datetime | None = None
) -> QuerySet[Idea]:
    """Listed ideas of a visible campaign: ``top`` (votes), ``new``, ``trending``
    (votes in the last 7 days) or ``gems`` (seen by fewer people than the
    campaign's median, shuffled per person and stable for that person)."""
    now = now or timezone.now()
    qs = _for_listing(
        Idea.objects.visible_to(viewer).listed().filter(campaign=campaign), viewer
    )
    if sort == "new":
        return qs.order_by("-created_at", "-pk")
    if sort == "trending":
        return qs.annotate(recent_votes=_recent_votes(now)).order_by(
            "-recent_votes", "-vote_count", "-created_at", "-pk"
        )
    if sort == "gems":
        views = sorted(qs.values_list("view_count", flat=True))
        if not views:
            return qs
        median = views[(len(views) - 1) // 2]
        return (
            qs.filter(view_count__lte=median)
            .annotate(shuffle=_gems_order(viewer))
            .order_by("shuffle", "pk")
        )
    return qs.order_by("-vote_count", "-created_at", "-pk")


def idea_get(*, pk: int, viewer) -> Idea:
    """One idea ``viewer`` may see (hidden ones only to author and moderators)."""
    idea = _for_listing(Idea.objects.visible_to(viewer), viewer).filter(pk=pk).first()
    if idea is None:
        raise Http404
    return idea


def idea_list_by_ids(*, ids: list[int], viewer) -> QuerySet[Idea]:
    """Ideas ``viewer`` may see among ``ids``, ready for listing."""
    return _for_listing(Idea.objects.visible_to(viewer).filter(pk__in=ids), viewer)


def idea_context(*, idea: Idea, viewer) -> dict:
    """Everything an idea page shows besides the idea, in constant queries."""
    campaign = idea.campaign
    comments = list(IdeaComment.objects.filter(idea=idea).select_related("author"))
    history = list(
        StatusChange.objects.filter(idea=idea)
        .select_related("by")
        .order_by("created_at", "pk")
    )
    merged_from = list(
        Idea.objects.filter(merged_into=idea)
        .select_related("author")
        .order_by("created_at")
    )
    built_on_by = list(
        Idea.objects.visible_to(viewer)
        .listed()
        .filter(builds_on=idea)
        .select_related("author")
    )
    return {
        "campaign": campaign,
        "comments": comments,
        "history": history,
        "merged_from": merged_from,
        "built_on_by": built_on_by,
        "following": IdeaFollow.objects.filter(idea=idea, user=viewer).exists(),
        "can_respond": can_respond(user=viewer, campaign=campaign),
        "can_moderate": can_moderate(user=viewer, campaign=campaign),
        "votes_left": votes_left(user=viewer, campaign=campaign),
        "is_credited": any(c.user_id == viewer.pk for c in idea.credits.all()),
        "statuses": [
            (value, label)
            for value, label in Idea.Status.choices
            if value != Idea.Status.MERGED
        ],
    }


def idea_similar(
    *, title: str, viewer, campaign: Campaign | None = None, limit: int = 5
) -> list[Idea]:
    """Listed ideas ``viewer`` may see whose titles share words with ``title``."""
    words = [
        w
        for w in re.findall(r"[\w#+.-]+", (title or "").lower())
        if len(w) > 2 and w not in SIMILAR_STOPWORDS
    ][:8]
    if not words:
        return []
    matches = Q()
    hits: Expression = Value(0)
    for word in words:
        matches |= Q(title__icontains=word)
        hits = hits + Case(
            When(title__icontains=word, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    qs = Idea.objects.visible_to(viewer).listed().filter(matches)
    if campaign is not None:
        qs = qs.filter(campaign=campaign)
    return list(
        qs.select_related("campaign")
        .annotate(hits=hits)
        .order_by("-hits", "-vote_count", "-created_at")[: max(1, min(limit, 20))]
    )


def votes_left(*, user, campaign: Campaign) -> int | None:
    """How many votes ``user`` may still spend in ``campaign`` (``None``: no limit)."""
    if campaign.votes_per_person is None:
        return None
    spent = (
        VoteBudget.objects.filter(user=user, campaign=campaign)
        .values_list("spent", flat=True)
        .first()
    ) or 0
    return max(campaign.votes_per_person - spent, 0)


# -- who may see an idea (search, notifications) -----------------------------------


def idea_principals(idea: Idea) -> dict:
    """Who may read ``idea``: ``everyone`` (signed-in), ``community_ids`` or
    nobody (hidden, merged away, in an unpublished community)."""
    if idea.is_hidden or idea.merged_into_id is not None:
        return {"everyone": False, "community_ids": [], "user_ids": []}
    community = idea.campaign.community
    if community is None:
        return {"everyone": True, "community_ids": [], "user_ids": []}
    if not community.live:
        return {"everyone": False, "community_ids": [], "user_ids": []}
    return {"everyone": False, "community_ids": [community.pk], "user_ids": []}


def idea_readers(*, idea: Idea, user_ids) -> set[int]:
    """Those of ``user_ids`` (active people) who may see ``idea`` right now."""
    User = get_user_model()  # noqa: N806
    people = User.objects.filter(pk__in=set(user_ids), is_active=True)
    community = idea.campaign.community
    if community is not None:
        if not community.live:
            return set()
        people = people.filter(
            pk__in=Membership.objects.filter(community=community).values("user_id")
        )
    ids = set(people.values_list("pk", flat=True))
    if idea.is_hidden:
        ids &= {idea.author_id}
    return ids


def idea_audience(*, idea: Idea) -> set[int]:
    """Credited authors, voters and followers of ``idea`` who may still see it."""
    ids = set(IdeaCredit.objects.filter(idea=idea).values_list("user_id", flat=True))
    ids |= set(IdeaVote.objects.filter(idea=idea).values_list("user_id", flat=True))
    ids |= set(IdeaFollow.objects.filter(idea=idea).values_list("user_id", flat=True))
    return idea_readers(idea=idea, user_ids=ids)


# -- sponsors' and leads' views ------------------------------------------------------


def responsible_campaigns(*, user) -> QuerySet[Campaign]:
    """Campaigns ``user`` answers for: sponsored, in a community they curate, or
    organisation-wide for administrators."""
    if not getattr(user, "is_authenticated", False):
        return Campaign.objects.none()
    where = Q(sponsor=user) | Q(community_id__in=curated_community_ids(user))
    if user.is_superuser:
        where |= Q(community__isnull=True)
    return Campaign.objects.filter(where)


def overdue_ideas(*, user, now: datetime | None = None, limit: int = 100) -> list[Idea]:
    """Ideas still without any response from sponsor or lead after the campaign's
    response days (default 14), in campaigns ``user`` answers for, oldest first."""
    now = now or timezone.now()
    campaigns = list(responsible_campaigns(user=user).only("pk", "response_days"))
    if not campaigns:
        return []
    due = Q()
    for campaign in campaigns:
        due |= Q(
            campaign_id=campaign.pk,
            created_at__lt=now - timedelta(days=campaign.response_days),
        )
    return list(
        Idea.objects.visible_to(user)
        .listed()
        .filter(due, responded_at__isnull=True)
        .exclude(status__in=CLOSED_STATUSES)
        .select_related("campaign", "campaign__community", "author")
        .order_by("created_at", "pk")[:limit]
    )


def moderation_log(*, campaign: Campaign, viewer, limit: int = 100) -> list:
    """What was hidden or shown again in ``campaign``, by whom and why (members in
    scope see it: hiding is never silent)."""
    campaign_get(pk=campaign.pk, viewer=viewer)
    return list(
        ModerationEntry.objects.filter(campaign=campaign)
        .select_related("idea", "idea__author", "by")
        .order_by("-created_at", "-pk")[:limit]
    )


def management_rows(*, viewer, limit: int = 50) -> list[dict]:
    """Top listed ideas across the viewer's campaigns, by votes, with the breadth
    of their support: voters' communities, departments and offices."""
    ideas = list(
        Idea.objects.visible_to(viewer)
        .listed()
        .filter(campaign__in=responsible_campaigns(user=viewer))
        .select_related("campaign", "campaign__community", "author")
        .order_by("-vote_count", "-created_at", "-pk")[:limit]
    )
    ids = [idea.pk for idea in ideas]
    voters: dict[int, set[int]] = {pk: set() for pk in ids}
    for idea_id, user_id in IdeaVote.objects.filter(idea_id__in=ids).values_list(
        "idea_id", "user_id"
    ):
        voters[idea_id].add(user_id)
    everyone = set().union(*voters.values()) if voters else set()
    communities: dict[int, set[int]] = {}
    for user_id, community_id in Membership.objects.filter(
        user_id__in=everyone
    ).values_list("user_id", "community_id"):
        communities.setdefault(user_id, set()).add(community_id)
    User = get_user_model()  # noqa: N806
    profiles = {
        row[0]: (row[1] or "", row[2] or "")
        for row in User.objects.filter(pk__in=everyone).values_list(
            "pk", "profile__department", "profile__office"
        )
    }
    rows = []
    for idea in ideas:
        who = voters[idea.pk]
        rows.append(
            {
                "idea": idea,
                "votes": idea.vote_count,
                "communities": len(
                    set().union(*(communities.get(u, set()) for u in who))
                )
                if who
                else 0,
                "departments": len({profiles.get(u, ("", ""))[0] for u in who} - {""}),
                "offices": len({profiles.get(u, ("", ""))[1] for u in who} - {""}),
            }
        )
    return rows


def ideas_from_entry(*, entry_id: int, viewer) -> list[Idea]:
    """Ideas ``viewer`` may see that were turned from journal entry ``entry_id``."""
    return list(
        Idea.objects.visible_to(viewer)
        .filter(source_entry_id=entry_id)
        .select_related("campaign")
        .order_by("created_at", "pk")
    )


def campaigns_open_to(*, viewer) -> list[Campaign]:
    """Open campaigns (and idea boxes) ``viewer`` may post to, idea boxes last."""
    return list(
        Campaign.objects.visible_to(viewer)
        .open()
        .select_related("community")
        .order_by("is_idea_box", "-created_at", "-pk")
    )


def ideas_in_my_communities(*, viewer, limit: int = 5) -> list[Idea]:
    """Newest listed ideas of campaigns scoped to the viewer's communities (feed)."""
    ids = community_ids_for(viewer)
    if not ids:
        return []
    return list(
        Idea.objects.visible_to(viewer)
        .listed()
        .filter(campaign__community_id__in=ids)
        .select_related("campaign", "campaign__community", "author")
        .order_by("-created_at", "-pk")[:limit]
    )
